import type { Estimator } from './estimator.js';
import { pooledF1Estimator } from './pooled-f1.js';

/**
 * Macro F1 over every class of the list (a class that never occurs counts 0;
 * scikit-learn `labels=<list>, average='macro'`) of the summed per-unit class
 * counts. Interval: units resampled, the F1 recomputed. Paired comparison: the
 * paired bootstrap recomputes both methods' F1 on the same resamples; other
 * tests compare the per-unit scores.
 */
export const pooledF1AllClasses: Estimator = pooledF1Estimator(
  'pooled-f1-all-classes',
  'macro F1 over every listed class (absent ones count 0) of the summed per-unit class counts; resampled units, the F1 recomputed',
  'macro-all',
);
