/**
 * A metric's value for one cell with the per-unit data its estimator needs to
 * recompute it on a bootstrap resample (results schema: what a task's
 * `aggregate` returns and what metrics.json stores, plus the labels and
 * statistics of a CellMetric).
 */

/**
 * Name of a registered estimator (harness/stats/estimators/): how the value
 * and each bootstrap resample are computed from the per-unit data, and what a
 * paired comparison with the baseline means. Built in: "mean",
 * "weighted-mean", "pooled-f1", "gap".
 */
export type EstimatorName = string;

export interface MetricValue {
  readonly value: number;
  /** Units that contributed. */
  readonly n: number;
  readonly estimator: EstimatorName;
  readonly unitIds: readonly string[];
  readonly unitScores: readonly number[];
  /**
   * weighted-mean: the weights of the unit scores (pairs per user);
   * `transform: 'sqrt'` then gives the value (RMSE from per-user MSE).
   */
  readonly unitWeights?: readonly number[];
  readonly transform?: 'sqrt';
  /**
   * pooled-f1: each unit's counts as flat (tp, fp, fn) triples, one per class.
   * The value, and every resample, is the mean F1 of the classes present in
   * the summed counts. `unitScores` then hold a per-unit score for the paired
   * tests that need one.
   */
  readonly pooledF1?: readonly (readonly number[])[];
  /** gap: value = scale × |mean(unitScores) − reference| (a distance from a human reference). */
  readonly gap?: { readonly reference: number; readonly scale: number };
  /** Extra aggregates (pooled/micro values). */
  readonly extra?: Readonly<Record<string, number>>;
}
