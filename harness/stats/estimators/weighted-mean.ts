import { bootstrapCi } from '../bootstrap-ci.js';
import type { Estimator } from './estimator.js';
import { pairedOnScores } from './paired-scores.js';

/**
 * A value pooled over the units' parts: Σ wᵢsᵢ / Σ wᵢ (the mean over all
 * rated pairs from per-user means and pair counts), square-rooted when the
 * metric's transform says so (RMSE from per-user MSE). Resampling draws units
 * and recomputes the pooled value; the paired test compares unit scores.
 */
export const weightedMean: Estimator = {
  name: 'weighted-mean',
  description: 'Σ w·s / Σ w over units (sqrt for RMSE); resampled units, the pooled value recomputed',
  interval(m, units, o) {
    if (units.length === 0) return null;
    const s = units.map((x) => x.s * x.w);
    const w = units.map((x) => x.w);
    const sqrt = m.transform === 'sqrt';
    return bootstrapCi(
      units.map((_, k) => k),
      {
        B: o.B,
        level: o.level,
        seed: o.seed,
        method: o.ci,
        statistic: (idx) => {
          let num = 0;
          let den = 0;
          for (const k of idx) {
            num += s[k] as number;
            den += w[k] as number;
          }
          const v = den === 0 ? 0 : num / den;
          return sqrt ? Math.sqrt(v) : v;
        },
      },
    );
  },
  paired: pairedOnScores,
};
