import { describe, expect, it } from 'vitest';
import { accuracy } from '../../../harness/metrics/index.ts';
import { metricFixtures } from '../../support/metric-fixtures.ts';

describe('accuracy', () => {
  it('matches the scikit-learn accuracy_score documentation example', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.accuracy_score.html (Examples):
    // y_pred = [0, 2, 1, 3]; y_true = [0, 1, 2, 3]; accuracy_score(y_true, y_pred) -> 0.5
    expect(accuracy([0, 2, 1, 3], [0, 1, 2, 3])).toBe(0.5);
  });

  it('matches the binary example of the scikit-learn user guide', () => {
    // https://scikit-learn.org/stable/modules/model_evaluation.html#precision-recall-f-measure-metrics:
    // y_pred = [0, 1, 0, 0]; y_true = [0, 1, 0, 1]: 3 of 4 agree.
    expect(accuracy([0, 1, 0, 0], [0, 1, 0, 1])).toBe(0.75);
  });

  it('works on string labels and booleans', () => {
    expect(accuracy(['a', 'b', 'c'], ['a', 'b', 'x'])).toBeCloseTo(2 / 3, 15);
    expect(accuracy([true, false], [true, true])).toBe(0.5);
  });

  it('matches the numpy reference fixtures', () => {
    for (const f of [...metricFixtures.binary, ...metricFixtures.multiclass]) {
      expect(accuracy<unknown>(f.predicted, f.gold)).toBeCloseTo(f.accuracy, 12);
    }
  });

  it('throws RangeError on empty input, never NaN', () => {
    expect(() => accuracy([], [])).toThrow(RangeError);
  });

  it('throws RangeError on a length mismatch', () => {
    expect(() => accuracy([1, 2], [1])).toThrow(RangeError);
    expect(() => accuracy([1], [1, 2])).toThrow(/predicted has 1 values but gold has 2/);
  });
});
