import { type Alternative, checkAlternative, checkPaired, checkValues } from './check.js';
import { normalCdf, normalSf } from './distributions.js';

export interface WilcoxonOptions {
  /** Required: 'greater' (H1: a - b is shifted above 0), 'less' or 'two-sided'. */
  alternative: Alternative;
  /** Treatment of zero differences (scipy's zero_method); default 'wilcox'. */
  zeroMethod?: 'wilcox' | 'pratt' | 'zsplit';
  /** Continuity correction of the normal approximation (scipy's correction); default false. */
  correction?: boolean;
  /** scipy's method: 'auto' (default), 'exact' or 'approx' (scipy's 'asymptotic'). */
  mode?: 'auto' | 'exact' | 'approx';
}

export interface WilcoxonResult {
  /** min(W+, W-) for 'two-sided', W+ otherwise (scipy's convention). */
  statistic: number;
  pValue: number;
  /** Sum of the ranks of the positive differences (R's V); with 'zsplit' half the zero ranks are added. */
  rPlus: number;
  /** Sum of the ranks of the negative differences. */
  rMinus: number;
  /** Number of differences ranked (the non-zero ones for 'wilcox', all for 'pratt' and 'zsplit'). */
  n: number;
  /** Number of zero differences. */
  zeros: number;
  /**
   * How the p-value was computed: 'exact' (the null distribution of W+ without ties),
   * 'exact-conditional' (all 2^n sign assignments of the observed ranks, what scipy's
   * 'auto' does through permutation_test for n <= 13 with ties or zeros) or 'approx'
   * (normal approximation with tie correction).
   */
  method: 'exact' | 'exact-conditional' | 'approx';
  /** The z statistic of the normal approximation ('approx' only; -|z| for 'two-sided', as scipy). */
  zStatistic?: number;
}

const FN = 'wilcoxonSignedRank';

/**
 * Wilcoxon signed-rank test of the paired differences d = a - b, following
 * scipy.stats.wilcoxon (scipy 1.17, https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.wilcoxon.html)
 * decision for decision:
 *
 * - zeroMethod 'wilcox' drops zero differences; 'pratt' ranks them and then drops
 *   them (Cureton's adjustment of mean and variance); 'zsplit' ranks them and gives
 *   half of their rank sum to each side.
 * - mode 'auto': exact null distribution when n (all differences, zeros included)
 *   <= 50 and there are neither ties nor zeros; with ties or zeros and n <= 13, the
 *   exact distribution of the statistic over all 2^n sign assignments of the observed
 *   (tied) ranks -- scipy's permutation_test, which is exhaustive there; otherwise the
 *   normal approximation.
 * - mode 'exact' with ties or zeros uses the no-ties distribution with a non-integral
 *   W+ rounded conservatively (up for 'less', down for 'greater'), as scipy does.
 * - normal approximation: z = (W+ - mu) / sigma, sigma^2 = (n(n+1)(2n+1) - sum(t^3 - t)/2) / 24
 *   over the tie groups t, with an optional continuity correction of 0.5 toward the mean.
 * - statistic: min(W+, W-) for 'two-sided' (scipy's "for backward compatibility"),
 *   W+ for one-sided alternatives; R's wilcox.test always reports V = W+ (given here as rPlus).
 *
 * Deviation: when there is no non-zero difference scipy returns NaN (or p = 1 through
 * the permutation test for n <= 13); this returns statistic 0 and p = 1 in every case.
 */
export function wilcoxonSignedRank(
  a: readonly number[],
  b: readonly number[],
  options: WilcoxonOptions,
): WilcoxonResult {
  if (options === undefined || options === null) throw new TypeError(`${FN}: options { alternative } are required`);
  const alternative = checkAlternative(FN, options.alternative);
  checkPaired(FN, a, b);
  checkValues(FN, 'a', a);
  checkValues(FN, 'b', b);
  const zeroMethod = options.zeroMethod ?? 'wilcox';
  if (zeroMethod !== 'wilcox' && zeroMethod !== 'pratt' && zeroMethod !== 'zsplit') {
    throw new RangeError(`${FN}: zeroMethod must be 'wilcox', 'pratt' or 'zsplit', got ${JSON.stringify(zeroMethod)}`);
  }
  const correction = options.correction ?? false;
  if (typeof correction !== 'boolean') throw new TypeError(`${FN}: correction must be a boolean`);
  let mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'exact' && mode !== 'approx')
    throw new RangeError(`${FN}: mode must be 'auto', 'exact' or 'approx', got ${JSON.stringify(mode)}`);

  const nTotal = a.length;
  const d: number[] = [];
  let zeros = 0;
  for (let i = 0; i < nTotal; i++) {
    const v = (a[i] as number) - (b[i] as number);
    if (v === 0) zeros++;
    d.push(v);
  }
  if (mode === 'auto' && nTotal > 50) mode = 'approx';

  // The differences that are ranked.
  const ranked = zeroMethod === 'wilcox' ? d.filter((v) => v !== 0) : d;
  const count = ranked.length;
  const { ranks, ties } = averageRanks(ranked.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  let rZero = 0;
  for (let i = 0; i < count; i++) {
    const v = ranked[i] as number;
    const r = ranks[i] as number;
    if (v > 0) rPlus += r;
    else if (v < 0) rMinus += r;
    else rZero += r;
  }
  if (zeroMethod === 'zsplit') {
    rPlus += rZero / 2;
    rMinus += rZero / 2;
  }
  const statistic = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus;
  const base = { statistic, rPlus, rMinus, n: count, zeros };

  if (zeros === nTotal) {
    // Nothing to test: every difference is zero.
    return { ...base, pValue: 1, method: mode === 'approx' ? 'approx' : 'exact' };
  }

  const hasTies = ties.some((t) => t > 1);
  let method: WilcoxonResult['method'];
  if (mode === 'auto') method = !hasTies && zeros === 0 ? 'exact' : nTotal <= 13 ? 'exact-conditional' : 'approx';
  else method = mode;

  if (method === 'exact') {
    const pmf = signedRankPmf(count);
    const less = lowerTail(pmf, Math.ceil(rPlus));
    const greater = upperTail(pmf, Math.floor(rPlus));
    const pValue =
      alternative === 'less' ? less : alternative === 'greater' ? greater : Math.min(1, 2 * Math.min(less, greater));
    return { ...base, pValue, method };
  }

  if (method === 'exact-conditional') {
    // Doubled ranks are integers (average ranks are multiples of 1/2).
    const twice: number[] = [];
    let observed = 0;
    for (let i = 0; i < count; i++) {
      const v = ranked[i] as number;
      if (v === 0) continue;
      const r2 = Math.round(2 * (ranks[i] as number));
      twice.push(r2);
      if (v > 0) observed += r2;
    }
    const pmf = subsetSumPmf(twice);
    const less = lowerTail(pmf, observed);
    const greater = upperTail(pmf, observed);
    const pValue =
      alternative === 'less' ? less : alternative === 'greater' ? greater : Math.min(1, 2 * Math.min(less, greater));
    return { ...base, pValue, method };
  }

  // Normal approximation.
  let mu = (count * (count + 1)) / 4;
  let v = count * (count + 1) * (2 * count + 1);
  let tieTerm = 0;
  for (let g = 0; g < ties.length; g++) {
    const t = ties[g] as number;
    // Pratt: the zeros (the first tie group, the smallest |d|) are left out of the tie correction.
    if (zeroMethod === 'pratt' && g === 0 && zeros > 0) continue;
    tieTerm += t * t * t - t;
  }
  if (zeroMethod === 'pratt') {
    mu -= (zeros * (zeros + 1)) / 4;
    v -= zeros * (zeros + 1) * (2 * zeros + 1);
  }
  const se = Math.sqrt((v - tieTerm / 2) / 24);
  let z = (rPlus - mu) / se;
  if (correction) {
    const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z);
    z -= (sign * 0.5) / se;
  }
  const pValue =
    alternative === 'less'
      ? normalCdf(z)
      : alternative === 'greater'
        ? normalSf(z)
        : Math.min(1, 2 * normalSf(Math.abs(z)));
  const zStatistic = alternative === 'two-sided' ? -Math.abs(z) : z;
  return { ...base, pValue, method, zStatistic };
}

/** Average ranks (1-based) of x, and the sizes of the tie groups in increasing order of value. */
function averageRanks(x: readonly number[]): { ranks: number[]; ties: number[] } {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (x[i] as number) - (x[j] as number) || i - j);
  const ranks = new Array<number>(n).fill(0);
  const ties: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1] as number] === x[order[i] as number]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = r;
    ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/** Null distribution of W+ for n untied, non-zero differences: P(W+ = k), k = 0..n(n+1)/2. */
export function signedRankPmf(n: number): Float64Array {
  return subsetSumPmf(Array.from({ length: n }, (_, i) => i + 1));
}

/** Distribution of sum_i s_i w_i with independent fair s_i in {0, 1} and integer weights w_i. */
function subsetSumPmf(weights: readonly number[]): Float64Array {
  let total = 0;
  for (const w of weights) total += w;
  const pmf = new Float64Array(total + 1);
  pmf[0] = 1;
  let reach = 0;
  for (const w of weights) {
    reach += w;
    // In place, from the top: new[k] = (old[k] + old[k - w]) / 2.
    for (let k = reach; k >= 0; k--) pmf[k] = ((pmf[k] as number) + (k >= w ? (pmf[k - w] as number) : 0)) / 2;
  }
  return pmf;
}

/** P(X <= k), summed from the far end of the tail (smallest terms first). */
function lowerTail(pmf: Float64Array, k: number): number {
  if (k < 0) return 0;
  if (k >= pmf.length - 1) return 1;
  let s = 0;
  for (let i = 0; i <= k; i++) s += pmf[i] as number;
  return Math.min(1, s);
}

/** P(X >= k), summed from the far end of the tail. */
function upperTail(pmf: Float64Array, k: number): number {
  if (k <= 0) return 1;
  if (k > pmf.length - 1) return 0;
  let s = 0;
  for (let i = pmf.length - 1; i >= k; i--) s += pmf[i] as number;
  return Math.min(1, s);
}
