import { describe, expect, it } from 'vitest';
import { pairedTTest } from '../../../harness/stats/index.ts';
import { close, fixtures } from './fixtures.ts';

// R's sleep data (Cushny & Peebles 1905; Student 1908): extra hours of sleep with drug 1 and drug 2.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('pairedTTest', () => {
  it("reproduces R's t.test sleep example", () => {
    // R documentation of t.test (https://stat.ethz.ch/R-manual/R-devel/library/stats/html/t.test.html), example
    // with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE)):
    // t = -4.0621, df = 9, p-value = 0.002833; 95 percent confidence interval -2.4598858 -0.7001142;
    // mean difference -1.58.
    const r = pairedTTest(drug1, drug2, { alternative: 'two-sided' });
    expect(r.statistic).toBeCloseTo(-4.0621, 4);
    expect(r.df).toBe(9);
    expect(r.pValue).toBeCloseTo(0.002833, 6);
    expect(r.meanDifference).toBeCloseTo(-1.58, 12);
    expect(r.ci.lo).toBeCloseTo(-2.4598858, 7);
    expect(r.ci.hi).toBeCloseTo(-0.7001142, 7);
  });

  it('one-sided p-values are half the two-sided one in the direction of the effect', () => {
    const two = pairedTTest(drug1, drug2, { alternative: 'two-sided' }).pValue;
    const less = pairedTTest(drug1, drug2, { alternative: 'less' });
    const greater = pairedTTest(drug1, drug2, { alternative: 'greater' });
    expect(less.pValue).toBeCloseTo(two / 2, 15);
    expect(greater.pValue).toBeCloseTo(1 - two / 2, 15);
    expect(less.ci.lo).toBe(-Infinity);
    expect(greater.ci.hi).toBe(Infinity);
  });

  it('matches scipy.stats.ttest_rel (statistic, p-value, df, confidence interval)', () => {
    for (const c of fixtures.ttestRel) {
      const r = pairedTTest(c.x, c.y, { alternative: c.alternative });
      const what = `n=${c.x.length} ${c.alternative}`;
      if (!close(r.statistic, c.statistic, 1e-12)) expect.fail(`${what}: t ${r.statistic} vs ${c.statistic}`);
      if (!close(r.pValue, c.pValue, 1e-10, 1e-300)) expect.fail(`${what}: p ${r.pValue} vs ${c.pValue}`);
      expect(r.df).toBe(c.df);
      if (!close(r.ci.lo, c.lo, 1e-10, 1e-12)) expect.fail(`${what}: lo ${r.ci.lo} vs ${c.lo}`);
      if (!close(r.ci.hi, c.hi, 1e-10, 1e-12)) expect.fail(`${what}: hi ${r.ci.hi} vs ${c.hi}`);
    }
  });

  it('degenerate differences: identical pairs give t = 0, p = 1; a constant shift gives |t| = Infinity', () => {
    const same = pairedTTest([1, 2, 3], [1, 2, 3], { alternative: 'two-sided' });
    expect(same.statistic).toBe(0);
    expect(same.pValue).toBe(1);
    const shift = pairedTTest([2, 3, 4], [1, 2, 3], { alternative: 'greater' });
    expect(shift.statistic).toBe(Infinity);
    expect(shift.pValue).toBe(0);
    expect(pairedTTest([2, 3, 4], [1, 2, 3], { alternative: 'less' }).pValue).toBe(1);
  });

  it('needs at least 2 pairs, a direction, and equal lengths', () => {
    expect(() => pairedTTest([1], [2], { alternative: 'two-sided' })).toThrow(/needs at least 2 pairs/);
    expect(() => pairedTTest([], [], { alternative: 'two-sided' })).toThrow(/empty/);
    expect(() => pairedTTest([1, 2, 3], [1, 2], { alternative: 'two-sided' })).toThrow(/same length/);
    // @ts-expect-error: the alternative is required
    expect(() => pairedTTest([1, 2, 3], [1, 2, 4], {})).toThrow(/alternative is required/);
    // @ts-expect-error: not an alternative
    expect(() => pairedTTest([1, 2, 3], [1, 2, 4], { alternative: 'two.sided' })).toThrow(/alternative must be/);
  });
});
