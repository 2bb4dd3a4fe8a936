import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this much heap nothing is collected early: small runs never pay for it. */
const FLOOR_BYTES = 256 * 1024 * 1024;
/** The heap may grow to this multiple of what the last collection left live. */
const GROWTH = 1.3;
/** Ticks between two looks at the heap. */
const EVERY = 512;
/** After a collection that took t ms, none is forced for BUDGET × t ms: they take at most about a fifth of the time. */
const BUDGET = 4;

let collector: (() => void) | null | undefined;

/** V8's full collection, made callable once per process (the flag is what `node --expose-gc` sets). */
function fullCollection(): (() => void) | null {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  return collector;
}

/**
 * Keeps the heap within GROWTH times what is live. With the default heap limit
 * of a machine with a few GiB, V8 lets the old generation grow to up to four
 * times its live size before a full collection; a large run's garbage then
 * took RSS to 800-960 MB at 20,000 users while 180-230 MB of it was live
 * (issue 16). The runner and the score stage tick once per unit or line; every
 * EVERY ticks the heap is looked at, and collected when it passed the bound.
 * It changes when memory is reclaimed, never a result.
 */
export class HeapBound {
  private ticks = 0;
  private bound: number;
  private quietUntil = 0;

  constructor(
    private readonly floor = FLOOR_BYTES,
    private readonly growth = GROWTH,
    private readonly every = EVERY,
  ) {
    this.bound = floor;
  }

  tick(): void {
    if (++this.ticks % this.every === 0) this.check();
  }

  /** Between two stages (rare): the time budget does not apply. */
  boundary(): void {
    this.quietUntil = 0;
    this.check();
  }

  check(): void {
    if (getHeapStatistics().used_heap_size < this.bound || performance.now() < this.quietUntil) return;
    const gc = fullCollection();
    if (!gc) {
      // The runtime refused the flag: V8's own schedule is all there is, which only costs memory.
      this.bound = Number.POSITIVE_INFINITY;
      return;
    }
    const t0 = performance.now();
    gc();
    const t1 = performance.now();
    this.quietUntil = t1 + BUDGET * (t1 - t0);
    this.bound = Math.max(this.floor, this.growth * getHeapStatistics().used_heap_size);
  }
}

/** One per process: the heap is. */
export const heapBound = new HeapBound();
