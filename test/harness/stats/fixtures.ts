import { readFileSync } from 'node:fs';

/**
 * Reference values computed with scipy 1.17 / numpy by
 * test/fixtures/stats/make_fixtures.py (see its docstring for what each block is).
 * Infinite values are stored as the strings "Infinity" / "-Infinity".
 */
type Num = number;

export interface StatsFixtures {
  scipy: string;
  normal: Array<{ z: Num; cdf: Num; sf: Num }>;
  normalQuantile: Array<{ p: Num; q: Num }>;
  studentT: Array<{ t: Num; df: Num; cdf: Num; sf: Num }>;
  studentTQuantile: Array<{ p: Num; df: Num; q: Num }>;
  incompleteBeta: Array<{ x: Num; a: Num; b: Num; value: Num }>;
  logGamma: Array<{ x: Num; value: Num }>;
  binomial: Array<{ k: Num; n: Num; p: Num; pmf: Num; cdf: Num; sf: Num }>;
  wilcoxon: {
    data: Array<{ label: string; x: Num[]; y: Num[] }>;
    cases: Array<{
      data: number;
      zeroMethod: 'wilcox' | 'pratt' | 'zsplit';
      correction: boolean;
      alternative: 'two-sided' | 'greater' | 'less';
      mode: 'auto' | 'exact' | 'approx';
      statistic: Num;
      pValue: Num;
      zStatistic?: Num;
    }>;
  };
  ttestRel: Array<{
    x: Num[];
    y: Num[];
    alternative: 'two-sided' | 'greater' | 'less';
    statistic: Num;
    pValue: Num;
    df: Num;
    lo: Num;
    hi: Num;
  }>;
  mcnemar: Array<{ b: Num; c: Num; statistic: Num; pValue: Num }>;
  multipleTesting: Array<{ p: Num[]; holm: Num[]; bh: Num[] }>;
  permutation: Array<{
    x: Num[];
    y: Num[];
    alternative: 'two-sided' | 'greater' | 'less';
    statistic: Num;
    pValue: Num;
  }>;
  bootstrap: Array<{
    name: string;
    data: Num[][];
    method: 'percentile' | 'bca';
    B: number;
    runs: number;
    point: Num;
    loMean: Num;
    loSd: Num;
    hiMean: Num;
    hiSd: Num;
  }>;
  bcaFormula: {
    data: Num[];
    thetaStar: Num[];
    alpha: Num;
    alpha1: Num;
    alpha2: Num;
    acceleration: Num;
    lo: Num;
    hi: Num;
    percentileLo: Num;
    percentileHi: Num;
  };
}

export const fixtures: StatsFixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/stats-fixtures.json', import.meta.url), 'utf8'),
  (_key, value: unknown) => (value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value),
) as StatsFixtures;

/** |actual - expected| <= rel * |expected| (+ abs); infinities must match exactly. */
export function close(actual: number, expected: number, rel: number, abs = 0): boolean {
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;
}
