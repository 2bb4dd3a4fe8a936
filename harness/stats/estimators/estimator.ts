import type { CellMetric, Direction } from '../../results/metrics-file.js';
import type { Deferred, SharedResamples } from '../shared-resamples.js';

export type { Deferred } from '../shared-resamples.js';

/** One scored unit of a metric, as the estimators see it. */
export interface UnitStat {
  /** The unit's score. */
  readonly s: number;
  /** Its weight (1 unless the metric is weighted). */
  readonly w: number;
  /** Its (tp, fp, fn) triples, for a pooled F1. */
  readonly counts?: readonly number[];
}

export interface ResampleOptions {
  readonly B: number;
  readonly level: number;
  readonly ci: 'percentile' | 'bca';
  readonly test: 'paired-bootstrap' | 'permutation' | 'wilcoxon' | 't-test';
  /** One seed per table: every interval and test of a table draws the same resamples. */
  readonly seed: string;
  /** The table's resamples (of that seed): ask for resampled means or sums here, read them in the Deferred. */
  readonly resamples: SharedResamples;
}

export interface PairedResult {
  readonly statistic: number;
  readonly pValue: number;
  /** Method minus baseline: the mean per-unit difference, or the difference of the recomputed values. */
  readonly effect: number;
}

/**
 * How a metric's value is made from its units, recomputed on a bootstrap
 * resample of them, and compared with the baseline's on the same units. The
 * statistics layer dispatches on `CellMetric.estimator`; a new one is a file
 * here and a line in ./index.ts.
 *
 * Both methods ask the table's shared resamples for what they need and return
 * a Deferred that reads it: the table asks every estimator first, so that each
 * stream of resample indices is drawn once for all of them.
 */
export interface Estimator {
  readonly name: string;
  readonly description: string;
  /** The interval of the value over resampled units; null when the metric has none. */
  interval(
    metric: CellMetric,
    units: readonly UnitStat[],
    o: ResampleOptions,
  ): Deferred<{ lo: number; hi: number }> | null;
  /**
   * The paired test of this method's units (`mine`) against the baseline's
   * (`theirs`), aligned unit by unit, in the metric's direction; null when a
   * paired comparison means nothing for this estimator.
   */
  paired(
    mine: readonly UnitStat[],
    theirs: readonly UnitStat[],
    direction: Direction,
    o: ResampleOptions,
  ): Deferred<PairedResult> | null;
}
