import { defineRecommender, Type } from '../../../harness/plugin-api.js';
import {
  implicitMatrix,
  minRatingIssues,
  itemCounts,
  minRatingOption,
  type ImplicitMatrix,
} from '../shared/implicit-matrix.js';
import { implicitChoices, recommendByScore } from '../shared/recommend-by-score.js';
import { totalmem } from 'node:os';
import {
  invertSpdInPlace,
  maxSpdSize,
  type SpdInverseStats,
  spdWorkspace,
  spdWorkspaceBytes,
} from '../shared/spd-inverse.js';

const Options = Type.Object(
  {
    l2: Type.Number({
      exclusiveMinimum: 0,
      default: 500,
      description: 'λ, the L2 penalty on the item-item weights: larger values give smaller, smoother weights.',
    }),
    minRating: minRatingOption(),
    maxItems: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: null,
      description:
        'Refuse to fit when more items than this have training interactions (the dense n×n inverse needs 8·n² bytes and O(n³) time); null: as many as memory allows (about 23,000 items, the 4 GiB of WebAssembly memory).',
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
  /** How the inverse was computed (threads, and the tasks worker threads took). */
  readonly inverse: SpdInverseStats;
}

/**
 * EASEᴿ (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019):
 * P = (XᵀX + λI)⁻¹, B = I − P·diag(1/diag(P)), i.e. B[i][j] = −P[i][j] / P[j][j]
 * and B[j][j] = 0. Only items with at least one training interaction enter the
 * model: a column of zeros in X would only add its own λ on the diagonal.
 */
export function easeWeights(m: ImplicitMatrix, l2: number, maxItems: number | null, threads?: number): EaseWeights {
  const counts = itemCounts(m);
  const items = Int32Array.from(counts.keys()).filter((j) => (counts[j] as number) > 0);
  const n = items.length;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const filter = 'filter the catalogue (e.g. a k-core)';
  if (maxItems !== null && n > maxItems)
    throw new RangeError(
      `ease: ${n} items have training interactions, more than maxItems (${maxItems}). The dense ${n}×${n} inverse would need ${gib(spdWorkspaceBytes(n))} and O(n³) time; ` +
        `${filter}, or raise the option maxItems if this machine can take it.`,
    );
  const limit = maxSpdSize();
  if (n > limit || spdWorkspaceBytes(n) > 0.8 * totalmem())
    throw new RangeError(
      `ease: ${n} items have training interactions; the dense ${n}×${n} inverse would need ${gib(spdWorkspaceBytes(n))}, ` +
        `more than ${n > limit ? `the 4 GiB of WebAssembly memory (at most ${limit} items)` : `80% of this machine's ${gib(totalmem())}`}; ${filter}.`,
    );
  const local = new Int32Array(m.itemIds.length).fill(-1);
  items.forEach((j, a) => (local[j] = a));
  // Gram matrix XᵀX + λI, lower triangle only (the inverse reads no more): every pair of items a user shares adds
  // one. Row by row, so that all the increments of a row land in one cached row rather than across the matrix
  // (measured 5× faster at 3,706 items and a million interactions than user by user).
  const ws = spdWorkspace(n);
  const { f, stride: N } = ws;
  const cols = Int32Array.from(m.cols, (j) => local[j] as number);
  // Rows are taken in ascending item order and each user's items are ascending, so when row a is built each of
  // its users' next unvisited item is a itself: the items at or below the diagonal are the prefix up to it.
  const next = m.rowStart.slice(0, m.userIds.length);
  for (let a = 0; a < n; a++) {
    const j = items[a] as number;
    const r = a * N;
    for (let p = m.colStart[j] as number; p < (m.colStart[j + 1] as number); p++) {
      const u = m.rows[p] as number;
      const end = next[u] as number;
      for (let q = m.rowStart[u] as number; q <= end; q++)
        f[r + (cols[q] as number)] = (f[r + (cols[q] as number)] as number) + 1;
      next[u] = end + 1;
    }
  }
  for (let a = 0; a < n; a++) f[a * N + a] = (f[a * N + a] as number) + l2;
  const inverse = invertSpdInPlace(ws, threads);
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = f[j * N + j] as number;
  // B[i][j] = −P[i][j] / P[j][j], written at row stride n: row i moves to i·n ≤ i·N, after rows < i are done
  for (let i = 0; i < n; i++) {
    const src = i * N;
    const dst = i * n;
    for (let j = 0; j < n; j++) f[dst + j] = i === j ? 0 : -(f[src + j] as number) / (diag[j] as number);
  }
  return { items, local, b: f.subarray(0, n * n), inverse };
}

export default defineRecommender({
  name: 'ease',
  description:
    'EASE^R (Steck 2019): closed-form item-item linear autoencoder on the binary interaction matrix, L2 penalty l2.',
  options: Options,
  checkDataset: (o, dataset) => minRatingIssues(o.minRating, dataset),
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
