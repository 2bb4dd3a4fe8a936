import { readFileSync } from 'node:fs';

/**
 * Reference values computed independently with numpy by
 * test/fixtures/make_metric_fixtures.py (scikit-learn definitions, zero_division=0).
 */
export interface MetricFixtures {
  readonly binary: ReadonlyArray<{
    predicted: boolean[];
    gold: boolean[];
    accuracy: number;
    tp: number;
    fp: number;
    fn: number;
    precision: number;
    recall: number;
    f1: number;
  }>;
  readonly multiclass: ReadonlyArray<{ predicted: number[]; gold: number[]; accuracy: number; macroF1: number }>;
  readonly regression: ReadonlyArray<{ predicted: number[]; gold: number[]; mse: number; rmse: number; mae: number }>;
}

export const metricFixtures: MetricFixtures = JSON.parse(
  readFileSync(new URL('../fixtures/metric-fixtures.json', import.meta.url), 'utf8'),
) as MetricFixtures;
