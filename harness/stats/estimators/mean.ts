import { intervalOf, jackknife } from '../bootstrap-ci.js';
import { mean as meanOf } from '../check.js';
import { meanDistribution } from '../mean-distribution.js';
import type { Estimator } from './estimator.js';
import { pairedOnScores } from './paired-scores.js';

/** The mean of the unit scores (accuracy and F1 per user, averaged). */
export const mean: Estimator = {
  name: 'mean',
  description: 'mean of the unit scores; resampled units, their mean',
  interval(_m, units, o) {
    if (units.length === 0) return null;
    const x = Float64Array.from(units, (u) => u.s);
    const point = meanOf(x);
    if (x.length === 1) return () => ({ lo: point, hi: point });
    const dist = meanDistribution(x, o.resamples);
    return () => intervalOf(dist(), point, o.level, o.ci, () => jackknife(x, undefined));
  },
  paired: pairedOnScores,
};
