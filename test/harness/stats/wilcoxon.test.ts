import { describe, expect, it } from 'vitest';
import { wilcoxonSignedRank } from '../../../harness/stats/index.ts';
import { close, fixtures } from './fixtures.ts';

const zeros = (n: number) => new Array<number>(n).fill(0);

describe('wilcoxonSignedRank', () => {
  it("reproduces R's wilcox.test example (Hollander & Wolfe depression data)", () => {
    // R documentation of wilcox.test (https://stat.ethz.ch/R-manual/R-devel/library/stats/html/wilcox.test.html),
    // "## Hollander & Wolfe (1973), 29f. ## Dependent observations are paired":
    // wilcox.test(x, y, paired = TRUE, alternative = "greater") gives V = 40, p-value = 0.01953.
    // Hand check: W- = 5 and P(W+ >= 40) = #{subsets of 1..9 with sum <= 5} / 2^9 = 10 / 512.
    // (0.03906 = 20/512 is the two-sided p-value.)
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const greater = wilcoxonSignedRank(x, y, { alternative: 'greater' });
    expect(greater.statistic).toBe(40);
    expect(greater.rPlus).toBe(40);
    expect(greater.pValue).toBe(10 / 512);
    expect(greater.method).toBe('exact');
    const twoSided = wilcoxonSignedRank(x, y, { alternative: 'two-sided' });
    expect(twoSided.statistic).toBe(5); // min(W+, W-), scipy's convention
    expect(twoSided.rPlus).toBe(40); // R's V
    expect(twoSided.pValue).toBe(20 / 512);
    // R: wilcox.test(y - x, alternative = "less") is "the same".
    expect(wilcoxonSignedRank(y, x, { alternative: 'less' }).pValue).toBe(10 / 512);
  });

  it('reproduces the scipy.stats.wilcoxon docstring example (Darwin corn heights)', () => {
    // https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.wilcoxon.html (Examples):
    // wilcoxon(d) -> (24.0, 0.041259765625); wilcoxon(d, alternative='greater') -> (96.0, 0.0206298828125);
    // wilcoxon(d, method='asymptotic') -> (24.0, 0.04088813291185591).
    const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
    const two = wilcoxonSignedRank(d, zeros(15), { alternative: 'two-sided' });
    expect(two.statistic).toBe(24);
    expect(two.pValue).toBe(0.041259765625);
    const greater = wilcoxonSignedRank(d, zeros(15), { alternative: 'greater' });
    expect(greater.statistic).toBe(96);
    expect(greater.pValue).toBe(0.0206298828125);
    const approx = wilcoxonSignedRank(d, zeros(15), { alternative: 'two-sided', mode: 'approx' });
    expect(approx.statistic).toBe(24);
    expect(approx.pValue).toBeCloseTo(0.04088813291185591, 14);
    expect(approx.method).toBe('approx');
  });

  it('reproduces the scipy docstring example with ties (exact over all sign assignments)', () => {
    // Same page: x = [0.5, 0.825, 0.375, 0.5], y = [0.525, 0.775, 0.325, 0.55]:
    // wilcoxon(x, y, alternative='greater') -> statistic=5.0, pvalue=0.5625 (x - y has roundoff: no ties);
    // wilcoxon([-0.025, 0.05, 0.05, -0.05], alternative='greater') -> statistic=6.0, pvalue=0.5 (ties).
    const r1 = wilcoxonSignedRank([0.5, 0.825, 0.375, 0.5], [0.525, 0.775, 0.325, 0.55], { alternative: 'greater' });
    expect(r1.statistic).toBe(5);
    expect(r1.pValue).toBe(0.5625);
    const r2 = wilcoxonSignedRank([-0.025, 0.05, 0.05, -0.05], zeros(4), { alternative: 'greater' });
    expect(r2.statistic).toBe(6);
    expect(r2.pValue).toBe(0.5);
    expect(r2.method).toBe('exact-conditional');
  });

  it('matches scipy.stats.wilcoxon on every zero method, correction, alternative and mode', () => {
    // 1000+ cases: continuous data (n = 1..80), ties and zeros, ties without zeros;
    // see make_fixtures.py.
    const { data, cases } = fixtures.wilcoxon;
    expect(cases.length).toBeGreaterThan(1000);
    for (const c of cases) {
      const d = data[c.data];
      if (d === undefined) throw new Error('bad fixture');
      const r = wilcoxonSignedRank(d.x, d.y, {
        alternative: c.alternative,
        zeroMethod: c.zeroMethod,
        correction: c.correction,
        mode: c.mode,
      });
      const what = `${d.label} ${c.zeroMethod} correction=${c.correction} ${c.alternative} ${c.mode}`;
      if (!close(r.statistic, c.statistic, 1e-12, 1e-12))
        expect.fail(`${what}: statistic ${r.statistic}, scipy ${c.statistic}`);
      if (!close(r.pValue, c.pValue, 1e-9, 1e-15)) expect.fail(`${what}: p ${r.pValue}, scipy ${c.pValue}`);
      if (c.zStatistic !== undefined && !close(r.zStatistic ?? NaN, c.zStatistic, 1e-10, 1e-12)) {
        expect.fail(`${what}: z ${r.zStatistic}, scipy ${c.zStatistic}`);
      }
    }
  });

  it("uses the exact distribution up to n = 50 without ties or zeros, else the normal approximation (scipy's 'auto')", () => {
    const x50 = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (i + 1) * 0.37);
    expect(wilcoxonSignedRank(x50, zeros(50), { alternative: 'two-sided' }).method).toBe('exact');
    const x51 = [...x50, 100];
    expect(wilcoxonSignedRank(x51, zeros(51), { alternative: 'two-sided' }).method).toBe('approx');
    const tied = [...x50.slice(0, 19), -(x50[5] as number)]; // |d| tied with element 5
    expect(wilcoxonSignedRank(tied, zeros(20), { alternative: 'two-sided' }).method).toBe('approx');
    expect(wilcoxonSignedRank([1, 2, 0, 4], zeros(4), { alternative: 'two-sided' }).method).toBe('exact-conditional');
  });

  it('drops zero differences (wilcox), and all-zero differences give p = 1 instead of NaN', () => {
    const r = wilcoxonSignedRank([1, 2, 3, 4], [1, 1, 1, 1], { alternative: 'greater' });
    expect(r.zeros).toBe(1);
    expect(r.n).toBe(3);
    // d = 0, 1, 2, 3 -> ranks of 1, 2, 3 all positive: W+ = 6; exact over 2^3 assignments: 1/8.
    expect(r.rPlus).toBe(6);
    expect(r.pValue).toBe(1 / 8);
    const none = wilcoxonSignedRank([1, 2, 3], [1, 2, 3], { alternative: 'two-sided' });
    expect(none.pValue).toBe(1);
    expect(none.statistic).toBe(0);
    const manyZeros = wilcoxonSignedRank(zeros(60), zeros(60), { alternative: 'less', mode: 'approx' });
    expect(manyZeros.pValue).toBe(1);
  });

  it('handles a single pair', () => {
    // n = 1: W+ is 0 or 1 with probability 1/2 each.
    expect(wilcoxonSignedRank([2], [1], { alternative: 'greater' }).pValue).toBe(0.5);
    expect(wilcoxonSignedRank([2], [1], { alternative: 'less' }).pValue).toBe(1);
    expect(wilcoxonSignedRank([2], [1], { alternative: 'two-sided' }).pValue).toBe(1);
  });

  it('is antisymmetric in its arguments', () => {
    const a = [3.1, 2.2, 5.3, 4.4, 1.5, 6.6, 2.7, 3.8];
    const b = [2.0, 2.9, 3.1, 3.5, 1.9, 4.2, 1.1, 3.0];
    const g = wilcoxonSignedRank(a, b, { alternative: 'greater' });
    const l = wilcoxonSignedRank(b, a, { alternative: 'less' });
    expect(l.pValue).toBe(g.pValue);
  });

  it('requires a direction and well-formed input', () => {
    // @ts-expect-error: the alternative is required
    expect(() => wilcoxonSignedRank([1, 2], [2, 3], {})).toThrow(/alternative is required/);
    // @ts-expect-error: options are required
    expect(() => wilcoxonSignedRank([1, 2], [2, 3])).toThrow(/required/);
    expect(() => wilcoxonSignedRank([], [], { alternative: 'greater' })).toThrow(/empty/);
    expect(() => wilcoxonSignedRank([1, 2], [1], { alternative: 'greater' })).toThrow(/same length/);
    expect(() => wilcoxonSignedRank([1, NaN], [1, 2], { alternative: 'greater' })).toThrow(/finite/);
    // @ts-expect-error: invalid zero method
    expect(() => wilcoxonSignedRank([1, 2], [2, 3], { alternative: 'less', zeroMethod: 'drop' })).toThrow(/zeroMethod/);
  });
});
