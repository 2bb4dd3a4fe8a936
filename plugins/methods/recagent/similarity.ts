import { LexicalIndex, type Doc } from '../../../harness/plugin-api.js';

/**
 * BM25 similarity between texts of one collection, relative to the query's
 * score against itself, so that one threshold means the same thing for short
 * and long texts (raw BM25 scores are unbounded). The collection fixes the
 * term weights: it should hold more than the few texts being compared (a
 * term shared by every text of a tiny collection weighs almost nothing), so
 * the memory adds the user's older history as background.
 */
export class SimilarityIndex {
  private readonly index: LexicalIndex;

  constructor(docs: readonly Doc[]) {
    this.index = new LexicalIndex(docs);
  }

  /** Similarity in [0, 1] of the doc `queryId` (whose text is `query`) to each candidate; candidates sharing no term are absent. */
  relative(queryId: string, query: string, candidates: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    if (candidates.length === 0) return out;
    const scores = new Map(this.index.search(query, this.index.count).map((h) => [h.id, h.score]));
    const self = scores.get(queryId) ?? 0;
    if (self <= 0) return out;
    for (const c of candidates) {
      const s = scores.get(c);
      if (s !== undefined && c !== queryId) out.set(c, Math.min(1, s / self));
    }
    return out;
  }
}
