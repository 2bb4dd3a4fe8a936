import { checkPaired } from './check.js';

export interface Prf {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
}

/**
 * Precision, recall and F1 of the positive class. A ratio with a zero
 * denominator is 0, as scikit-learn's default `zero_division` behaves (it warns
 * and returns 0).
 */
export function binaryPrf(predicted: readonly boolean[], gold: readonly boolean[]): Prf {
  checkPaired('binaryPrf', predicted, gold);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < gold.length; i++) {
    if (predicted[i] && gold[i]) tp++;
    else if (predicted[i] && !gold[i]) fp++;
    else if (!predicted[i] && gold[i]) fn++;
  }
  return prfFromCounts(tp, fp, fn);
}

export function prfFromCounts(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { precision, recall, f1, tp, fp, fn };
}
