import {
  actionFromReply,
  actionSchema,
  CLICK_TYPES,
  historyBlock,
  attributesText,
  codeItems,
  itemsBlock,
  keyedObject,
  needLlm,
  defineMethod,
  itemLine,
  renderTemplate,
  splitHistory,
  Type,
  UnitError,
  type HistoryEntry,
  type Item,
  type Llm,
  type UserView,
  type ActionReply,
} from '../../../harness/plugin-api.js';

const Options = Type.Object(
  {
    maxLiked: Type.Integer({ minimum: 0, default: 15, description: 'Most recent liked training items shown (rating ≥ 4).' }),
    maxDisliked: Type.Integer({ minimum: 0, default: 5, description: 'Most recent disliked training items shown (rating ≤ 2).' }),
    temperature: Type.Number({ minimum: 0, maximum: 2, default: 0 }),
    maxTokens: Type.Integer({ minimum: 16, default: 800 }),
    maxHistorySteps: Type.Integer({ minimum: 0, default: 20, description: 'next-action: most recent steps of the session shown (older pages by title only).' }),
  },
  { additionalProperties: false },
);

function list(entries: readonly HistoryEntry[]): string {
  return entries.length === 0 ? '(none)' : entries.map((h) => `- ${itemLine(h.item)}${h.rating !== null ? ` (you gave ${h.rating})` : ''}`).join('\n');
}

/** The raw LLM row: persona and history in one prompt, a structured answer. */
export default defineMethod({
  name: 'zero-shot',
  description: 'One prompt with the user\'s attributes and history; structured like/not-like, ratings or next shopping action from the LLM.',
  options: Options,
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'nextAction'],
  prompts: {
    system: new URL('./prompts/system.md', import.meta.url),
    discriminate: new URL('./prompts/discriminate.md', import.meta.url),
    rate: new URL('./prompts/rate.md', import.meta.url),
    shopperSystem: new URL('./prompts/shopper-system.md', import.meta.url),
    nextAction: new URL('./prompts/next-action.md', import.meta.url),
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
            { role: 'user', content: renderTemplate(ctx.prompts['rate'] as string, { ...vars(user, coded), min: scale.min, max: scale.max, step: scale.step }) },
          ],
          schema,
          schemaName: 'ratings',
          temperature: o.temperature,
          maxTokens: o.maxTokens,
        });
        return [...coded].map(([code, item]) => ({ item: item.id, rating: reply[code] as number }));
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
