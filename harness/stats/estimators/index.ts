import type { Estimator } from './estimator.js';
import { gap } from './gap.js';
import { mean } from './mean.js';
import { point } from './point.js';
import { pooledF1 } from './pooled-f1.js';
import { pooledF1AllClasses } from './pooled-f1-all-classes.js';
import { pooledWeightedF1 } from './pooled-weighted-f1.js';
import { weightedMean } from './weighted-mean.js';

export type { Deferred, Estimator, PairedResult, ResampleOptions, UnitStat } from './estimator.js';

/** The metric estimators by name: one line each. */
export const ESTIMATORS: Readonly<Record<string, Estimator>> = Object.fromEntries(
  [mean, weightedMean, pooledF1, pooledWeightedF1, pooledF1AllClasses, gap, point].map((e) => [e.name, e]),
);

export function estimatorOf(name: string): Estimator {
  const e = ESTIMATORS[name];
  if (!e) throw new Error(`unknown estimator "${name}"; known: ${Object.keys(ESTIMATORS).join(', ')}`);
  return e;
}
