import { topKHits } from './ranking-check.js';

/**
 * NDCG@k with binary relevance: DCG = Σ_{r ≤ k, item at rank r relevant} 1/log₂(r + 1),
 * divided by the ideal DCG, Σ_{r ≤ min(k, |relevant|)} 1/log₂(r + 1). This is
 * scikit-learn's `ndcg_score` on 0/1 relevance for a ranking without ties.
 */
export function ndcgAtK<T>(ranked: readonly T[], relevant: ReadonlySet<T> | readonly T[], k: number): number {
  const { hits, relevant: n } = topKHits('ndcgAtK', ranked, relevant, k);
  let dcg = 0;
  hits.forEach((hit, r) => {
    if (hit) dcg += 1 / Math.log2(r + 2);
  });
  let idcg = 0;
  for (let r = 0; r < Math.min(k, n); r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}
