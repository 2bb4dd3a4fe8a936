import {
  CLICK_TYPES,
  attributesText,
  defineMethod,
  itemLine,
  renderTemplate,
  splitHistory,
  Type,
  UnitError,
  type HistoryEntry,
  type Item,
  type UserView,
  type PageOutcome,
  IMPLICIT_RATING_SCALE,
} from '../../../harness/plugin-api.js';
import { actionFromReply, actionSchema, historyBlock, type ActionReply } from '../shared/session-actions.js';
import { codeItems, itemsBlock, keyedObject, needLlm, ratingSchema, snapRating } from '../shared/structured-calls.js';

const Options = Type.Object(
  {
    maxLiked: Type.Integer({
      minimum: 0,
      default: 15,
      description: 'Most recent liked training items shown (rating ≥ 4).',
    }),
    maxDisliked: Type.Integer({
      minimum: 0,
      default: 5,
      description: 'Most recent disliked training items shown (rating ≤ 2).',
    }),
    temperature: Type.Number({ minimum: 0, maximum: 2, default: 0 }),
    maxTokens: Type.Integer({ minimum: 16, default: 800 }),
    maxHistorySteps: Type.Integer({
      minimum: 0,
      default: 20,
      description: 'next-action: most recent steps of the session shown (older pages by title only).',
    }),
  },
  { additionalProperties: false },
);

function list(entries: readonly HistoryEntry[]): string {
  return entries.length === 0
    ? '(none)'
    : entries.map((h) => `- ${itemLine(h.item)}${h.rating !== null ? ` (you gave ${h.rating})` : ''}`).join('\n');
}

/** The raw LLM row: persona and history in one prompt, a structured answer. */
export default defineMethod({
  name: 'zero-shot',
  version: 1,
  description:
    "One prompt with the user's attributes and history; structured like/not-like, ratings or next shopping action from the LLM.",
  options: Options,
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'nextAction', 'browse'],
  prompts: {
    system: new URL('./prompts/system.md', import.meta.url),
    discriminate: new URL('./prompts/discriminate.md', import.meta.url),
    rate: new URL('./prompts/rate.md', import.meta.url),
    shopperSystem: new URL('./prompts/shopper-system.md', import.meta.url),
    nextAction: new URL('./prompts/next-action.md', import.meta.url),
    browse: new URL('./prompts/browse.md', import.meta.url),
  },
  async create(o, ctx) {
    const system = ctx.prompts['system'] as string;
    const vars = (user: UserView, coded: Map<string, Item>) => {
      const h = splitHistory(user, { maxLiked: o.maxLiked, maxDisliked: o.maxDisliked });
      return {
        attributes: attributesText(user),
        liked: list(h.liked),
        disliked: list(h.disliked),
        count: coded.size,
        items: itemsBlock(coded),
      };
    };
    return {
      async discriminate(user, items, unit) {
        const coded = codeItems(items);
        const schema = keyedObject([...coded.keys()], { type: 'boolean' });
        const reply = await needLlm(unit.llm, 'zero-shot').json<Record<string, boolean>>({
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: renderTemplate(ctx.prompts['discriminate'] as string, vars(user, coded)) },
          ],
          schema,
          schemaName: 'likes',
          temperature: o.temperature,
          maxTokens: o.maxTokens,
        });
        return [...coded].map(([code, item]) => ({ item: item.id, like: reply[code] === true }));
      },
      async rate(user, items, unit) {
        const scale = user.scale;
        if (!scale) throw new UnitError('method', 'the dataset has no rating scale');
        const coded = codeItems(items);
        const schema = keyedObject([...coded.keys()], { type: 'number', minimum: scale.min, maximum: scale.max });
        const reply = await needLlm(unit.llm, 'zero-shot').json<Record<string, number>>({
          messages: [
            { role: 'system', content: system },
            {
              role: 'user',
              content: renderTemplate(ctx.prompts['rate'] as string, {
                ...vars(user, coded),
                min: scale.min,
                max: scale.max,
                step: scale.step,
              }),
            },
          ],
          schema,
          schemaName: 'ratings',
          temperature: o.temperature,
          maxTokens: o.maxTokens,
        });
        return [...coded].map(([code, item]) => ({ item: item.id, rating: reply[code] as number }));
      },
      async browse(user, pages, unit) {
        const scale = user.scale ?? IMPLICIT_RATING_SCALE;
        const llm = needLlm(unit.llm, 'zero-shot');
        const outcome: PageOutcome[] = [];
        const earlier: string[] = [];
        for (const page of pages) {
          const coded = codeItems(page.items);
          const schema = {
            type: 'object',
            properties: {
              items: keyedObject([...coded.keys()], {
                type: 'object',
                properties: { watch: { type: 'boolean' }, rating: ratingSchema(scale) },
                required: ['watch', 'rating'],
                additionalProperties: false,
              }),
              leave: { type: 'boolean' },
            },
            required: ['items', 'leave'],
            additionalProperties: false,
          };
          const reply = await llm.json<{ items: Record<string, { watch: boolean; rating: number }>; leave: boolean }>({
            messages: [
              { role: 'system', content: system },
              {
                role: 'user',
                content: renderTemplate(ctx.prompts['browse'] as string, {
                  ...vars(user, coded),
                  earlier:
                    earlier.length === 0
                      ? 'This is the first page.'
                      : `On earlier pages you watched: ${earlier.join('; ')}.`,
                  page: page.number,
                  pages: pages.length,
                  min: scale.min,
                  max: scale.max,
                }),
              },
            ],
            schema,
            schemaName: 'page',
            temperature: o.temperature,
            maxTokens: o.maxTokens,
          });
          const watched = [...coded]
            .filter(([code]) => reply.items[code]?.watch)
            .map(([code, item]) => ({ item: item.id, rating: snapRating(reply.items[code]?.rating as number, scale) }));
          for (const w of watched)
            earlier.push(`${(page.items.find((i) => i.id === w.item) as Item).title} (rated ${w.rating})`);
          outcome.push({ watched, exit: reply.leave });
          if (reply.leave) break;
        }
        return { pages: outcome };
      },
      async nextAction(step, unit) {
        const user = renderTemplate(ctx.prompts['nextAction'] as string, {
          persona: step.persona.persona.trim() || '(no survey answers)',
          history: historyBlock(step.history, o.maxHistorySteps),
          observation: step.observation,
          clickTypes: CLICK_TYPES.join(', '),
        });
        const reply = await needLlm(unit.llm, 'zero-shot').json<ActionReply>({
          messages: [
            { role: 'system', content: ctx.prompts['shopperSystem'] as string },
            { role: 'user', content: user },
          ],
          schema: actionSchema(step),
          schemaName: 'next_action',
          temperature: o.temperature,
          maxTokens: o.maxTokens,
        });
        return actionFromReply(reply);
      },
    };
  },
});
