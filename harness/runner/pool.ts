/**
 * Runs `work` over `items` with at most `limit` in flight. Stops starting new
 * items once `signal` aborts and resolves when the in-flight ones settle.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (!signal.aborted && failure === null) {
      const k = next++;
      if (k >= items.length) return;
      try {
        await work(items[k] as T);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw failure;
}
