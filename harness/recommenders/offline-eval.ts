import type { Recommendation } from '../api/recommender.js';
import type { Interaction } from '../data/types.js';
import { compareIds } from '../data/splits.js';
import { ndcgAtK, recallAtK } from '../metrics/index.js';

/** A (user, item) pair: an `Interaction` will do. */
export type UserItem = Pick<Interaction, 'user' | 'item'>;

export interface OfflineEvalInput {
  /** A fitted recommender. */
  readonly recommendation: Recommendation;
  /** The training interactions: each user's are excluded from their ranking. */
  readonly train: readonly UserItem[];
  /** The held-out interactions (e.g. valid ∪ test): each user's relevant items. */
  readonly heldOut: readonly UserItem[];
  readonly k: number;
}

export interface OfflineUserScore {
  readonly user: string;
  readonly ndcg: number;
  readonly recall: number;
  /** Relevant items: the user's held-out items that are not among their training items. */
  readonly relevant: number;
}

export interface OfflineEvalResult {
  readonly k: number;
  /** One entry per evaluated user, in id order (numeric ids numerically): the paired units. */
  readonly users: readonly OfflineUserScore[];
  readonly meanNdcg: number;
  readonly meanRecall: number;
  /** Users with held-out interactions but none outside their training items (nothing to retrieve). */
  readonly skippedUsers: number;
}

/**
 * Offline top-k evaluation of a recommender (the "offline NDCG" side of the
 * recommender-evaluation task): each user who has a held-out item gets the
 * recommender's top k with their training items excluded, scored with binary
 * NDCG@k and Recall@k against their held-out items. A held-out item that is
 * also a training item of the same user cannot be recommended, so it is not
 * counted as relevant.
 */
export function offlineEval(input: OfflineEvalInput): OfflineEvalResult {
  const { recommendation, k } = input;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`offlineEval: k must be a positive integer, got ${k}`);
  const seen = groupItems(input.train);
  const heldOut = groupItems(input.heldOut);
  const users: OfflineUserScore[] = [];
  let skippedUsers = 0;
  for (const user of [...heldOut.keys()].sort(compareIds)) {
    const exclude = seen.get(user) ?? new Set<string>();
    const relevant = new Set([...(heldOut.get(user) as Set<string>)].filter((i) => !exclude.has(i)));
    if (relevant.size === 0) {
      skippedUsers++;
      continue;
    }
    const ranked = recommendation.recommend(user, k, exclude);
    users.push({
      user,
      ndcg: ndcgAtK(ranked, relevant, k),
      recall: recallAtK(ranked, relevant, k),
      relevant: relevant.size,
    });
  }
  if (users.length === 0) throw new RangeError('offlineEval: no user has a held-out item outside their training items');
  const mean = (f: (s: OfflineUserScore) => number) => users.reduce((s, x) => s + f(x), 0) / users.length;
  return { k, users, meanNdcg: mean((s) => s.ndcg), meanRecall: mean((s) => s.recall), skippedUsers };
}

function groupItems(pairs: readonly UserItem[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const { user, item } of pairs) {
    let s = m.get(user);
    if (!s) m.set(user, (s = new Set()));
    s.add(item);
  }
  return m;
}
