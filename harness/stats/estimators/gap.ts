import { bootstrapCi } from '../bootstrap-ci.js';
import type { Estimator } from './estimator.js';

/**
 * A distance from a reference value (opera-consistency's gap to the human
 * sessions): scale × |mean(s) − reference|, recomputed on each resample. It
 * has no per-unit difference to test, so no paired comparison is made.
 */
export const gap: Estimator = {
  name: 'gap',
  description: 'scale·|mean − reference|; resampled units, the gap recomputed; no paired test',
  interval(m, units, o) {
    if (units.length === 0 || !m.gap) return null;
    const { reference, scale } = m.gap;
    return bootstrapCi(
      units.map((x) => x.s),
      {
        B: o.B,
        level: o.level,
        seed: o.seed,
        method: o.ci,
        statistic: (sample) => scale * Math.abs(sample.reduce((a, b) => a + b, 0) / sample.length - reference),
      },
    );
  },
  paired: () => null,
};
