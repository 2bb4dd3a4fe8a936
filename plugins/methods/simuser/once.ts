import { BatchPending } from '../../../harness/plugin-api.js';

/**
 * Per-key lazily built state: the first caller builds, every later caller
 * shares the same Promise, a failed one too: a user whose persona failed
 * fails each of their units with that one error, from one set of calls, so a
 * rerun or a replay counts the same calls whatever order the units ran in.
 * Only a build waiting for a batch (BatchPending) is forgotten, so the next
 * batch round builds it from the batch's answers.
 */
export function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const p = make();
  cache.set(key, p);
  p.catch((e: unknown) => {
    if (e instanceof BatchPending && cache.get(key) === p) cache.delete(key);
  });
  return p;
}
