import { describe, expect, it } from 'vitest';
import { mae } from '../../../harness/metrics/index.ts';
import { metricFixtures } from '../../support/metric-fixtures.ts';

describe('mae', () => {
  it('matches the scikit-learn mean_absolute_error example', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.mean_absolute_error.html (Examples):
    // y_true = [3, -0.5, 2, 7]; y_pred = [2.5, 0.0, 2, 8]; mean_absolute_error -> 0.5
    expect(mae([2.5, 0.0, 2, 8], [3, -0.5, 2, 7])).toBe(0.5);
  });

  it('is symmetric and 0 for a perfect prediction', () => {
    expect(mae([1, 5], [5, 1])).toBe(4);
    expect(mae([4, 4], [4, 4])).toBe(0);
  });

  it('matches the numpy reference fixtures', () => {
    for (const f of metricFixtures.regression) expect(mae(f.predicted, f.gold)).toBeCloseTo(f.mae, 12);
  });

  it('throws RangeError on empty input and on a length mismatch, never NaN', () => {
    expect(() => mae([], [])).toThrow(RangeError);
    expect(() => mae([1, 2], [1])).toThrow(RangeError);
  });
});
