import { describe, expect, it } from 'vitest';
import { macroF1 } from '../../../harness/metrics/index.ts';
import { metricFixtures } from '../../support/metric-fixtures.ts';

describe('macroF1', () => {
  it('matches the scikit-learn f1_score macro example', () => {
    // https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html (Examples):
    // y_true = [0, 1, 2, 0, 1, 2]; y_pred = [0, 2, 1, 0, 0, 1]
    // f1_score(average='macro') -> 0.26...  (per class [0.8, 0, 0], so exactly 0.8 / 3 = 0.2666…)
    const v = macroF1([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2]);
    expect(v).toBeCloseTo(0.26666666666666666, 15);
    expect(v.toFixed(2)).toBe('0.27');
  });

  it('works on string labels', () => {
    // The same example with the labels renamed.
    const n = ['a', 'b', 'c'] as const;
    const v = macroF1(
      [0, 2, 1, 0, 0, 1].map((i) => n[i] as string),
      [0, 1, 2, 0, 1, 2].map((i) => n[i] as string),
    );
    expect(v).toBeCloseTo(0.8 / 3, 15);
  });

  it('a label that never occurs adds a 0 component to the macro average', () => {
    // scikit-learn f1_score docs, parameter `labels`: "labels not present in the data will result
    // in 0 components in a macro average". With labels [0, 1, 2, 3] the per-class F1 of the example
    // are [0.8, 0, 0, 0], so the mean is 0.2.
    expect(macroF1([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2], [0, 1, 2, 3])).toBeCloseTo(0.2, 15);
    // and restricting to one label reports that label only
    expect(macroF1([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2], [0])).toBeCloseTo(0.8, 15);
  });

  it('is 1 for a perfect prediction', () => {
    expect(macroF1(['click', 'input', 'terminate'], ['click', 'input', 'terminate'])).toBe(1);
  });

  it('matches the numpy reference fixtures (labels = union of gold and predicted)', () => {
    for (const f of metricFixtures.multiclass) expect(macroF1(f.predicted, f.gold)).toBeCloseTo(f.macroF1, 12);
  });

  it('throws RangeError on empty input, on a length mismatch and on an empty label list', () => {
    expect(() => macroF1([], [])).toThrow(RangeError);
    expect(() => macroF1([1, 2], [1])).toThrow(RangeError);
    expect(() => macroF1([1], [1], [])).toThrow(RangeError);
  });
});
