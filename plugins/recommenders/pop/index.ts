import { defineRecommender, Type } from '../../../harness/plugin-api.js';
import { firstK, popularityOrder } from '../shared/ranking.js';

/** Most-interacted items first; ties broken by item id so the ranking is stable. */
export default defineRecommender({
  name: 'pop',
  description: 'Most popular items in the training split first (ties by item id).',
  options: Type.Object({}, { additionalProperties: false }),
  async fit(train) {
    const ranked = popularityOrder(train);
    return {
      recommend(_userId, k, exclude) {
        return firstK(ranked, k, exclude);
      },
    };
  },
});
