import { describe, expect, it } from 'vitest';
import { precisionAtK } from '../../../harness/metrics/index.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';

describe('precisionAtK', () => {
  it('is the share of relevant items among the first k places', () => {
    expect(precisionAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z'], 4)).toBe(0.5);
    expect(precisionAtK(['a', 'b', 'c', 'd'], ['b', 'd', 'z'], 1)).toBe(0);
    // a ranking shorter than k: the empty places are misses (divide by k, not by the list's length)
    expect(precisionAtK(['b'], ['b'], 4)).toBe(0.25);
  });

  it('matches the numpy reference fixtures', () => {
    for (const f of rankingFixtures.ranking)
      expect(precisionAtK(f.ranked, f.relevant, f.k)).toBeCloseTo(f.precision, 14);
  });

  it('throws RangeError on a bad k', () => {
    expect(() => precisionAtK(['a'], ['a'], -1)).toThrow(RangeError);
  });
});
