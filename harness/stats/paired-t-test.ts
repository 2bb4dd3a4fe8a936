import { type Alternative, checkAlternative, checkLevel, checkPaired, checkValues } from './check.js';
import { studentTCdf, studentTQuantile, studentTSf } from './distributions.js';

export interface PairedTTestOptions {
  /** Required: 'greater' (H1: mean(a - b) > 0), 'less' or 'two-sided'. */
  alternative: Alternative;
  /** Level of the confidence interval of the mean difference (default 0.95). */
  level?: number;
}

export interface PairedTTestResult {
  /** t statistic. */
  statistic: number;
  pValue: number;
  df: number;
  /** mean(a - b). */
  meanDifference: number;
  /** Confidence interval of the mean difference, one-sided for one-sided alternatives (as R's t.test). */
  ci: { lo: number; hi: number; level: number };
}

const FN = 'pairedTTest';

/**
 * Paired t-test of the mean of d = a - b against 0, as scipy.stats.ttest_rel and
 * R's t.test(a, b, paired = TRUE): t = mean(d) / (sd(d) / sqrt(n)), df = n - 1,
 * sd with denominator n - 1.
 *
 * Degenerate cases: when every difference is equal, sd = 0. With a non-zero mean
 * difference t is +-Infinity (scipy does the same; p = 0 or 1); when every difference
 * is 0, scipy returns NaN and R stops with "data are essentially constant" -- this
 * returns t = 0 and p = 1 (no evidence of any difference).
 */
export function pairedTTest(
  a: readonly number[],
  b: readonly number[],
  options: PairedTTestOptions,
): PairedTTestResult {
  if (options === undefined || options === null) throw new TypeError(`${FN}: options { alternative } are required`);
  const alternative = checkAlternative(FN, options.alternative);
  checkPaired(FN, a, b);
  checkValues(FN, 'a', a);
  checkValues(FN, 'b', b);
  const level = options.level === undefined ? 0.95 : checkLevel(FN, options.level);
  const n = a.length;
  if (n < 2)
    throw new RangeError(`${FN}: needs at least 2 pairs, got ${n} (the variance of one difference is undefined)`);

  let m = 0;
  for (let i = 0; i < n; i++) m += (a[i] as number) - (b[i] as number);
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const e = (a[i] as number) - (b[i] as number) - m;
    ss += e * e;
  }
  const df = n - 1;
  const se = Math.sqrt(ss / df / n);

  let t: number;
  let pValue: number;
  if (se === 0) {
    t = m === 0 ? 0 : m > 0 ? Infinity : -Infinity;
    if (m === 0) pValue = 1;
    else pValue = alternative === 'greater' ? (m > 0 ? 0 : 1) : alternative === 'less' ? (m < 0 ? 0 : 1) : 0;
  } else {
    t = m / se;
    pValue =
      alternative === 'greater'
        ? studentTSf(t, df)
        : alternative === 'less'
          ? studentTCdf(t, df)
          : Math.min(1, 2 * studentTSf(Math.abs(t), df));
  }

  let ci: PairedTTestResult['ci'];
  if (alternative === 'two-sided') {
    const q = studentTQuantile(1 - (1 - level) / 2, df);
    ci = { lo: m - q * se, hi: m + q * se, level };
  } else {
    const q = studentTQuantile(level, df);
    ci = alternative === 'greater' ? { lo: m - q * se, hi: Infinity, level } : { lo: -Infinity, hi: m + q * se, level };
  }
  return { statistic: t, pValue, df, meanDifference: m, ci };
}
