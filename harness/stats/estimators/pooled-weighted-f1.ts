import type { Estimator } from './estimator.js';
import { pooledF1Estimator } from './pooled-f1.js';

/**
 * F1 weighted by gold support (scikit-learn `average='weighted'`) of the
 * summed per-unit class counts: OPeRA's click-type and session-outcome F1.
 * Interval: units resampled, the weighted F1 recomputed. Paired comparison:
 * the paired bootstrap recomputes both methods' weighted F1 on the same
 * resamples; other tests compare the per-unit scores.
 */
export const pooledWeightedF1: Estimator = pooledF1Estimator(
  'pooled-weighted-f1',
  'support-weighted F1 of the summed per-unit class counts; resampled units, the F1 recomputed',
  'weighted',
);
