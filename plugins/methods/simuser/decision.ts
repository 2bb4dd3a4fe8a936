import {
  renderTemplate,
  splitHistory,
  type HistoryEntry,
  type Item,
  type Llm,
  type RatingScale,
  type UserView,
} from '../../../harness/plugin-api.js';
import { evidenceText, type RatingsGraph } from './knowledge-graph.js';
import type { EpisodicMemory } from './memory.js';
import { once } from './once.js';
import { personaText, type MatchedPersona } from './persona.js';
import { scaleText } from './rating-scale.js';
import { ratingSchema, snapRating } from '../shared/structured-calls.js';

/** What the persona says it looks for, elicited once per user. */
export interface Preferences {
  readonly likes: readonly string[];
  readonly dislikes: readonly string[];
  readonly summary: string;
}

export type Mode = { readonly kind: 'like' } | { readonly kind: 'rate'; readonly scale: RatingScale };
export type Value = boolean | number;

export interface Decision {
  readonly item: Item;
  readonly code: string;
  /** After causal refinement. */
  readonly value: Value;
  /** Before causal refinement (item evaluation + action selection). */
  readonly initial: Value;
  readonly thought: string;
}

export interface BrainOptions {
  readonly likedShown: number;
  readonly dislikedShown: number;
  readonly memoryTopK: number;
  readonly kgTopK: number;
  readonly collaborativePaths: boolean;
  readonly reflectionsShown: number;
  readonly refinementRounds: number;
  readonly temperature: number;
  readonly maxTokens: number;
}

export interface BrainPrompts {
  readonly system: string;
  readonly elicit: string;
  readonly evaluate: string;
  readonly refine: string;
  readonly reflect: string;
  readonly askLike: string;
  readonly askRate: string;
}

export interface BrainInput {
  readonly user: UserView;
  readonly persona: MatchedPersona;
  /** What the persona looks for, when already elicited (per-user state); elicited here otherwise. */
  readonly preferences?: Preferences;
  readonly memory: EpisodicMemory;
  readonly graph: RatingsGraph;
  readonly items: readonly Item[];
  readonly mode: Mode;
  readonly llm: Llm;
  /** Append the decisions and a reflection to the memory for later units. */
  readonly persist: boolean;
}

const STRINGS = { type: 'array', items: { type: 'string' }, maxItems: 8 } as const;

/** Short codes instead of raw ids keep prompts compact and stop ids from hinting at anything. */
function codesOf(items: readonly Item[]): string[] {
  return items.map((_, k) => `i${k + 1}`);
}

/** The elicited preferences as every brain prompt shows them. */
export function preferencesText(prefs: Preferences): string {
  return [
    `Likes: ${prefs.likes.join('; ') || '(none stated)'}`,
    `Dislikes: ${prefs.dislikes.join('; ') || '(none stated)'}`,
    `In short: ${prefs.summary}`,
  ].join('\n');
}

export function bullet(lines: readonly string[], none = '(none)'): string {
  return lines.length === 0 ? none : lines.map((l) => `- ${l}`).join('\n');
}

function valueText(v: Value, mode: Mode): string {
  if (mode.kind === 'like') return v ? 'would like it' : 'would not like it';
  return `would rate it ${v} (${scaleText(mode.scale)})`;
}

/**
 * SimUSER's brain for one unit: preference elicitation (memoised per user),
 * item evaluation and action selection for every offered item in one call,
 * causal refinement (a self-check that may revise the choices), and a
 * post-interaction reflection written to the episodic memory. Per-item work
 * is batched into one structured call per step **(ours)**, so a unit costs a
 * fixed number of calls: 1 + refinementRounds (+ 1 reflection when persisting).
 */
export class Brain {
  private readonly preferences = new Map<string, Promise<Preferences>>();

  constructor(
    private readonly prompts: BrainPrompts,
    private readonly opts: BrainOptions,
    private readonly describe: (item: Item) => string,
  ) {}

  /** Calls one unit makes once the user's persona and preferences exist. */
  callsPerUnit(persist: boolean): number {
    return 1 + this.opts.refinementRounds + (persist ? 1 : 0);
  }

  /**
   * What the persona looks for, from the persona and the training part of the
   * memory only (not from the simulator's own later decisions), so it can be
   * built once per user whatever the order of the units.
   */
  elicit(user: UserView, persona: MatchedPersona, llm: Llm): Promise<Preferences> {
    return once(this.preferences, user.id, async () => {
      const h = splitHistory(user, { maxLiked: this.opts.likedShown, maxDisliked: this.opts.dislikedShown });
      const line = (x: HistoryEntry) => `${this.describe(x.item)}${x.rating !== null ? ` (you gave ${x.rating})` : ''}`;
      return llm.json<Preferences>({
        messages: [
          { role: 'system', content: this.prompts.system },
          {
            role: 'user',
            content: renderTemplate(this.prompts.elicit, {
              persona: personaText(persona.persona),
              summary: persona.summary,
              liked: bullet(h.liked.map(line)),
              disliked: bullet(h.disliked.map(line)),
            }),
          },
        ],
        schema: {
          type: 'object',
          properties: { likes: STRINGS, dislikes: STRINGS, summary: { type: 'string' } },
          required: ['likes', 'dislikes', 'summary'],
          additionalProperties: false,
        },
        schemaName: 'preferences',
        temperature: this.opts.temperature,
        maxTokens: this.opts.maxTokens,
      });
    });
  }

  /**
   * Each offered item under its code, as item evaluation shows it: the
   * perceived text, the top `memoryTopK` training interactions or earlier
   * decisions it recalls (BM25), and the top `kgTopK` knowledge-graph paths
   * from the user to it. Shared by the static tasks and the browsing loop.
   */
  itemBlocks(
    user: UserView,
    memory: EpisodicMemory,
    graph: RatingsGraph,
    coded: readonly (readonly [string, Item])[],
  ): string {
    graph.ensureUser(user);
    const scaleMax = user.scale?.max ?? null;
    return coded
      .map(([code, item]) => {
        const perceived = this.describe(item);
        const memories = memory
          .retrieve(perceived, this.opts.memoryTopK, ['interaction', 'decision'])
          .map((e) => e.text);
        const paths = graph
          .evidence(user.id, item, { topK: this.opts.kgTopK, collaborative: this.opts.collaborativePaths })
          .map((e) => evidenceText(e, scaleMax));
        return [
          `${code}: ${perceived}`,
          `  Memories it brings back:`,
          indent(bullet(memories)),
          `  Links from your history:`,
          indent(bullet(paths)),
        ].join('\n');
      })
      .join('\n\n');
  }

  /** The latest `reflectionsShown` notes of earlier units (none unless crossUnitMemory), as a bullet list. */
  notesText(memory: EpisodicMemory): string {
    return bullet(memory.latest('reflection', this.opts.reflectionsShown).map((e) => e.text));
  }

  async run(input: BrainInput): Promise<Decision[]> {
    const { user, persona, memory, graph, items, mode, llm } = input;
    const prefs = input.preferences ?? (await this.elicit(user, persona, llm));
    const codes = codesOf(items);
    const ask = (
      mode.kind === 'like'
        ? this.prompts.askLike
        : renderTemplate(this.prompts.askRate, { scale: scaleText(mode.scale) })
    ).trim();
    const personaBlock = personaText(persona.persona);
    const prefsBlock = preferencesText(prefs);
    const valueSchema = mode.kind === 'like' ? { type: 'boolean' } : ratingSchema(mode.scale);
    const valueKey = mode.kind === 'like' ? 'like' : 'rating';
    const fix = (v: unknown): Value => (mode.kind === 'like' ? v === true : snapRating(v as number, mode.scale));

    // Item evaluation + action selection: memories and graph paths per item, one call.
    const blocks = this.itemBlocks(
      user,
      memory,
      graph,
      items.map((item, k) => [codes[k] as string, item] as const),
    );
    const evaluation = await llm.json<Record<string, { thought: string } & Record<string, unknown>>>({
      messages: [
        { role: 'system', content: this.prompts.system },
        {
          role: 'user',
          content: renderTemplate(this.prompts.evaluate, {
            persona: personaBlock,
            preferences: prefsBlock,
            notes: this.notesText(memory),
            count: items.length,
            items: blocks,
            question: ask,
            key: valueKey,
          }),
        },
      ],
      schema: {
        type: 'object',
        properties: Object.fromEntries(
          codes.map((c) => [
            c,
            {
              type: 'object',
              properties: { thought: { type: 'string' }, [valueKey]: valueSchema },
              required: ['thought', valueKey],
              additionalProperties: false,
            },
          ]),
        ),
        required: codes,
        additionalProperties: false,
      },
      schemaName: 'item_evaluation',
      temperature: this.opts.temperature,
      maxTokens: this.opts.maxTokens,
    });
    const thoughts = codes.map((c) => evaluation[c]?.thought ?? '');
    const initial = codes.map((c) => fix(evaluation[c]?.[valueKey]));

    // Causal refinement: check each choice against its causes; keep or revise.
    let current = initial;
    for (let round = 0; round < this.opts.refinementRounds; round++) {
      const decisions = items.map(
        (item, k) =>
          `${codes[k]}: ${this.describe(item)}\n  First thought: ${thoughts[k]}\n  Current choice: you ${valueText(current[k] as Value, mode)}`,
      );
      const reply = await llm.json<{ check: string; final: Record<string, unknown> }>({
        messages: [
          { role: 'system', content: this.prompts.system },
          {
            role: 'user',
            content: renderTemplate(this.prompts.refine, {
              persona: personaBlock,
              preferences: prefsBlock,
              count: items.length,
              decisions: decisions.join('\n\n'),
              question: ask,
            }),
          },
        ],
        schema: {
          type: 'object',
          properties: {
            check: { type: 'string' },
            final: {
              type: 'object',
              properties: Object.fromEntries(codes.map((c) => [c, valueSchema])),
              required: codes,
              additionalProperties: false,
            },
          },
          required: ['check', 'final'],
          additionalProperties: false,
        },
        schemaName: 'refined_decisions',
        temperature: this.opts.temperature,
        maxTokens: this.opts.maxTokens,
      });
      current = codes.map((c) => fix(reply.final[c]));
    }

    const out: Decision[] = items.map((item, k) => ({
      item,
      code: codes[k] as string,
      value: current[k] as Value,
      initial: initial[k] as Value,
      thought: thoughts[k] as string,
    }));
    if (input.persist) await this.reflect(out, input, personaBlock);
    return out;
  }

  /** Post-interaction reflection: the decisions and one short note go into the episodic memory for later units. */
  private async reflect(decisions: readonly Decision[], input: BrainInput, personaBlock: string): Promise<void> {
    const lines = decisions.map((d) => `${choiceText(d.value, input.mode)}: ${this.describe(d.item)}`);
    const { note } = await input.llm.json<{ note: string }>({
      messages: [
        { role: 'system', content: this.prompts.system },
        {
          role: 'user',
          content: renderTemplate(this.prompts.reflect, {
            persona: personaBlock,
            count: decisions.length,
            decisions: bullet(lines),
          }),
        },
      ],
      schema: {
        type: 'object',
        properties: { note: { type: 'string' } },
        required: ['note'],
        additionalProperties: false,
      },
      schemaName: 'reflection',
      temperature: this.opts.temperature,
      maxTokens: this.opts.maxTokens,
    });
    for (const line of lines) input.memory.add('decision', `Earlier decision — ${line}`);
    input.memory.add('reflection', note);
  }
}

/** The choice as a prefix to an item's text (descriptions end in their own punctuation). */
function choiceText(v: Value, mode: Mode): string {
  if (mode.kind === 'like') return v ? 'you would like' : 'you would not like';
  return `you would rate ${v} (${scaleText(mode.scale)})`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
