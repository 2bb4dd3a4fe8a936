import { intervalOf, jackknife } from '../bootstrap-ci.js';
import type { Estimator } from './estimator.js';
import { pairedOnScores } from './paired-scores.js';

/**
 * A value pooled over the units' parts: Σ wᵢsᵢ / Σ wᵢ (the mean over all
 * rated pairs from per-user means and pair counts), square-rooted when the
 * metric's transform says so (RMSE from per-user MSE). Resampling draws units
 * and recomputes the pooled value from the resampled sums of w·s and w (left to
 * right in draw order); the paired test compares unit scores.
 */
export const weightedMean: Estimator = {
  name: 'weighted-mean',
  description: 'Σ w·s / Σ w over units (sqrt for RMSE); resampled units, the pooled value recomputed',
  interval(m, units, o) {
    const n = units.length;
    if (n === 0) return null;
    const sw = Float64Array.from(units, (x) => x.s * x.w);
    const w = Float64Array.from(units, (x) => x.w);
    const sqrt = m.transform === 'sqrt';
    const value = (num: number, den: number) => {
      const v = den === 0 ? 0 : num / den;
      return sqrt ? Math.sqrt(v) : v;
    };
    // The statistic of a resample given as unit indices (for the BCa jackknife).
    const statistic = (idx: number[]) => {
      let num = 0;
      let den = 0;
      for (const k of idx) {
        num += sw[k] as number;
        den += w[k] as number;
      }
      return value(num, den);
    };
    const all = Float64Array.from({ length: n }, (_, k) => k);
    const point = statistic(Array.from(all));
    if (n === 1) return () => ({ lo: point, hi: point });
    const nums = o.resamples.sums(sw);
    const dens = o.resamples.sums(w);
    return () => {
      const dist = nums();
      const den = dens();
      for (let r = 0; r < dist.length; r++) dist[r] = value(dist[r] as number, den[r] as number);
      return intervalOf(dist, point, o.level, o.ci, () => jackknife(all, statistic));
    };
  },
  paired: pairedOnScores,
};
