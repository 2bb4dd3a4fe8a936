/**
 * Per-key lazily built state: the first caller builds, concurrent callers
 * share the same Promise. A failed build is forgotten so that a later unit
 * (or the next batch round, after a BatchPending) tries again.
 */
export function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const p = make();
  cache.set(key, p);
  p.catch(() => {
    if (cache.get(key) === p) cache.delete(key);
  });
  return p;
}
