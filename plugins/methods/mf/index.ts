import { defineMethod, type Simulator, Type, thresholdIssues } from '../../../harness/plugin-api.js';
import { browseByJudgement } from '../shared/browse-by-judgement.js';
import { BiasedMf } from './model.js';

const Options = Type.Object(
  {
    factors: Type.Integer({ minimum: 1, default: 100, description: 'Latent factors (Surprise SVD default: 100).' }),
    epochs: Type.Integer({ minimum: 1, default: 20, description: 'SGD passes over the training ratings.' }),
    lr: Type.Number({ exclusiveMinimum: 0, default: 0.005, description: 'SGD learning rate.' }),
    reg: Type.Number({ minimum: 0, default: 0.02, description: 'L2 regularisation.' }),
    initStd: Type.Number({ minimum: 0, default: 0.1, description: 'Std of the normal initialisation of the factors.' }),
    likeThreshold: Type.Number({
      default: 3.5,
      description: 'discriminate: like when the predicted rating is at least this.',
    }),
  },
  { additionalProperties: false },
);

export default defineMethod({
  name: 'mf',
  version: 1,
  description:
    'Non-LLM reference: biased matrix factorisation trained by seeded SGD; like = predicted rating ≥ likeThreshold.',
  options: Options,
  checkDataset: (o, dataset) =>
    dataset.kind === 'ratings'
      ? thresholdIssues('likeThreshold', o.likeThreshold, dataset.scale, dataset.name, 'as liked')
      : [],
  usesLlm: false,
  capabilities: ['discriminate', 'rate', 'browse'],
  choices: [
    'mf: training ratings are shuffled every epoch with the run seed; predictions are clipped to the rating scale',
  ],
  async create(o) {
    const model = new BiasedMf(o);
    let lo = -Infinity;
    let hi = Infinity;
    const clip = (r: number) => Math.min(hi, Math.max(lo, r));
    const sim: Simulator = {
      async fit(train, ctx) {
        if (train.scale) {
          lo = train.scale.min;
          hi = train.scale.max;
        }
        model.fit(train.interactions, ctx.rng);
      },
      async discriminate(user, items) {
        return items.map((i) => ({ item: i.id, like: clip(model.predict(user.id, i.id)) >= o.likeThreshold }));
      },
      async rate(user, items) {
        return items.map((i) => ({ item: i.id, rating: clip(model.predict(user.id, i.id)) }));
      },
      async browse(user, pages, ctx) {
        // Without stars (implicit data) there is no rating to give: watched items go unrated.
        return browseByJudgement(
          pages,
          async (p) => (await sim.discriminate?.(user, p.items, ctx)) ?? [],
          async (p) => (user.scale ? ((await sim.rate?.(user, p.items, ctx)) ?? []) : []),
        );
      },
    };
    return sim;
  },
});
