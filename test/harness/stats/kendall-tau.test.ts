import { describe, expect, it } from 'vitest';
import { kendallTauB } from '../../../harness/stats/index.ts';

describe('kendallTauB', () => {
  it('matches the scipy.stats.kendalltau documented example (with ties)', () => {
    // scipy docs: x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0] → statistic -0.47140452079103173
    expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 14);
  });

  it('matches scipy 1.17 on ties in both samples, and on perfect agreement and reversal', () => {
    // python3 -c "from scipy.stats import kendalltau; print(kendalltau([1,1,2,3],[1,2,2,3]).statistic)" → 0.7999999999999999
    expect(kendallTauB([1, 1, 2, 3], [1, 2, 2, 3])).toBeCloseTo(0.8, 14);
    expect(kendallTauB([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(kendallTauB([0.1, 0.5, 0.3], [0.2, 0.9, 0.5])).toBe(1);
  });

  it('is NaN when a sample is constant, and rejects bad input', () => {
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => kendallTauB([1], [1])).toThrow(/at least 2/);
    expect(() => kendallTauB([1, 2], [1])).toThrow(/x has 2/);
    expect(() => kendallTauB([1, Number.NaN], [1, 2])).toThrow(/NaN/);
  });
});
