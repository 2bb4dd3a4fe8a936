import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { HeapBound } from '../../../harness/util/heap-bound.js';

const used = () => getHeapStatistics().used_heap_size;
const MB = 1024 * 1024;

/** About `mb` MB of small objects, as a run's garbage is. */
function junk(mb: number): object[] {
  const out: object[] = [];
  for (let k = 0; k < (mb * MB) / 64; k++) out.push({ k, a: k + 1, b: k + 2 });
  return out;
}

describe('HeapBound', () => {
  it('collects once the heap passed its bound, and then bounds it at growth × what is live', () => {
    const bound = new HeapBound(used() + 64 * MB, 1.5, 1);
    let garbage: object[] | null = junk(160);
    const before = used();
    expect(before).toBeGreaterThan(100 * MB);
    garbage = null;
    // No allocation since the junk was let go: only a collection can bring the heap down.
    bound.tick();
    expect(garbage).toBeNull();
    expect(used()).toBeLessThan(before - 100 * MB);
  });

  it('leaves a heap under its bound alone', () => {
    const bound = new HeapBound(used() + 512 * MB, 1.5, 1);
    let garbage: object[] | null = junk(96);
    const before = used();
    garbage = null;
    bound.check();
    expect(garbage).toBeNull();
    expect(used()).toBeGreaterThan(before - 16 * MB);
  });
});
