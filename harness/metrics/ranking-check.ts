/**
 * Shared argument checks of the top-k ranking metrics. A ranking lists each
 * item at most once; it may be shorter than k (missing positions count as
 * misses). A metric over no relevant item is undefined: an error, never NaN.
 */
export interface TopKHits {
  /** Whether position r (0-based) of the ranking's first k holds a relevant item. */
  readonly hits: readonly boolean[];
  /** Number of distinct relevant items. */
  readonly relevant: number;
}

export function topKHits<T>(
  name: string,
  ranked: readonly T[],
  relevant: ReadonlySet<T> | readonly T[],
  k: number,
): TopKHits {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${name}: k must be a positive integer, got ${k}`);
  const rel = relevant instanceof Set ? relevant : new Set(relevant as readonly T[]);
  if (rel.size === 0) throw new RangeError(`${name}: no relevant items to score`);
  const seen = new Set<T>();
  for (const x of ranked) {
    if (seen.has(x)) throw new RangeError(`${name}: the ranking lists ${String(x)} twice`);
    seen.add(x);
  }
  return { hits: ranked.slice(0, k).map((x) => rel.has(x)), relevant: rel.size };
}
