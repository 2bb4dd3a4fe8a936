import type { Recommendation, TrainData } from '../../../harness/plugin-api.js';
import { userItems, type ImplicitMatrix } from './implicit-matrix.js';
import { firstK, popularityOrder, topKIds } from './ranking.js';

/**
 * A recommendation from a score over the catalogue: the user's top k by score
 * (ties by item id) among the items not excluded. `score` gets the user's row
 * index and items. A user without counted training interactions gets the pop
 * ranking instead: a model that knows nothing of them has nothing better.
 */
export function recommendByScore(
  train: TrainData,
  m: ImplicitMatrix,
  score: (user: number, items: Int32Array) => Float64Array,
): Recommendation {
  const popular = popularityOrder(train);
  return {
    recommend(userId, k, exclude) {
      const u = m.userIndex.get(userId);
      if (u === undefined) return firstK(popular, k, exclude);
      return topKIds(score(u, userItems(m, userId)), m.itemIds, m.idOrder, k, exclude);
    },
  };
}

/** The choices every model-based recommender makes, for the manifest. */
export const implicitChoices = (name: string): string[] => [
  `${name}: training interactions are implicit feedback (any interaction = 1) unless minRating is set`,
  `${name}: a user without training interactions gets the pop ranking; ties are broken by item id`,
];
