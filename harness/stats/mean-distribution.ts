import { fewValues, preferFewValues, resampleMeansFewValues, Stream } from './resample.js';
import type { Deferred, SharedResamples } from './shared-resamples.js';

/**
 * Bootstrap distributions of the mean -- the default statistic, and the hot path of a
 * results table (a CI per cell, a paired test per method).
 *
 * - Data with at most MAX_FEW distinct values (binary accuracies, their paired
 *   differences in {-1, 0, 1}, ...) are resampled through their multinomial counts
 *   (resampleMeansFewValues): k - 1 binomial draws per resample instead of n index draws.
 * - Otherwise the table's shared resamples (shared-resamples.ts) sum the values: a
 *   paired test of a against b reads the resample means of a and b that the CIs of a
 *   and b asked for, since mean(a*) - mean(b*) on common indices is all it needs.
 */
const MAX_FEW = 8;

/** B bootstrap replicates of mean(x*) for the resamples' seed. */
export function meanDistribution(x: Float64Array, res: SharedResamples): Deferred<Float64Array> {
  const few = fewValues(x, MAX_FEW);
  if (few !== undefined && preferFewValues(few.values.length, x.length)) {
    return () => {
      const out = new Float64Array(res.B);
      resampleMeansFewValues(few.values, few.counts, res.B, new Stream(res.seed), out);
      return out;
    };
  }
  return res.means(x);
}

/** B bootstrap replicates of mean(a*) - mean(b*), pairs resampled together. */
export function meanDifferenceDistribution(
  a: Float64Array,
  b: Float64Array,
  res: SharedResamples,
): Deferred<Float64Array> {
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (a[i] as number) - (b[i] as number);
  const few = fewValues(d, MAX_FEW);
  if (few !== undefined && preferFewValues(few.values.length, n)) {
    return () => {
      const out = new Float64Array(res.B);
      resampleMeansFewValues(few.values, few.counts, res.B, new Stream(res.seed), out);
      return out;
    };
  }
  const distA = res.means(a);
  const distB = res.means(b);
  return () => {
    const out = distA();
    const sub = distB();
    for (let r = 0; r < out.length; r++) out[r] = (out[r] as number) - (sub[r] as number);
    return out;
  };
}
