import { defineRecommender, Type } from '../../../harness/plugin-api.js';
import { implicitMatrix, itemCounts, minRatingOption, type ImplicitMatrix } from '../shared/implicit-matrix.js';
import { implicitChoices, recommendByScore } from '../shared/recommend-by-score.js';
import { invertSpd } from '../shared/spd-inverse.js';

const Options = Type.Object(
  {
    l2: Type.Number({
      exclusiveMinimum: 0,
      default: 500,
      description: 'λ, the L2 penalty on the item-item weights: larger values give smaller, smoother weights.',
    }),
    minRating: minRatingOption(),
    maxItems: Type.Integer({
      minimum: 1,
      default: 20000,
      description:
        'Refuse to fit when more items than this have training interactions: the dense n×n inverse needs 16·n² bytes and O(n³) time.',
    }),
  },
  { additionalProperties: false },
);

/** Item-item weights of EASE, over the items that have training interactions. */
export interface EaseWeights {
  /** Catalogue indices of the items in the model, ascending. */
  readonly items: Int32Array;
  /** Catalogue index → position in `items`, or -1 for an item outside the model. */
  readonly local: Int32Array;
  /** Row-major n×n, n = items.length: B[i][j], the weight of having item i on item j's score; zero diagonal. */
  readonly b: Float64Array;
}

/**
 * EASEᴿ (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019):
 * P = (XᵀX + λI)⁻¹, B = I − P·diag(1/diag(P)), i.e. B[i][j] = −P[i][j] / P[j][j]
 * and B[j][j] = 0. Only items with at least one training interaction enter the
 * model: a column of zeros in X would only add its own λ on the diagonal.
 */
export function easeWeights(m: ImplicitMatrix, l2: number, maxItems: number): EaseWeights {
  const counts = itemCounts(m);
  const items = Int32Array.from(counts.keys()).filter((j) => (counts[j] as number) > 0);
  const n = items.length;
  if (n > maxItems) {
    const gib = (16 * n * n) / 2 ** 30;
    throw new RangeError(
      `ease: ${n} items have training interactions, more than maxItems (${maxItems}). The dense ${n}×${n} inverse would need ${gib.toFixed(1)} GiB and O(n³) time; ` +
        'filter the catalogue (e.g. a k-core), or raise the option maxItems if this machine can take it.',
    );
  }
  const local = new Int32Array(m.itemIds.length).fill(-1);
  items.forEach((j, a) => (local[j] = a));
  // Gram matrix XᵀX + λI: every pair of items a user shares adds one.
  const g = new Float64Array(n * n);
  const row = new Int32Array(m.itemIds.length);
  for (let u = 0; u < m.userIds.length; u++) {
    const start = m.rowStart[u] as number;
    const len = (m.rowStart[u + 1] as number) - start;
    for (let p = 0; p < len; p++) row[p] = local[m.cols[start + p] as number] as number;
    for (let p = 0; p < len; p++) {
      const r = (row[p] as number) * n;
      for (let q = 0; q < len; q++) g[r + (row[q] as number)] = (g[r + (row[q] as number)] as number) + 1;
    }
  }
  for (let a = 0; a < n; a++) g[a * n + a] = (g[a * n + a] as number) + l2;
  const b = invertSpd(g, n);
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = b[j * n + j] as number;
  for (let i = 0; i < n; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) b[r + j] = i === j ? 0 : -(b[r + j] as number) / (diag[j] as number);
  }
  return { items, local, b };
}

export default defineRecommender({
  name: 'ease',
  description:
    'EASE^R (Steck 2019): closed-form item-item linear autoencoder on the binary interaction matrix, L2 penalty l2.',
  options: Options,
  choices: [
    ...implicitChoices('ease'),
    'ease: items without training interactions rank after every other item (by id)',
  ],
  async fit(train, o) {
    const m = implicitMatrix(train, o.minRating);
    const { items, local, b } = easeWeights(m, o.l2, o.maxItems);
    const n = items.length;
    return recommendByScore(train, m, (_u, mine) => {
      const acc = new Float64Array(n);
      for (const j of mine) {
        const r = (local[j] as number) * n;
        for (let t = 0; t < n; t++) acc[t] = (acc[t] as number) + (b[r + t] as number);
      }
      const score = new Float64Array(m.itemIds.length).fill(-Infinity);
      items.forEach((j, a) => (score[j] = acc[a] as number));
      return score;
    });
  },
});
