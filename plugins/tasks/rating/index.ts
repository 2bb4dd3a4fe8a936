import { Type, Rng, UnitError, defineTask, type MetricValue } from '../../../harness/plugin-api.js';
import { heldOutByUser } from '../shared/held-out.js';

const Options = Type.Object(
  {
    maxItemsPerUser: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: 20,
      description: 'Held-out rated items per user (sampled with the seed when more); null: all of them.',
    }),
    users: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: null,
      description: 'Evaluate at most this many users (first by id); null: all.',
    }),
  },
  { additionalProperties: false },
);

interface Gold {
  readonly ratings: Readonly<Record<string, number>>;
}

type Answer = Readonly<Record<string, number>>;

/**
 * Rating prediction: RMSE and MAE over all (user, item) pairs;
 * the per-user mean squared and absolute errors are the paired units.
 */
export const rating = defineTask({
  name: 'rating',
  description: 'Predict the held-out ratings of each user on the dataset scale; RMSE and MAE over all pairs.',
  version: 1,
  needs: { data: 'ratings', capabilities: ['rate'], ratingScale: true },
  options: Options,
  choices: ['rating: at most 20 held-out items per user (sampled with the seed), configurable as maxItemsPerUser'],
  metrics() {
    return [
      { key: 'rmse', label: 'RMSE', direction: 'lower' as const, unitScore: 'mse' },
      { key: 'mae', label: 'MAE', direction: 'lower' as const, unitScore: 'mae' },
    ];
  },
  noUnits(dataset) {
    return `no user of ${dataset.name} has a rated interaction in the valid or test part of the split ${dataset.split.name}`;
  },
  buildUnits(dataset, options, rng) {
    if (dataset.scale === null) return null;
    const held = heldOutByUser(dataset);
    const users = [...held.keys()].slice(0, options.users ?? undefined);
    const units = [];
    for (const user of users) {
      const rated = (held.get(user) ?? []).filter((x) => x.rating !== null);
      if (rated.length === 0) continue;
      const unitRng = Rng.derive(rng.nextUint32(), user);
      const chosen =
        options.maxItemsPerUser !== null && rated.length > options.maxItemsPerUser
          ? unitRng.sample(rated, options.maxItemsPerUser)
          : rated;
      const ratings: Record<string, number> = {};
      for (const x of chosen) ratings[x.item] = x.rating as number;
      units.push({ key: user, user, items: chosen.map((x) => x.item), gold: { ratings } as Gold });
    }
    return units;
  },
  async run(sim, user, items, ctx): Promise<Answer> {
    if (!sim.rate) throw new UnitError('method', 'method has no rate capability');
    const scale = user.scale;
    if (!scale) throw new UnitError('method', 'dataset has no rating scale');
    const preds = await sim.rate(user, items, ctx);
    const wanted = new Set(items.map((i) => i.id));
    const answer: Record<string, number> = {};
    for (const p of preds) {
      if (!wanted.has(p.item)) throw new UnitError('answer', `answer names item "${p.item}", which was not offered`);
      if (!Number.isFinite(p.rating) || p.rating < scale.min || p.rating > scale.max) {
        throw new UnitError(
          'answer',
          `rating ${p.rating} for item "${p.item}" is outside the scale ${scale.min}–${scale.max}`,
        );
      }
      answer[p.item] = p.rating;
    }
    const missing = items.filter((i) => !(i.id in answer)).map((i) => i.id);
    if (missing.length > 0)
      throw new UnitError(
        'answer',
        `answer misses ${missing.length} of ${items.length} items (${missing.slice(0, 5).join(', ')})`,
      );
    return answer;
  },
  score(unit, answer) {
    let se = 0;
    let ae = 0;
    for (const item of unit.items) {
      const d = (answer[item] as number) - (unit.gold.ratings[item] as number);
      se += d * d;
      ae += Math.abs(d);
    }
    const n = unit.items.length;
    return { mse: se / n, mae: ae / n, sse: se, sae: ae, n };
  },
  aggregate(done) {
    let sse = 0;
    let sae = 0;
    let pairs = 0;
    for (const d of done) {
      sse += d.scores['sse'] as number;
      sae += d.scores['sae'] as number;
      pairs += d.scores['n'] as number;
    }
    const ids = done.map((d) => d.id);
    const rmse: MetricValue = {
      value: pairs === 0 ? Number.NaN : Math.sqrt(sse / pairs),
      n: done.length,
      estimator: 'weighted-mean',
      unitIds: ids,
      unitScores: done.map((d) => d.scores['mse'] as number),
      unitWeights: done.map((d) => d.scores['n'] as number),
      transform: 'sqrt',
      extra: { pairs },
    };
    const mae: MetricValue = {
      value: pairs === 0 ? Number.NaN : sae / pairs,
      n: done.length,
      estimator: 'weighted-mean',
      unitIds: ids,
      unitScores: done.map((d) => d.scores['mae'] as number),
      unitWeights: done.map((d) => d.scores['n'] as number),
      extra: { pairs },
    };
    return { rmse, mae };
  },
  distributions(done) {
    const truth: Record<string, number> = {};
    const predicted: Record<string, number> = {};
    for (const d of done) {
      for (const item of d.unit.items) {
        const g = String(Math.round(d.unit.gold.ratings[item] as number));
        const p = String(Math.round(d.answer[item] as number));
        truth[g] = (truth[g] ?? 0) + 1;
        predicted[p] = (predicted[p] ?? 0) + 1;
      }
    }
    return { true: truth, predicted };
  },
});

export default rating;
