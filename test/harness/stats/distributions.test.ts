import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  binomialPmf,
  binomialSf,
  erfc,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from '../../../harness/stats/distributions.ts';
import { close, fixtures } from './fixtures.ts';

/** Expect a relative agreement, with a message naming the case. */
function expectClose(actual: number, expected: number, rel: number, what: string, abs = 0): void {
  if (!close(actual, expected, rel, abs))
    expect.fail(`${what}: got ${actual}, expected ${expected} (rel tol ${rel}, abs ${abs})`);
}

describe('normal distribution', () => {
  it('matches the textbook quantiles', () => {
    // Abramowitz & Stegun (1964), Table 26.5 / any normal table: z_0.975 = 1.959963985, z_0.95 = 1.644853627.
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
  });

  it('matches scipy.special.ndtr in both tails to ~1e-14 relative', () => {
    for (const c of fixtures.normal) {
      expectClose(normalCdf(c.z), c.cdf, 1e-13, `cdf(${c.z})`, 1e-300);
      expectClose(normalSf(c.z), c.sf, 1e-13, `sf(${c.z})`, 1e-300);
    }
  });

  it('matches scipy.special.ndtri, far tails included', () => {
    for (const c of fixtures.normalQuantile) expectClose(normalQuantile(c.p), c.q, 1e-14, `quantile(${c.p})`, 1e-15);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });

  it('round-trips quantile and cdf', () => {
    for (const p of [1e-12, 0.001, 0.2, 0.5, 0.8, 0.999])
      expectClose(normalCdf(normalQuantile(p)), p, 1e-13, `cdf(quantile(${p}))`);
  });

  it('erfc is 2 - erfc(-x) and decreasing', () => {
    for (const x of [0.1, 0.4, 0.5, 1, 3, 4.5, 10]) expectClose(erfc(-x), 2 - erfc(x), 1e-15, `erfc(-${x})`);
    expect(erfc(0)).toBe(1);
    expect(erfc(30)).toBe(0);
  });
});

describe("Student's t distribution", () => {
  it('gives the two-sided p-value of the R sleep example', () => {
    // R: t.test(extra ~ group, data = sleep, paired = TRUE): t = -4.0621, df = 9, p-value = 0.002833
    // (https://stat.ethz.ch/R-manual/R-devel/library/stats/html/t.test.html, example).
    expect(2 * studentTCdf(-4.0621, 9)).toBeCloseTo(0.002833, 6);
  });

  it('matches scipy.special.stdtr for cdf and survival function', () => {
    for (const c of fixtures.studentT) {
      // The continued fraction accumulates ~1e-11 relative error for df = 1e6 (checked against mpmath).
      const tol = c.df > 1e5 ? 1e-10 : 1e-11;
      expectClose(studentTCdf(c.t, c.df), c.cdf, tol, `cdf(${c.t}; ${c.df})`, 1e-300);
      expectClose(studentTSf(c.t, c.df), c.sf, tol, `sf(${c.t}; ${c.df})`, 1e-300);
    }
  });

  it('matches scipy.special.stdtrit for quantiles', () => {
    for (const c of fixtures.studentTQuantile)
      expectClose(studentTQuantile(c.p, c.df), c.q, 1e-10, `quantile(${c.p}; ${c.df})`, 1e-14);
    // Cauchy (df = 1): the 0.975 quantile is tan(0.475 pi).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 9);
  });

  it('rejects non-positive degrees of freedom', () => {
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
  });
});

describe('gamma, beta and binomial', () => {
  it('logGamma matches scipy.special.gammaln', () => {
    for (const c of fixtures.logGamma) expectClose(logGamma(c.x), c.value, 1e-13, `logGamma(${c.x})`, 1e-14);
    // Gamma(1/2) = sqrt(pi).
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
  });

  it('the regularised incomplete beta matches scipy.special.betainc', () => {
    for (const c of fixtures.incompleteBeta)
      expectClose(regularizedIncompleteBeta(c.x, c.a, c.b), c.value, 1e-11, `I_${c.x}(${c.a}, ${c.b})`, 1e-300);
  });

  it('binomial pmf, cdf and sf match scipy.stats.binom', () => {
    for (const c of fixtures.binomial) {
      expectClose(binomialPmf(c.k, c.n, c.p), c.pmf, 1e-11, `pmf(${c.k}; ${c.n}, ${c.p})`, 1e-300);
      expectClose(binomialCdf(c.k, c.n, c.p), c.cdf, 1e-11, `cdf(${c.k}; ${c.n}, ${c.p})`, 1e-300);
      expectClose(binomialSf(c.k, c.n, c.p), c.sf, 1e-11, `sf(${c.k}; ${c.n}, ${c.p})`, 1e-300);
    }
  });

  it('binomial cdf by hand: P(X <= 2), X ~ Bin(11, 1/2) = (1 + 11 + 55) / 2048', () => {
    expect(binomialCdf(2, 11, 0.5)).toBeCloseTo(67 / 2048, 15);
    expect(binomialCdf(-1, 11, 0.5)).toBe(0);
    expect(binomialCdf(11, 11, 0.5)).toBe(1);
    expect(binomialCdf(0, 0, 0.5)).toBe(1);
  });
});
