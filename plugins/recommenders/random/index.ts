import { defineRecommender, Rng, Type } from '../../../harness/plugin-api.js';

/** Uniformly random ranking, fixed per user by the seed: the floor every recommender must beat. */
export default defineRecommender({
  name: 'random',
  description: 'Uniformly random ranking of the items a user has not seen (seeded per user).',
  options: Type.Object({}, { additionalProperties: false }),
  async fit(train, _o, ctx) {
    const items = train.items.map((i) => i.id);
    return {
      recommend(userId, k, exclude) {
        const rng = Rng.derive(ctx.seed, 'random-recommender', userId);
        return rng.shuffle(items.filter((i) => !exclude.has(i))).slice(0, k);
      },
    };
  },
});
