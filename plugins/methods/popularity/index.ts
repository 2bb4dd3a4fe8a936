import { defineMethod, type Simulator, Type, type Interaction, type RatingScale } from '../../../harness/plugin-api.js';
import { browseByJudgement } from '../shared/browse-by-judgement.js';

const Options = Type.Object(
  {
    damping: Type.Number({
      minimum: 0,
      default: 5,
      description: 'Pseudo-ratings at the global mean added to each item mean (shrinks rarely rated items).',
    }),
  },
  { additionalProperties: false },
);

/**
 * The non-LLM floor: likes what many users interacted with, rates an item at
 * its (damped) mean training rating.
 */
export default defineMethod({
  name: 'popularity',
  version: 1,
  description: 'Non-LLM reference: like = item popularity above the typical training item; rating = damped item mean.',
  options: Options,
  usesLlm: false,
  capabilities: ['discriminate', 'rate', 'browse'],
  choices: [
    'popularity: "like" when the item has at least as many training interactions as the median training interaction\'s item',
  ],
  async create(o) {
    const counts = new Map<string, number>();
    const sums = new Map<string, number>();
    const rated = new Map<string, number>();
    let globalMean = 0;
    let threshold = 0;
    let scale: RatingScale | null = null;
    const sim: Simulator = {
      async fit(train) {
        scale = train.scale;
        let total = 0;
        let n = 0;
        for (const x of train.interactions as Interaction[]) {
          counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
          if (x.rating !== null) {
            sums.set(x.item, (sums.get(x.item) ?? 0) + x.rating);
            rated.set(x.item, (rated.get(x.item) ?? 0) + 1);
            total += x.rating;
            n++;
          }
        }
        globalMean = n > 0 ? total / n : 0;
        const perInteraction = train.interactions.map((x) => counts.get(x.item) ?? 0).sort((a, b) => a - b);
        threshold = perInteraction[Math.floor(perInteraction.length / 2)] ?? 0;
      },
      async discriminate(_user, items) {
        return items.map((i) => ({ item: i.id, like: (counts.get(i.id) ?? 0) >= threshold && threshold > 0 }));
      },
      async rate(_user, items) {
        return items.map((i) => {
          const k = rated.get(i.id) ?? 0;
          const mean = ((sums.get(i.id) ?? 0) + o.damping * globalMean) / (k + o.damping || 1);
          const lo = scale?.min ?? -Infinity;
          const hi = scale?.max ?? Infinity;
          return { item: i.id, rating: Math.min(hi, Math.max(lo, mean)) };
        });
      },
      async browse(user, pages, ctx) {
        // Without stars (implicit data) there is no rating to give: watched items go unrated.
        return browseByJudgement(
          pages,
          async (p) => (await sim.discriminate?.(user, p.items, ctx)) ?? [],
          async (p) => (scale ? ((await sim.rate?.(user, p.items, ctx)) ?? []) : []),
        );
      },
    };
    return sim;
  },
});
