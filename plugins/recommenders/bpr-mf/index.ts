import { defineRecommender, Rng, Type } from '../../../harness/plugin-api.js';
import { implicitMatrix, minRatingIssues, minRatingOption, type ImplicitMatrix } from '../shared/implicit-matrix.js';
import { implicitChoices, recommendByScore } from '../shared/recommend-by-score.js';

const Options = Type.Object(
  {
    factors: Type.Integer({ minimum: 1, default: 64, description: 'Latent dimensions of the user and item vectors.' }),
    epochs: Type.Integer({
      minimum: 0,
      default: 50,
      description: 'Passes; one pass draws as many triples as there are (user, item) positives.',
    }),
    learningRate: Type.Number({ exclusiveMinimum: 0, default: 0.05, description: 'SGD step size.' }),
    regularization: Type.Number({
      minimum: 0,
      default: 0.03,
      description: 'L2 penalty on the factors and item biases, applied at every update.',
    }),
    initStd: Type.Number({
      minimum: 0,
      default: 0.1,
      description: 'Standard deviation of the normal initial factors (biases start at 0).',
    }),
    itemBias: Type.Boolean({
      default: true,
      description: 'Add a learned per-item bias to the score x̂ᵤᵢ = pᵤ·qᵢ + bᵢ.',
    }),
    minRating: minRatingOption(),
  },
  { additionalProperties: false },
);
type BprOptions = typeof Options.static;

/** Learned factors: user u's vector at `p[u·f .. (u+1)·f)`, item j's at `q[j·f ..)`, and its bias `b[j]`. */
export interface BprModel {
  readonly factors: number;
  readonly p: Float64Array;
  readonly q: Float64Array;
  readonly b: Float64Array;
}

/**
 * LearnBPR (Rendle, Freudenthaler, Gantner, Schmidt-Thieme, UAI 2009): SGD on
 * ln σ(x̂ᵤᵢ − x̂ᵤⱼ) over triples drawn uniformly with replacement: a (user,
 * positive item) pair uniform among the training positives, then a negative
 * item uniform among the catalogue items the user has not interacted with.
 * Every draw comes from `rng`.
 */
export function trainBpr(m: ImplicitMatrix, o: BprOptions, rng: Rng): BprModel {
  const f = o.factors;
  const nItems = m.itemIds.length;
  const nUsers = m.userIds.length;
  const p = new Float64Array(nUsers * f);
  const q = new Float64Array(nItems * f);
  const b = new Float64Array(nItems);
  for (let t = 0; t < p.length; t++) p[t] = rng.normal(0, o.initStd);
  for (let t = 0; t < q.length; t++) q[t] = rng.normal(0, o.initStd);
  const nnz = m.cols.length;
  if (nnz === 0) return { factors: f, p, q, b };
  // The user of each positive, so that a positive pair is one uniform draw.
  const userOf = new Int32Array(nnz);
  for (let u = 0; u < nUsers; u++) userOf.fill(u, m.rowStart[u] as number, m.rowStart[u + 1] as number);
  const { learningRate: lr, regularization: reg } = o;
  const bias = o.itemBias ? 1 : 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let s = 0; s < nnz; s++) {
      const pos = rng.int(nnz);
      const u = userOf[pos] as number;
      const i = m.cols[pos] as number;
      const from = m.rowStart[u] as number;
      const to = m.rowStart[u + 1] as number;
      if (to - from >= nItems) continue; // the user has every item: no negative exists
      let j: number;
      do j = rng.int(nItems);
      while (hasItem(m.cols, from, to, j));
      const pu = u * f;
      const qi = i * f;
      const qj = j * f;
      let x = bias * ((b[i] as number) - (b[j] as number));
      for (let d = 0; d < f; d++) x += (p[pu + d] as number) * ((q[qi + d] as number) - (q[qj + d] as number));
      // d/dx ln σ(x) = σ(−x)
      const g = 1 / (1 + Math.exp(x));
      for (let d = 0; d < f; d++) {
        const wu = p[pu + d] as number;
        const wi = q[qi + d] as number;
        const wj = q[qj + d] as number;
        p[pu + d] = wu + lr * (g * (wi - wj) - reg * wu);
        q[qi + d] = wi + lr * (g * wu - reg * wi);
        q[qj + d] = wj + lr * (-g * wu - reg * wj);
      }
      if (bias) {
        b[i] = (b[i] as number) + lr * (g - reg * (b[i] as number));
        b[j] = (b[j] as number) + lr * (-g - reg * (b[j] as number));
      }
    }
  }
  return { factors: f, p, q, b };
}

/** Binary search of j in the sorted run cols[from .. to). */
function hasItem(cols: Int32Array, from: number, to: number, j: number): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cols[mid] as number;
    if (c === j) return true;
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export default defineRecommender({
  name: 'bpr-mf',
  description:
    'Matrix factorisation trained with Bayesian Personalised Ranking (Rendle et al. 2009): seeded SGD over uniformly sampled (user, positive, negative) triples.',
  options: Options,
  checkDataset: (o, dataset) => minRatingIssues(o.minRating, dataset),
  choices: [
    ...implicitChoices('bpr-mf'),
    'bpr-mf: triples drawn uniformly with replacement (a positive pair, then a negative among all catalogue items the user has not seen); learned item bias on by default',
  ],
  async fit(train, o, ctx) {
    const m = implicitMatrix(train, o.minRating);
    const { factors: f, p, q, b } = trainBpr(m, o, Rng.derive(ctx.seed, 'bpr-mf'));
    return recommendByScore(train, m, (u) => {
      const score = new Float64Array(m.itemIds.length);
      for (let j = 0; j < score.length; j++) {
        let s = o.itemBias ? (b[j] as number) : 0;
        for (let d = 0; d < f; d++) s += (p[u * f + d] as number) * (q[j * f + d] as number);
        score[j] = s;
      }
      return score;
    });
  },
});
