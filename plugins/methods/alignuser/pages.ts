import {
  UserViews,
  type HistoryEntry,
  type Item,
  type RatingScale,
  type Rng,
  type TrainData,
  type UserView,
} from '../../../harness/plugin-api.js';
import { codeItems } from '../shared/structured-calls.js';

export interface Rated {
  readonly item: string;
  readonly rating: number | null;
}

/** What a person does on a page: the items they watched (with their rating); every other item on the page was skipped. */
export interface PageAction {
  readonly watched: readonly Rated[];
}

/**
 * One human step of a browsing trajectory built from training interactions:
 * the state (who they are, what they had watched, the page they saw) and what
 * they did. The next state is the history with the watched items appended.
 */
export interface Transition {
  /** `${user}#${page}`, unique within a fit. */
  readonly id: string;
  readonly user: string;
  readonly attributes: Readonly<Record<string, string | number>>;
  /** Training interactions before the page, oldest first. */
  readonly history: readonly (Rated & { readonly timestamp: number })[];
  /** Item ids in the order the page shows them. */
  readonly page: readonly string[];
  readonly action: PageAction;
  /** A watched, rated item whose rating the item-level reflection examines; null without ratings. */
  readonly focal: string | null;
}

export interface PageOptions {
  /** null: every eligible user. */
  readonly fitUsers: number | null;
  /** null: as many pages as the history allows. */
  readonly pagesPerUser: number | null;
  readonly maxFitTransitions: number;
  readonly positivesPerPage: number;
  readonly negativesPerPage: number;
  readonly minContext: number;
}

/** The transitions of a fit and how many the data (and the per-user options) would have allowed without the cap. */
export interface TransitionSample {
  readonly transitions: Transition[];
  readonly possible: number;
  readonly users: number;
}

/**
 * How many of each user's last pages to take: all their allowed pages when
 * the total fits in `cap`; else round-robin over the users in `order` (every
 * user's last page, then every user's page before it, …) until the cap.
 */
export function allocate(allowed: readonly number[], cap: number, order: readonly number[]): number[] {
  const total = allowed.reduce((a, b) => a + b, 0);
  if (total <= cap) return [...allowed];
  const take = allowed.map(() => 0);
  let left = cap;
  for (let round = 1; left > 0; round++) {
    for (const u of order) {
      if (left === 0) break;
      if ((allowed[u] as number) >= round) {
        take[u] = round;
        left--;
      }
    }
  }
  return take;
}

/**
 * Browsing pages from the training split: the last pages of each sampled
 * user's training history, in time order, each mixing the items they rated
 * next with training items they never interacted with (drawn with `rng`).
 * All randomness is drawn here, before any concurrent LLM work.
 */
export function sampleTransitions(train: TrainData, o: PageOptions, rng: Rng): TransitionSample {
  const views = new UserViews(train);
  const trainItems = [...new Set(train.interactions.map((x) => x.item))].sort();
  const users = [...new Set(train.interactions.map((x) => x.user))].sort();
  const eligible = users.filter((u) => views.view(u).history.length >= o.minContext + o.positivesPerPage);
  const chosen = o.fitUsers === null ? eligible : rng.sample(eligible, o.fitUsers).sort();
  const allowed = chosen.map((u) => {
    const n = views.view(u).history.length;
    const fit = Math.floor((n - o.minContext) / o.positivesPerPage);
    return o.pagesPerUser === null ? fit : Math.min(o.pagesPerUser, fit);
  });
  const possible = allowed.reduce((a, b) => a + b, 0);
  const order = possible > o.maxFitTransitions ? rng.shuffle(chosen.map((_, k) => k)) : [];
  const take = allocate(allowed, o.maxFitTransitions, order);
  const out: Transition[] = [];
  chosen.forEach((userId, u) => {
    const pages = take[u] as number;
    if (pages === 0) return;
    const user = views.view(userId);
    const n = user.history.length;
    const seen = new Set(user.history.map((h) => h.item.id));
    const pool = trainItems.filter((i) => !seen.has(i));
    for (let j = 0; j < pages; j++) {
      const start = n - (pages - j) * o.positivesPerPage;
      const positives = user.history.slice(start, start + o.positivesPerPage);
      const negatives = rng.sample(pool, o.negativesPerPage);
      const page = rng.shuffle([...positives.map((h) => h.item.id), ...negatives]);
      const rated = positives.filter((h) => h.rating !== null);
      out.push({
        id: `${userId}#${j + 1}`,
        user: userId,
        attributes: user.attributes,
        history: user.history
          .slice(0, start)
          .map((h) => ({ item: h.item.id, rating: h.rating, timestamp: h.timestamp })),
        page,
        action: { watched: positives.map((h) => ({ item: h.item.id, rating: h.rating })) },
        focal: train.scale && rated.length > 0 ? rng.pick(rated).item.id : null,
      });
    }
  });
  return { transitions: out, possible, users: take.filter((x) => x > 0).length };
}

export function buildTransitions(train: TrainData, o: PageOptions, rng: Rng): Transition[] {
  return sampleTransitions(train, o, rng).transitions;
}

/** The state's user: the training history up to the page. */
export function viewBefore(t: Transition, items: ReadonlyMap<string, Item>, scale: RatingScale | null): UserView {
  const history: HistoryEntry[] = t.history.map((h) => ({
    item: itemOf(items, h.item),
    rating: h.rating,
    timestamp: h.timestamp,
  }));
  return { id: t.user, attributes: t.attributes, history, scale };
}

export function itemOf(items: ReadonlyMap<string, Item>, id: string): Item {
  const item = items.get(id);
  if (!item) throw new Error(`alignuser: item ${id} is not in the training items`);
  return item;
}

/** The page with the short codes every prompt about it uses. */
export function pageCodes(t: Transition, items: ReadonlyMap<string, Item>): Map<string, Item> {
  return codeItems(t.page.map((id) => itemOf(items, id)));
}

export function sameAction(a: PageAction, b: PageAction): boolean {
  if (a.watched.length !== b.watched.length) return false;
  const m = new Map(a.watched.map((w) => [w.item, w.rating]));
  return b.watched.every((w) => m.has(w.item) && m.get(w.item) === w.rating);
}

/** "watched i2 "Title" (rated 4); skipped i1 "Other"": the action in the page's codes. */
export function actionText(action: PageAction, coded: ReadonlyMap<string, Item>): string {
  const codeOf = new Map([...coded].map(([c, item]) => [item.id, c]));
  const byId = itemsById(coded);
  const watched = new Set(action.watched.map((w) => w.item));
  const w = action.watched.map(
    (x) =>
      `${codeOf.get(x.item) ?? '?'} "${itemOf(byId, x.item).title}"${x.rating !== null ? ` (rated ${x.rating})` : ''}`,
  );
  const skipped = [...coded].filter(([, item]) => !watched.has(item.id)).map(([c, item]) => `${c} "${item.title}"`);
  return `watched ${w.length > 0 ? w.join(', ') : 'nothing'}; skipped ${skipped.length > 0 ? skipped.join(', ') : 'nothing'}`;
}

function itemsById(coded: ReadonlyMap<string, Item>): Map<string, Item> {
  return new Map([...coded.values()].map((i) => [i.id, i]));
}

/** The human next state: what the history gained (the world model predicts the same thing for alternatives). */
export function nextStateText(action: PageAction, coded: ReadonlyMap<string, Item>): string {
  const byId = itemsById(coded);
  if (action.watched.length === 0) return 'Nothing was added to the history; the person moves on to another page.';
  const added = action.watched.map(
    (w) => `"${itemOf(byId, w.item).title}"${w.rating !== null ? ` rated ${w.rating}` : ''}`,
  );
  return `The history now ends with ${added.join(', ')}; the person moves on to another page.`;
}
