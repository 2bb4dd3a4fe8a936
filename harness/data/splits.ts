import type { Interaction, RatingsSplit } from './types.js';
import { Rng } from '../util/rng.js';

export const SPLIT_NAMES = ['agent4rec', 'random', 'leave-last-out', 'temporal'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

export interface SplitOptions {
  readonly name: SplitName;
  /** Seed of the split (Agent4Rec used 101 for the user sample). */
  readonly seed: number;
  /** Keep at most this many users (sampled with the seed); null keeps all. */
  readonly users?: number | null;
  /** agent4rec: users need at least this many ratings strictly above `likedAbove`. */
  readonly minLiked?: number;
  readonly likedAbove?: number;
  /** train/valid/test fractions for agent4rec (per user) and random (global). */
  readonly fractions?: readonly [number, number, number];
}

/**
 * The splits shared by every ratings dataset. Each returns the interactions of
 * the kept users only; valid/test are what the tasks hold out.
 */
export function splitRatings(all: readonly Interaction[], opts: SplitOptions): RatingsSplit {
  switch (opts.name) {
    case 'agent4rec':
      return agent4rec(all, opts);
    case 'random':
      return randomSplit(all, opts);
    case 'leave-last-out':
      return leaveLastOut(all, opts);
    case 'temporal':
      return temporal(all, opts);
  }
}

function groupByUser(all: readonly Interaction[]): Map<string, Interaction[]> {
  const m = new Map<string, Interaction[]>();
  for (const x of all) {
    let l = m.get(x.user);
    if (!l) m.set(x.user, (l = []));
    l.push(x);
  }
  return m;
}

function sortedUsers(m: Map<string, Interaction[]>): string[] {
  return [...m.keys()].sort(compareIds);
}

/** Numeric ids sort numerically, others lexically, so user order never depends on file order. */
export function compareIds(a: string, b: string): number {
  // Plain decimal ids (the common case, sorted millions of times on big datasets) compare by length, then by text:
  // the same order as their numbers, without parsing.
  if (plainInteger(a) && plainInteger(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && a.trim() !== '' && b.trim() !== '')
    return na - nb || a.localeCompare(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "0" or digits without a leading zero, short enough to be exact as a number. */
function plainInteger(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 15) return false;
  const c0 = s.charCodeAt(0);
  if (c0 === 48) return n === 1;
  if (c0 < 49 || c0 > 57) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function keepUsers(users: string[], limit: number | null | undefined, seed: number): Set<string> {
  if (limit === null || limit === undefined || limit >= users.length) return new Set(users);
  return new Set(new Rng(seed).sample(users, limit));
}

/**
 * Agent4Rec's protocol: users with at least 20 ratings above 3,
 * `users` of them sampled with the seed, a per-user random 40/30/30 split, and
 * valid/test restricted to items that occur in the training split. With
 * implicit feedback (rating null: KGAT Amazon, Kaggle Steam purchases) every
 * interaction is a positive, so it counts as liked.
 */
function agent4rec(all: readonly Interaction[], opts: SplitOptions): RatingsSplit {
  const minLiked = opts.minLiked ?? 20;
  const likedAbove = opts.likedAbove ?? 3;
  const [fTrain, fValid] = opts.fractions ?? [0.4, 0.3, 0.3];
  const byUser = groupByUser(all);
  // Counted in place: a filtered copy of every user's rows costs a second pass of allocations on ML-1M.
  const eligible = sortedUsers(byUser).filter((u) => {
    let liked = 0;
    for (const x of byUser.get(u) ?? []) if (x.rating === null || x.rating > likedAbove) liked++;
    return liked >= minLiked;
  });
  const kept = keepUsers(eligible, opts.users === undefined ? 1000 : opts.users, opts.seed);
  const train: Interaction[] = [];
  const heldValid: Interaction[] = [];
  const heldTest: Interaction[] = [];
  for (const u of eligible) {
    if (!kept.has(u)) continue;
    const rows = (byUser.get(u) ?? []).slice().sort((a, b) => compareIds(a.item, b.item) || a.timestamp - b.timestamp);
    const shuffled = Rng.derive(opts.seed, 'agent4rec-split', u).shuffle(rows);
    const nTrain = Math.round(shuffled.length * fTrain);
    const nValid = Math.round(shuffled.length * fValid);
    train.push(...shuffled.slice(0, nTrain));
    heldValid.push(...shuffled.slice(nTrain, nTrain + nValid));
    heldTest.push(...shuffled.slice(nTrain + nValid));
  }
  const trainItems = new Set(train.map((x) => x.item));
  return {
    name: 'agent4rec',
    train,
    valid: heldValid.filter((x) => trainItems.has(x.item)),
    test: heldTest.filter((x) => trainItems.has(x.item)),
    excluded: [...heldValid, ...heldTest].filter((x) => !trainItems.has(x.item)),
  };
}

function randomSplit(all: readonly Interaction[], opts: SplitOptions): RatingsSplit {
  const [fTrain, fValid] = opts.fractions ?? [0.8, 0.1, 0.1];
  const byUser = groupByUser(all);
  const kept = keepUsers(sortedUsers(byUser), opts.users, opts.seed);
  const rows = all.filter((x) => kept.has(x.user));
  const shuffled = Rng.derive(opts.seed, 'random-split').shuffle(rows);
  const nTrain = Math.round(shuffled.length * fTrain);
  const nValid = Math.round(shuffled.length * fValid);
  return {
    name: 'random',
    train: shuffled.slice(0, nTrain),
    valid: shuffled.slice(nTrain, nTrain + nValid),
    test: shuffled.slice(nTrain + nValid),
  };
}

function leaveLastOut(all: readonly Interaction[], opts: SplitOptions): RatingsSplit {
  const byUser = groupByUser(all);
  const kept = keepUsers(sortedUsers(byUser), opts.users, opts.seed);
  const train: Interaction[] = [];
  const valid: Interaction[] = [];
  const test: Interaction[] = [];
  for (const u of sortedUsers(byUser)) {
    if (!kept.has(u)) continue;
    const rows = (byUser.get(u) ?? []).slice().sort((a, b) => a.timestamp - b.timestamp || compareIds(a.item, b.item));
    if (rows.length < 3) {
      train.push(...rows);
      continue;
    }
    test.push(rows[rows.length - 1] as Interaction);
    valid.push(rows[rows.length - 2] as Interaction);
    train.push(...rows.slice(0, -2));
  }
  return { name: 'leave-last-out', train, valid, test };
}

function temporal(all: readonly Interaction[], opts: SplitOptions): RatingsSplit {
  const [fTrain, fValid] = opts.fractions ?? [0.8, 0.1, 0.1];
  const byUser = groupByUser(all);
  const kept = keepUsers(sortedUsers(byUser), opts.users, opts.seed);
  const rows = all
    .filter((x) => kept.has(x.user))
    .slice()
    .sort((a, b) => a.timestamp - b.timestamp || compareIds(a.user, b.user) || compareIds(a.item, b.item));
  const nTrain = Math.round(rows.length * fTrain);
  const nValid = Math.round(rows.length * fValid);
  return {
    name: 'temporal',
    train: rows.slice(0, nTrain),
    valid: rows.slice(nTrain, nTrain + nValid),
    test: rows.slice(nTrain + nValid),
  };
}
