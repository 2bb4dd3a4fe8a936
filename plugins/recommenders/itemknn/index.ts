import { defineRecommender, Type } from '../../../harness/plugin-api.js';
import {
  implicitMatrix,
  minRatingIssues,
  itemCounts,
  minRatingOption,
  type ImplicitMatrix,
} from '../shared/implicit-matrix.js';
import { selectTop } from '../shared/ranking.js';
import { implicitChoices, recommendByScore } from '../shared/recommend-by-score.js';

const Options = Type.Object(
  {
    neighbours: Type.Integer({ minimum: 1, default: 100, description: 'Most similar items kept per item.' }),
    shrink: Type.Number({
      minimum: 0,
      default: 0,
      description: 'Added to the cosine denominator: damps similarities resting on few common users.',
    }),
    minRating: minRatingOption(),
  },
  { additionalProperties: false },
);

/** For each item i, its kept neighbours j and sim(i, j): `item`/`sim` at `start[i] .. start[i + 1]`, most similar first. */
export interface Neighbours {
  readonly start: Int32Array;
  readonly item: Int32Array;
  readonly sim: Float64Array;
}

/**
 * Cosine similarity of the items' binary user vectors,
 * sim(i, j) = |U_i ∩ U_j| / (√|U_i|·√|U_j| + shrink), keeping for each item the
 * `neighbours` most similar other items (ties by id; items sharing no user are
 * never neighbours). One item at a time, so memory is O(items × neighbours).
 */
export function cosineNeighbours(m: ImplicitMatrix, neighbours: number, shrink: number): Neighbours {
  const nItems = m.itemIds.length;
  const counts = itemCounts(m);
  const common = new Float64Array(nItems);
  const sims = new Float64Array(nItems);
  const touched: number[] = [];
  const start = new Int32Array(nItems + 1);
  const item: number[] = [];
  const sim: number[] = [];
  for (let i = 0; i < nItems; i++) {
    touched.length = 0;
    for (let p = m.colStart[i] as number; p < (m.colStart[i + 1] as number); p++) {
      const u = m.rows[p] as number;
      for (let q = m.rowStart[u] as number; q < (m.rowStart[u + 1] as number); q++) {
        const j = m.cols[q] as number;
        if (j === i) continue;
        if (common[j] === 0) touched.push(j);
        common[j] = (common[j] as number) + 1;
      }
    }
    const norm = Math.sqrt(counts[i] as number);
    for (const j of touched) sims[j] = (common[j] as number) / (norm * Math.sqrt(counts[j] as number) + shrink);
    for (const j of selectTop(sims, m.idOrder, neighbours, touched)) {
      item.push(j);
      sim.push(sims[j] as number);
    }
    for (const j of touched) common[j] = sims[j] = 0;
    start[i + 1] = item.length;
  }
  return { start, item: Int32Array.from(item), sim: Float64Array.from(sim) };
}

export default defineRecommender({
  name: 'itemknn',
  description:
    "Item-based k-nearest neighbours: cosine similarity of binary item vectors, top `neighbours` per item, score = sum of similarities to the user's items.",
  options: Options,
  checkDataset: (o, dataset) => minRatingIssues(o.minRating, dataset),
  choices: [
    ...implicitChoices('itemknn'),
    "itemknn: items with score 0 (no neighbour among the user's items) follow, by id",
  ],
  async fit(train, o) {
    const m = implicitMatrix(train, o.minRating);
    const nb = cosineNeighbours(m, o.neighbours, o.shrink);
    return recommendByScore(train, m, (_u, mine) => {
      const score = new Float64Array(m.itemIds.length);
      for (const i of mine) {
        for (let p = nb.start[i] as number; p < (nb.start[i + 1] as number); p++) {
          const j = nb.item[p] as number;
          score[j] = (score[j] as number) + (nb.sim[p] as number);
        }
      }
      return score;
    });
  },
});
