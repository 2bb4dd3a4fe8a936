import {
  type Alternative,
  checkAlternative,
  checkLevel,
  checkPaired,
  checkResamples,
  checkSeed,
  checkValues,
  mean,
} from './check.js';
import type { Statistic } from './bootstrap-ci.js';
import { quantiles } from './quantile.js';
import { meanDifferenceDistribution } from './mean-distribution.js';
import { Stream } from './resample.js';
import { SharedResamples } from './shared-resamples.js';

export interface PairedBootstrapOptions {
  /** Statistic of one system's per-unit values; the mean when omitted (fast path). */
  statistic?: Statistic;
  /** Number of bootstrap resamples. */
  B: number;
  seed: number | string;
  /** Required: 'greater' (H1: a is larger), 'less' (H1: a is smaller) or 'two-sided'. */
  alternative: Alternative;
  /** Level of the percentile interval of the difference reported in `ci` (default 0.95). */
  level?: number;
}

export interface PairedBootstrapResult {
  /** Observed difference stat(a) - stat(b). */
  statistic: number;
  pValue: number;
  /** Mean difference mean(a) - mean(b) (whatever the statistic). */
  effectSize: number;
  /** Percentile bootstrap interval of stat(a) - stat(b). */
  ci: { lo: number; hi: number; level: number };
  alternative: Alternative;
  B: number;
}

const FN = 'pairedBootstrapTest';

/**
 * Paired bootstrap test of stat(a) - stat(b): resample the pair indices with
 * replacement (the same units for both systems), B times, giving replicates delta*_r.
 *
 * The p-value is computed under the null by shifting the bootstrap distribution to
 * zero, T*_r = delta*_r - delta (the "shift method": Efron & Tibshirani 1993,
 * An Introduction to the Bootstrap, sec. 16.4; Hall & Wilson 1991, "Two guidelines
 * for bootstrap hypothesis testing", Biometrics 47:757-762, guideline 1), and asking
 * how often the null replicates are at least as extreme as the observed delta:
 *
 *   greater:   p = (1 + #{r : T*_r >= delta})   / (B + 1)   [i.e. delta*_r >= 2 delta, the
 *              test of Berg-Kirkpatrick et al. 2012, EMNLP, "An empirical investigation
 *              of statistical significance in NLP", Fig. 1]
 *   less:      p = (1 + #{r : T*_r <= delta})   / (B + 1)
 *   two-sided: p = (1 + #{r : |T*_r| >= |delta|}) / (B + 1)
 *
 * The +1 counts the observed sample as one of the resamples (Davison & Hinkley 1997,
 * Bootstrap Methods and their Application, eq. 4.11), so p is never 0 and the
 * smallest attainable p-value is 1/(B+1). Replicates within 1e-12 * max(|delta|, |delta*|)
 * of the threshold count as "at least as extreme" (ties are conservative; resampled sums
 * of the same numbers can differ in the last bits).
 *
 * With the default statistic (the mean) the replicates are mean(a*) - mean(b*) from
 * the fast paths of mean-distribution.ts: multinomial counts when the differences take
 * few distinct values, otherwise the resampled means of a and b on common indices (the
 * resamples of the CIs of a and b with the same seed).
 *
 * Needs at least 2 pairs: with one pair every replicate equals the observation and
 * the bootstrap has no variability to test against.
 */
export function pairedBootstrapTest(
  a: readonly number[],
  b: readonly number[],
  options: PairedBootstrapOptions,
): PairedBootstrapResult {
  if (options === undefined || options === null)
    throw new TypeError(`${FN}: options { B, seed, alternative } are required`);
  const alternative = checkAlternative(FN, options.alternative);
  checkPaired(FN, a, b);
  checkValues(FN, 'a', a);
  checkValues(FN, 'b', b);
  const B = checkResamples(FN, options.B);
  const seed = checkSeed(FN, options.seed);
  const level = options.level === undefined ? 0.95 : checkLevel(FN, options.level);
  const statistic = options.statistic;
  if (statistic !== undefined && typeof statistic !== 'function')
    throw new TypeError(`${FN}: statistic must be a function of a number[]`);
  const n = a.length;
  if (n < 2)
    throw new RangeError(`${FN}: needs at least 2 pairs, got ${n} (a bootstrap of one pair has no variability)`);

  const xa = Float64Array.from(a);
  const xb = Float64Array.from(b);
  const effectSize = mean(xa) - mean(xb);
  let dist: Float64Array;
  let observed: number;
  if (statistic === undefined) {
    observed = effectSize;
    dist = meanDifferenceDistribution(xa, xb, new SharedResamples(seed, B))();
  } else {
    const stream = new Stream(seed);
    dist = new Float64Array(B);
    observed = callStatistic(statistic, Array.from(xa)) - callStatistic(statistic, Array.from(xb));
    const bufA = new Array<number>(n).fill(0);
    const bufB = new Array<number>(n).fill(0);
    const idx = new Int32Array(n);
    for (let r = 0; r < B; r++) {
      stream.drawIndices(n, idx);
      for (let i = 0; i < n; i++) {
        const j = idx[i] as number;
        bufA[i] = xa[j] as number;
        bufB[i] = xb[j] as number;
      }
      dist[r] = callStatistic(statistic, bufA) - callStatistic(statistic, bufB);
    }
  }

  const { pValue, ci } = pairedFromDistribution(dist, observed, alternative, level);
  return { statistic: observed, pValue, effectSize, ci, alternative, B };
}

/**
 * The shifted-null p-value of an observed difference and the percentile interval of
 * the difference, from its B bootstrap replicates (reordered in place).
 */
export function pairedFromDistribution(
  dist: Float64Array,
  observed: number,
  alternative: Alternative,
  level: number,
): { pValue: number; ci: { lo: number; hi: number; level: number } } {
  const B = dist.length;
  let scale = Math.abs(observed);
  for (let r = 0; r < B; r++) scale = Math.max(scale, Math.abs(dist[r] as number));
  const tol = 1e-12 * scale;
  let count = 0;
  const absObs = Math.abs(observed);
  for (let r = 0; r < B; r++) {
    const t = (dist[r] as number) - observed;
    if (alternative === 'greater') {
      if (t >= observed - tol) count++;
    } else if (alternative === 'less') {
      if (t <= observed + tol) count++;
    } else if (Math.abs(t) >= absObs - tol) count++;
  }
  const pValue = (count + 1) / (B + 1);
  const alpha = (1 - level) / 2;
  const [lo, hi] = quantiles(dist, [alpha, 1 - alpha]) as [number, number];
  return { pValue, ci: { lo, hi, level } };
}

function callStatistic(statistic: Statistic, sample: number[]): number {
  const v = statistic(sample);
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new RangeError(`${FN}: statistic returned ${String(v)} (expected a finite number)`);
  return v;
}
