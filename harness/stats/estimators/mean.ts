import { bootstrapCi } from '../bootstrap-ci.js';
import type { Estimator } from './estimator.js';
import { pairedOnScores } from './paired-scores.js';

/** The mean of the unit scores (accuracy and F1 per user, averaged). */
export const mean: Estimator = {
  name: 'mean',
  description: 'mean of the unit scores; resampled units, their mean',
  interval(_m, units, o) {
    if (units.length === 0) return null;
    return bootstrapCi(
      units.map((x) => x.s),
      { B: o.B, level: o.level, seed: o.seed, method: o.ci },
    );
  },
  paired: pairedOnScores,
};
