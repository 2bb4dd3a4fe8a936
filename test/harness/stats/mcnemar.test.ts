import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../../harness/stats/index.ts';
import { mcnemarExactFromCounts } from '../../../harness/stats/mcnemar.ts';
import { fixtures } from './fixtures.ts';

/** Paired booleans with the given 2x2 cell counts (both correct, only a, only b, neither). */
function pairs(both: number, onlyA: number, onlyB: number, neither: number): [boolean[], boolean[]] {
  const a: boolean[] = [];
  const b: boolean[] = [];
  const push = (k: number, x: boolean, y: boolean) => {
    for (let i = 0; i < k; i++) {
      a.push(x);
      b.push(y);
    }
  };
  push(both, true, true);
  push(onlyA, true, false);
  push(onlyB, false, true);
  push(neither, false, false);
  return [a, b];
}

describe('mcnemarExact', () => {
  it('reproduces the exact conditional McNemar test of Fagerland et al. (Cavo et al. 2012 data)', () => {
    // Fagerland, Lydersen & Laake, "The McNemar test for binary matched-pairs data: mid-p and asymptotic
    // are better than exact conditional", BMC Med Res Methodol 13:91 (2013), and their book
    // "Statistical Analysis of Contingency Tables" (2017), ch. 8: table [[59, 6], [16, 80]];
    // "The McNemar exact conditional test: P = 0.052479" (R package contingencytables,
    // McNemar_exact_cond_test_paired_2x2(cavo_2012), tests/testthat/test-ch8.R).
    // Hand check: 2 * sum_{k<=6} C(22, k) / 2^22 = 2 * 110056 / 4194304.
    const [a, b] = pairs(59, 6, 16, 80);
    const r = mcnemarExact(a, b);
    expect(r.b).toBe(6);
    expect(r.c).toBe(16);
    expect(r.statistic).toBe(6);
    expect(r.pValue).toBeCloseTo(0.052479, 6);
    expect(r.pValue).toBeCloseTo((2 * 110056) / 4194304, 14);
  });

  it('reproduces the exact2x2 vignette table (discordant 2 and 9)', () => {
    // R package exact2x2, vignette "exactMcNemar": x <- matrix(c(21, 9, 2, 12), 2, 2); mcnemar.exact(x).
    // Hand check: 2 * P(X <= 2), X ~ Bin(11, 1/2) = 2 * (1 + 11 + 55) / 2048 = 0.06542969.
    const [a, b] = pairs(21, 2, 9, 12);
    const r = mcnemarExact(a, b);
    expect(r.pValue).toBeCloseTo(134 / 2048, 15);
  });

  it('matches scipy.stats.binomtest on the discordant pairs', () => {
    for (const c of fixtures.mcnemar) {
      const r = mcnemarExactFromCounts(c.b, c.c);
      expect(r.statistic).toBe(c.statistic);
      expect(r.pValue).toBeCloseTo(c.pValue, 12);
    }
  });

  it('is symmetric, ignores concordant pairs, and gives p = 1 without discordant pairs', () => {
    const [a, b] = pairs(5, 3, 10, 7);
    expect(mcnemarExact(a, b).pValue).toBe(mcnemarExact(b, a).pValue);
    const [a2, b2] = pairs(500, 3, 10, 700);
    expect(mcnemarExact(a2, b2).pValue).toBe(mcnemarExact(a, b).pValue);
    const [a3, b3] = pairs(4, 0, 0, 2);
    expect(mcnemarExact(a3, b3)).toEqual({ statistic: 0, pValue: 1, b: 0, c: 0 });
    expect(mcnemarExact([true], [false]).pValue).toBe(1); // one discordant pair: 2 * 1/2
  });

  it('rejects empty, mismatched and non-boolean input', () => {
    expect(() => mcnemarExact([], [])).toThrow(/empty/);
    expect(() => mcnemarExact([true], [true, false])).toThrow(/same length/);
    // @ts-expect-error: numbers are not booleans
    expect(() => mcnemarExact([1, 0], [0, 1])).toThrow(/booleans/);
  });
});
