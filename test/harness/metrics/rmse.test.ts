import { describe, expect, it } from 'vitest';
import { mse, rmse } from '../../../harness/metrics/index.ts';
import { metricFixtures } from '../../support/metric-fixtures.ts';

describe('mse and rmse', () => {
  it('match the scikit-learn mean_squared_error / root_mean_squared_error examples', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.mean_squared_error.html (Examples):
    // y_true = [3, -0.5, 2, 7]; y_pred = [2.5, 0.0, 2, 8]; mean_squared_error -> 0.375
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.root_mean_squared_error.html
    // (and mean_squared_error(..., squared=False) in 0.22–1.5): -> 0.612...
    const yTrue = [3, -0.5, 2, 7];
    const yPred = [2.5, 0.0, 2, 8];
    expect(mse(yPred, yTrue)).toBe(0.375);
    expect(rmse(yPred, yTrue)).toBeCloseTo(0.6123724356957945, 15);
    expect(rmse(yPred, yTrue).toFixed(3)).toBe('0.612');
  });

  it('is 0 for a perfect prediction', () => {
    expect(rmse([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it('matches the numpy reference fixtures', () => {
    for (const f of metricFixtures.regression) {
      expect(mse(f.predicted, f.gold)).toBeCloseTo(f.mse, 12);
      expect(rmse(f.predicted, f.gold)).toBeCloseTo(f.rmse, 12);
    }
  });

  it('throws RangeError on empty input and on a length mismatch, never NaN', () => {
    expect(() => rmse([], [])).toThrow(RangeError);
    expect(() => mse([], [])).toThrow(RangeError);
    expect(() => rmse([1, 2], [1])).toThrow(RangeError);
    expect(() => mse([1], [1, 2])).toThrow(RangeError);
  });
});
