import {
  renderTemplate,
  UnitError,
  type Item,
  type Judgement,
  type Llm,
  type RatingPrediction,
  type RatingScale,
} from '../../../harness/plugin-api.js';
import { itemLine } from '../../../harness/plugin-api.js';
import { itemQuery, itemsBlock, keyedObject, ratingSchema, snapRating } from '../shared/structured-calls.js';
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
  /** Browse: after a watch the agent chooses again on the same page (ours) rather than ending the visit (YuLan-Rec). */
  readonly keepBrowsing: boolean;
}

/**
 * The memories a page recalls: the best `perItem` for each item's text,
 * pooled and ranked by their best score, at most `max`. One query per item
 * (ours) keeps a page of twenty items from diluting a single query. Entries
 * in `exclude` (e.g. those a prompt already shows as the visit so far) are
 * passed over, and the next best take their place.
 */
export function memoriesFor(
  memory: RecAgentMemory,
  items: readonly Item[],
  perItem: number,
  max: number,
  exclude: ReadonlySet<string> = new Set(),
): MemoryEntry[] {
  const best = new Map<string, { entry: MemoryEntry; score: number }>();
  for (const item of items) {
    for (const r of memory
      .retrieve(itemQuery(item), perItem + exclude.size)
      .filter((x) => !exclude.has(x.entry.id))
      .slice(0, perItem)) {
      const seen = best.get(r.entry.id);
      if (!seen || r.score > seen.score) best.set(r.entry.id, r);
    }
  }
  const shown = [...best.values()]
    .sort((a, b) => b.score - a.score || b.entry.step - a.entry.step || (a.entry.id < b.entry.id ? -1 : 1))
    .slice(0, max)
    .map((r) => r.entry);
  // Retrieval is an access, as in the released code (recency restarts, forgetting waits); the memory is the unit's own copy.
  memory.touch(shown);
  return shown;
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
export async function discriminate(
  state: RecAgentUser,
  coded: ReadonlyMap<string, Item>,
  llm: Llm,
  deps: DecisionDeps,
): Promise<Judgement[]> {
  const codes = [...coded.keys()];
  const memories = memoriesFor(state.memory, [...coded.values()], deps.memoriesPerItem, deps.maxMemories);
  const reply = await askJson<Record<string, WatchReply>>(
    llm,
    deps.settings,
    deps.prompts.system,
    renderTemplate(deps.prompts.discriminate, {
      profile: state.profileText,
      memories: memoriesText(memories),
      count: coded.size,
      items: itemsBlock(coded),
    }),
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
export async function rate(
  state: RecAgentUser,
  coded: ReadonlyMap<string, Item>,
  scale: RatingScale | null,
  llm: Llm,
  deps: DecisionDeps,
): Promise<RatingPrediction[]> {
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

// ---------------------------------------------------------------- browsing

/** One action on a recommendation page (the paper's search is not offered: browse has no search engine). */
export type PageAction =
  | { readonly type: 'watch'; readonly item: string }
  | { readonly type: 'next' }
  | { readonly type: 'leave' };

export interface PageActionReply {
  readonly reason: string;
  readonly action: PageAction;
}

/**
 * Admits only actions possible now: watch names one of `watchable` (codes of
 * this page's items not yet watched; the alternative is absent when none are
 * left), next page, or leave. One object at the root, the action a union.
 */
export function pageActionSchema(watchable: readonly string[]): Record<string, unknown> {
  const plain = (type: string) => ({
    type: 'object',
    properties: { type: { const: type } },
    required: ['type'],
    additionalProperties: false,
  });
  const alternatives: Record<string, unknown>[] = [];
  if (watchable.length > 0) {
    alternatives.push({
      type: 'object',
      properties: { type: { const: 'watch' }, item: { type: 'string', enum: [...watchable] } },
      required: ['type', 'item'],
      additionalProperties: false,
    });
  }
  alternatives.push(plain('next'), plain('leave'));
  return {
    type: 'object',
    properties: { reason: { type: 'string' }, action: { anyOf: alternatives } },
    required: ['reason', 'action'],
    additionalProperties: false,
  };
}

/** An item watched during a visit, with the rating and feeling given after. */
export interface WatchedItem {
  readonly code: string;
  readonly item: Item;
  readonly rating: number;
  readonly feeling: string;
}

/** A page as the agent stands before it: its coded items and what it already watched there. */
export interface PageState {
  readonly number: number;
  readonly coded: ReadonlyMap<string, Item>;
  readonly watched: readonly WatchedItem[];
}

/** What the agent remembers of the current visit: the memory entries written since it started. */
export interface VisitMemory {
  readonly memory: RecAgentMemory;
  /** The memory's logical time when the visit started. */
  readonly start: number;
}

export function visitText(entries: readonly MemoryEntry[]): string {
  return entries.length === 0 ? '(nothing yet: you have just arrived)' : entries.map((e) => `- ${e.text}`).join('\n');
}

function recall(visit: VisitMemory, items: readonly Item[], deps: DecisionDeps): { memories: string; visit: string } {
  const recent = visit.memory.since(visit.start);
  const retrieved = memoriesFor(
    visit.memory,
    items,
    deps.memoriesPerItem,
    deps.maxMemories,
    new Set(recent.map((e) => e.id)),
  );
  return { memories: memoriesText(retrieved), visit: visitText(recent) };
}

/**
 * The paper's page decision: one action among watch one item, next page and
 * leave, from the profile, the memories the page recalls and what the agent
 * remembers of the visit so far. Items already watched on this page are
 * listed and cannot be chosen again.
 */
export async function pageAction(
  state: RecAgentUser,
  visit: VisitMemory,
  page: PageState,
  llm: Llm,
  deps: DecisionDeps,
): Promise<PageActionReply> {
  const done = new Set(page.watched.map((w) => w.code));
  const watchable = [...page.coded.keys()].filter((c) => !done.has(c));
  const watchedHere =
    page.watched.length === 0
      ? 'You have not watched anything on this page yet.'
      : `On this page you have already watched: ${page.watched.map((w) => `${w.code} ${w.item.title} (you rated it ${w.rating})`).join('; ')}.`;
  const choices =
    watchable.length === 0
      ? 'You have watched every item on this page. You can now move to the next page or leave the website.'
      : !deps.keepBrowsing
        ? 'On this website you can watch one item of this page (only one: once you have watched it, your visit ends), move to the next page, or leave the website.'
        : page.watched.length === 0
          ? 'On this website you can watch one item of this page (afterwards you may choose again), move to the next page, or leave the website.'
          : 'You can watch one more item of this page that you have not watched yet (afterwards you may choose again), move to the next page, or leave the website.';
  const forms = `${watchable.length === 0 ? '' : `{"type": "watch", "item": one of ${watchable.map((c) => `"${c}"`).join(', ')}}, `}{"type": "next"} to see the next page, or {"type": "leave"}`;
  return askJson<PageActionReply>(
    llm,
    deps.settings,
    deps.prompts.system,
    renderTemplate(deps.prompts.page, {
      profile: state.profileText,
      ...recall(visit, [...page.coded.values()], deps),
      page: page.number,
      count: page.coded.size,
      items: itemsBlock(page.coded),
      watchedHere,
      choices,
      actionForms: forms,
    }),
    pageActionSchema(watchable),
    'page_action',
  );
}

/** After watching: a rating on `scale` and a one-sentence feeling (the paper's feeling after an item). */
export async function watchItem(
  state: RecAgentUser,
  visit: VisitMemory,
  pageNumber: number,
  item: Item,
  scale: RatingScale,
  llm: Llm,
  deps: DecisionDeps,
): Promise<{ rating: number; feeling: string }> {
  const reply = await askJson<{ rating: number; feeling: string }>(
    llm,
    deps.settings,
    deps.prompts.system,
    renderTemplate(deps.prompts.watch, {
      profile: state.profileText,
      ...recall(visit, [item], deps),
      page: pageNumber,
      item: itemLine(item),
      min: scale.min,
      max: scale.max,
      step: scale.step,
    }),
    {
      type: 'object',
      properties: { rating: ratingSchema(scale), feeling: { type: 'string', minLength: 1 } },
      required: ['rating', 'feeling'],
      additionalProperties: false,
    },
    'watch_feeling',
  );
  return { rating: snapRating(reply.rating, scale), feeling: reply.feeling.trim() };
}
