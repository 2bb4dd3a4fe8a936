import { describe, expect, it } from 'vitest';
import { hitRateAtK } from '../../../harness/metrics/index.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';

describe('hitRateAtK', () => {
  it('is 1 when any of the first k items is relevant, else 0', () => {
    expect(hitRateAtK(['a', 'b', 'c'], ['c'], 3)).toBe(1);
    expect(hitRateAtK(['a', 'b', 'c'], ['c'], 2)).toBe(0);
    expect(hitRateAtK([], ['c'], 2)).toBe(0);
  });

  it('matches the numpy reference fixtures', () => {
    for (const f of rankingFixtures.ranking) expect(hitRateAtK(f.ranked, f.relevant, f.k)).toBe(f.hitRate);
  });

  it('throws RangeError on no relevant item', () => {
    expect(() => hitRateAtK(['a'], [], 1)).toThrow(/hitRateAtK: no relevant items/);
  });
});
