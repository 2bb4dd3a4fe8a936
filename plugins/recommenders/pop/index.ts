import { defineRecommender, Type } from '../../../harness/plugin-api.js';

/** Most-interacted items first; ties broken by item id so the ranking is stable. */
export default defineRecommender({
  name: 'pop',
  description: 'Most popular items in the training split first (ties by item id).',
  options: Type.Object({}, { additionalProperties: false }),
  async fit(train) {
    const counts = new Map<string, number>();
    for (const x of train.interactions) counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
    const ranked = train.items.map((i) => i.id).sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    return {
      recommend(_userId, k, exclude) {
        const out: string[] = [];
        for (const id of ranked) {
          if (out.length >= k) break;
          if (!exclude.has(id)) out.push(id);
        }
        return out;
      },
    };
  },
});
