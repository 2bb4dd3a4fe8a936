import { topKHits } from './ranking-check.js';

/** Hit rate@k of one ranking: 1 when any of the first k items is relevant, else 0 (its mean over users is HR@k). */
export function hitRateAtK<T>(ranked: readonly T[], relevant: ReadonlySet<T> | readonly T[], k: number): number {
  return topKHits('hitRateAtK', ranked, relevant, k).hits.some(Boolean) ? 1 : 0;
}
