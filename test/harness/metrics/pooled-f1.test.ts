import { describe, expect, it } from 'vitest';
import { classCounts, f1FromCounts, macroF1, pooledF1 } from '../../../harness/metrics/index.ts';

describe('pooled F1 from per-unit class counts', () => {
  it('reproduces the scikit-learn f1_score macro example when the units are pooled', () => {
    // scikit-learn f1_score docs: y_true = [0, 1, 2, 0, 1, 2]; y_pred = [0, 2, 1, 0, 0, 1]; macro 0.2666…
    // Split into two units of three; their summed counts must give the same macro F1.
    const classes = [0, 1, 2];
    const a = classCounts([0, 2, 1], [0, 1, 2], classes);
    const b = classCounts([0, 0, 1], [0, 1, 2], classes);
    expect(pooledF1([a, b])).toBeCloseTo(0.8 / 3, 15);
    expect(pooledF1([a, b])).toBeCloseTo(macroF1([0, 2, 1, 0, 0, 1], [0, 1, 2, 0, 1, 2]), 15);
  });

  it('averages only the classes that occur, as scikit-learn does without labels', () => {
    // Class 2 never occurs in gold or prediction: it is left out, not a 0 component.
    const c = classCounts(['x', 'y', 'x'], ['x', 'y', 'y'], ['x', 'y', 'z']);
    expect(c).toEqual([1, 1, 0, 1, 0, 1, 0, 0, 0]);
    expect(f1FromCounts(c)).toBeCloseTo(macroF1(['x', 'y', 'x'], ['x', 'y', 'y']), 15);
  });

  it('one class is the binary F1 of the positive class, 0 when it never occurs', () => {
    // binary: gold [T, T, F, F], predicted [T, F, T, F] → tp 1, fp 1, fn 1 → F1 0.5
    expect(f1FromCounts(classCounts([true, false, true, false], [true, true, false, false], [true]))).toBe(0.5);
    expect(f1FromCounts(classCounts([false, false], [false, false], [true]))).toBe(0);
  });

  it('resamples with repeated indices, as the bootstrap draws them', () => {
    const u = [classCounts([1], [1], [1, 2]), classCounts([2], [1], [1, 2])];
    // indices [0, 0, 1]: class 1 tp 2, fn 1; class 2 fp 1 → (4/5 + 0) / 2
    expect(pooledF1(u, [0, 0, 1])).toBeCloseTo(0.4, 15);
  });

  it('a unit without steps of a kind adds nothing; mismatched widths are an error', () => {
    expect(classCounts([], [], ['a', 'b'])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() =>
      pooledF1([
        [1, 0, 0],
        [1, 0, 0, 0, 0, 0],
      ]),
    ).toThrow(/same classes/);
    expect(() => f1FromCounts([1, 2])).toThrow(/triples/);
  });
});

describe('pooled F1 averages', () => {
  // gold [a, a, a, b], predicted [a, a, b, b]: a tp 2, fn 1 → 4/5 (support 3); b tp 1, fp 1 → 2/3 (support 1); c never occurs.
  const c = classCounts(['a', 'a', 'b', 'b'], ['a', 'a', 'a', 'b'], ['a', 'b', 'c']);
  it('weighted: by gold support, as scikit-learn average="weighted"', () => {
    expect(f1FromCounts(c, 'weighted')).toBeCloseTo((3 * 0.8 + 2 / 3) / 4, 15);
    expect(pooledF1([c], undefined, 'weighted')).toBeCloseTo((3 * 0.8 + 2 / 3) / 4, 15);
    // No gold label in the list: 0.
    expect(f1FromCounts(classCounts(['a'], ['z'], ['a']), 'weighted')).toBe(0);
  });

  it('macro over the classes present, or over every listed class (absent ones count 0)', () => {
    expect(f1FromCounts(c)).toBeCloseTo((0.8 + 2 / 3) / 2, 15);
    expect(f1FromCounts(c, 'macro-all')).toBeCloseTo((0.8 + 2 / 3 + 0) / 3, 15);
  });
});
