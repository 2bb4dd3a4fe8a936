import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Longest stretch of work between two turns of the event loop. */
const YIELD_EVERY_MS = 20;

/**
 * Runs `work` over `items` with at most `limit` in flight. Stops starting new
 * items once `signal` aborts and resolves when the in-flight ones settle.
 * Work that never waits on I/O (an offline mock, a non-LLM method) would chain
 * promises without end and starve timers and signal handlers (Ctrl-C would go
 * unseen until the run ends): the pool gives the event loop a turn every
 * YIELD_EVERY_MS.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  let lastTurn = Date.now();
  const worker = async () => {
    while (!signal.aborted && failure === null) {
      if (Date.now() - lastTurn >= YIELD_EVERY_MS) {
        lastTurn = Date.now();
        await yieldToEventLoop();
        if (signal.aborted) return;
      }
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
