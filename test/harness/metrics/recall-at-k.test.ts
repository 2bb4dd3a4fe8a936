import { describe, expect, it } from 'vitest';
import { recallAtK } from '../../../harness/metrics/index.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';

describe('recallAtK', () => {
  it('is the share of the relevant items found in the first k, over all of them', () => {
    expect(recallAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z'], 4)).toBeCloseTo(2 / 3, 15);
    expect(recallAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z'], 2)).toBeCloseTo(1 / 3, 15);
    // the denominator is |relevant|, not min(k, |relevant|)
    expect(recallAtK(['a'], ['a', 'b', 'c', 'd'], 1)).toBe(0.25);
    expect(recallAtK([], ['a'], 3)).toBe(0);
  });

  it('matches the numpy reference fixtures', () => {
    for (const f of rankingFixtures.ranking)
      expect(recallAtK(f.ranked, new Set(f.relevant), f.k)).toBeCloseTo(f.recall, 14);
  });

  it('throws RangeError on no relevant item', () => {
    expect(() => recallAtK(['a'], new Set<string>(), 1)).toThrow(RangeError);
  });
});
