import { topKHits } from './ranking-check.js';

/** Precision@k: relevant items among the first k, over k (a ranking shorter than k counts its missing places as misses). */
export function precisionAtK<T>(ranked: readonly T[], relevant: ReadonlySet<T> | readonly T[], k: number): number {
  const { hits } = topKHits('precisionAtK', ranked, relevant, k);
  return hits.filter(Boolean).length / k;
}
