import { describe, expect, it } from 'vitest';
import { binaryPrf, prfFromCounts } from '../../../harness/metrics/index.ts';
import { metricFixtures } from '../../support/metric-fixtures.ts';

/** One-vs-rest view of a multiclass problem, as scikit-learn computes per-class scores. */
const ovr = (pred: number[], gold: number[], c: number) =>
  binaryPrf(
    pred.map((p) => p === c),
    gold.map((g) => g === c),
  );

describe('binaryPrf', () => {
  it('matches the binary example of the scikit-learn user guide', () => {
    // https://scikit-learn.org/stable/modules/model_evaluation.html#binary-classification
    // y_pred = [0, 1, 0, 0]; y_true = [0, 1, 0, 1]:
    // precision_score -> 1.0, recall_score -> 0.5, f1_score -> 0.66...
    const r = binaryPrf([false, true, false, false], [false, true, false, true]);
    expect(r.precision).toBe(1);
    expect(r.recall).toBe(0.5);
    expect(r.f1).toBeCloseTo(2 / 3, 15);
    expect(r.f1.toFixed(2)).toBe('0.67');
    expect({ tp: r.tp, fp: r.fp, fn: r.fn }).toEqual({ tp: 1, fp: 0, fn: 1 });
  });

  it('gives the per-class values of the scikit-learn precision/recall/f1 examples', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_score.html,
    // .../sklearn.metrics.recall_score.html and .../sklearn.metrics.f1_score.html (Examples):
    // y_true = [0, 1, 2, 0, 1, 2]; y_pred = [0, 2, 1, 0, 0, 1]
    // precision_score(average=None) -> [0.66..., 0, 0]; recall_score(average=None) -> [1, 0, 0];
    // f1_score(average=None) -> [0.8, 0, 0]
    const yTrue = [0, 1, 2, 0, 1, 2];
    const yPred = [0, 2, 1, 0, 0, 1];
    const per = [0, 1, 2].map((c) => ovr(yPred, yTrue, c));
    expect(per[0]?.precision).toBeCloseTo(0.6666666666666666, 15);
    expect(per.map((r) => r.precision).slice(1)).toEqual([0, 0]);
    expect(per.map((r) => r.recall)).toEqual([1, 0, 0]);
    expect(per[0]?.f1).toBeCloseTo(0.8, 15);
    expect(per.map((r) => r.f1).slice(1)).toEqual([0, 0]);
  });

  it('zero_division: no predicted positives gives precision 0 and F1 0, as scikit-learn does by default', () => {
    // precision_score docs: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 0, 0, 0, 0, 0],
    // average=None -> [0.33..., 0, 0] (classes 1 and 2 are never predicted: 0/0 counts as 0).
    const yTrue = [0, 1, 2, 0, 1, 2];
    const yPred = [0, 0, 0, 0, 0, 0];
    const per = [0, 1, 2].map((c) => ovr(yPred, yTrue, c));
    expect(per[0]?.precision).toBeCloseTo(1 / 3, 15);
    expect(per[1]?.precision).toBe(0);
    expect(per[2]?.precision).toBe(0);
    // F1 of a never-predicted class that does occur: 2·0/(0+0+2) = 0.
    expect(per[1]?.f1).toBe(0);
    const none = binaryPrf([false, false, false], [true, false, true]);
    expect(none).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 2 });
    for (const v of [none.precision, none.recall, none.f1]) expect(Number.isNaN(v)).toBe(false);
  });

  it('zero_division: no positives at all (neither gold nor predicted) gives 0, not NaN', () => {
    // f1_score docs: "F1 is by default calculated as 0.0 when there are no true positives,
    // false negatives, or false positives" (y_true = y_pred = [0, 0, 0, 0, 0, 0] -> 0.0 by default).
    const r = binaryPrf([false, false, false, false, false, false], [false, false, false, false, false, false]);
    expect(r).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 });
  });

  it('prfFromCounts agrees with the count definitions', () => {
    expect(prfFromCounts(0, 0, 0)).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 });
    const r = prfFromCounts(1, 0, 1);
    expect([r.precision, r.recall]).toEqual([1, 0.5]);
    expect(r.f1).toBeCloseTo(2 / 3, 15);
  });

  it('matches the numpy reference fixtures', () => {
    expect(metricFixtures.binary.length).toBeGreaterThan(3);
    for (const f of metricFixtures.binary) {
      const r = binaryPrf(f.predicted, f.gold);
      expect({ tp: r.tp, fp: r.fp, fn: r.fn }).toEqual({ tp: f.tp, fp: f.fp, fn: f.fn });
      expect(r.precision).toBeCloseTo(f.precision, 12);
      expect(r.recall).toBeCloseTo(f.recall, 12);
      expect(r.f1).toBeCloseTo(f.f1, 12);
    }
  });

  it('throws RangeError on empty input and on a length mismatch', () => {
    expect(() => binaryPrf([], [])).toThrow(RangeError);
    expect(() => binaryPrf([true], [true, false])).toThrow(RangeError);
  });
});
