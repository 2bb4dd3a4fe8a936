import { topKHits } from './ranking-check.js';

/** Recall@k: relevant items among the first k, over all relevant items (not over min(k, |relevant|)). */
export function recallAtK<T>(ranked: readonly T[], relevant: ReadonlySet<T> | readonly T[], k: number): number {
  const { hits, relevant: n } = topKHits('recallAtK', ranked, relevant, k);
  return hits.filter(Boolean).length / n;
}
