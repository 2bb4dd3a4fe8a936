import { intervalOf, jackknife } from '../bootstrap-ci.js';
import type { Estimator } from './estimator.js';

/**
 * A distance from a reference value (opera-consistency's gap to the human
 * sessions): scale × |mean(s) − reference|, recomputed on each resample from
 * its sum (left to right in draw order). It has no per-unit difference to
 * test, so no paired comparison is made.
 */
export const gap: Estimator = {
  name: 'gap',
  description: 'scale·|mean − reference|; resampled units, the gap recomputed; no paired test',
  interval(m, units, o) {
    if (units.length === 0 || !m.gap) return null;
    const { reference, scale } = m.gap;
    const x = Float64Array.from(units, (u) => u.s);
    const n = x.length;
    const statistic = (sample: number[]) =>
      scale * Math.abs(sample.reduce((a, b) => a + b, 0) / sample.length - reference);
    const point = statistic(Array.from(x));
    if (n === 1) return () => ({ lo: point, hi: point });
    const sums = o.resamples.sums(x);
    return () => {
      const dist = sums();
      for (let r = 0; r < dist.length; r++) dist[r] = scale * Math.abs((dist[r] as number) / n - reference);
      return intervalOf(dist, point, o.level, o.ci, () => jackknife(x, statistic));
    };
  },
  paired: () => null,
};
