import { renderTemplate, UnitError, type Item, type Judgement, type Llm, type RatingPrediction, type RatingScale } from '../../../harness/plugin-api.js';
import { itemQuery, itemsBlock, keyedObject, ratingSchema, snapRating } from '../../../harness/plugin-api.js';
import { askJson, type CallSettings, type RecAgentPrompts } from './llm-call.js';
import type { MemoryEntry } from './memory-entry.js';
import type { RecAgentMemory } from './memory.js';
import type { RecAgentUser } from './user-state.js';

export interface DecisionDeps {
  readonly prompts: RecAgentPrompts;
  readonly settings: CallSettings;
  /** Memories retrieved per item on the page. */
  readonly memoriesPerItem: number;
  /** Most memories in one prompt. */
  readonly maxMemories: number;
}

/**
 * The memories a page recalls: the best `perItem` for each item's text,
 * pooled and ranked by their best score, at most `max`. One query per item
 * (ours) keeps a page of twenty items from diluting a single query.
 */
export function memoriesFor(memory: RecAgentMemory, items: readonly Item[], perItem: number, max: number): MemoryEntry[] {
  const best = new Map<string, { entry: MemoryEntry; score: number }>();
  for (const item of items) {
    for (const r of memory.retrieve(itemQuery(item), perItem)) {
      const seen = best.get(r.entry.id);
      if (!seen || r.score > seen.score) best.set(r.entry.id, r);
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || b.entry.step - a.entry.step || (a.entry.id < b.entry.id ? -1 : 1))
    .slice(0, max)
    .map((r) => r.entry);
}

export function memoriesText(entries: readonly MemoryEntry[]): string {
  return entries.length === 0 ? '(nothing comes to mind)' : entries.map((e) => `- ${e.text}`).join('\n');
}

interface WatchReply {
  readonly watch: boolean;
  readonly reason: string;
}

/**
 * The candidates as one recommendation page. The paper's agent picks one
 * action per page (watch an item, next page, search, leave); for a fixed item
 * set we ask, per item, whether the user would choose to watch it, and map
 * watch → like, pass → not like (ours).
 */
export async function discriminate(state: RecAgentUser, coded: ReadonlyMap<string, Item>, llm: Llm, deps: DecisionDeps): Promise<Judgement[]> {
  const codes = [...coded.keys()];
  const memories = memoriesFor(state.memory, [...coded.values()], deps.memoriesPerItem, deps.maxMemories);
  const reply = await askJson<Record<string, WatchReply>>(
    llm,
    deps.settings,
    deps.prompts.system,
    renderTemplate(deps.prompts.discriminate, { profile: state.profileText, memories: memoriesText(memories), count: coded.size, items: itemsBlock(coded) }),
    keyedObject(codes, {
      type: 'object',
      properties: { watch: { type: 'boolean' }, reason: { type: 'string' } },
      required: ['watch', 'reason'],
      additionalProperties: false,
    }),
    'page_choices',
  );
  return [...coded].map(([code, item]) => {
    const r = reply[code] as WatchReply;
    return { item: item.id, like: r.watch, reason: r.reason };
  });
}

/** One rating per item on the dataset's scale, from the profile and the memories the items recall. */
export async function rate(state: RecAgentUser, coded: ReadonlyMap<string, Item>, scale: RatingScale | null, llm: Llm, deps: DecisionDeps): Promise<RatingPrediction[]> {
  if (!scale) throw new UnitError('method', 'recagent: the dataset has no rating scale');
  const codes = [...coded.keys()];
  const memories = memoriesFor(state.memory, [...coded.values()], deps.memoriesPerItem, deps.maxMemories);
  const reply = await askJson<Record<string, number>>(
    llm,
    deps.settings,
    deps.prompts.system,
    renderTemplate(deps.prompts.rate, {
      profile: state.profileText,
      memories: memoriesText(memories),
      count: coded.size,
      items: itemsBlock(coded),
      min: scale.min,
      max: scale.max,
      step: scale.step,
    }),
    keyedObject(codes, ratingSchema(scale)),
    'ratings',
  );
  return [...coded].map(([code, item]) => ({ item: item.id, rating: snapRating(reply[code] as number, scale) }));
}
