import { checkPaired } from './check.js';
import { prfFromCounts } from './binary-prf.js';

/**
 * Unweighted mean of per-class F1. The classes are `labels` when given,
 * otherwise every label seen in gold or predicted (scikit-learn's default).
 */
export function macroF1<T extends string | number>(
  predicted: readonly T[],
  gold: readonly T[],
  labels?: readonly T[],
): number {
  checkPaired('macroF1', predicted, gold);
  const classes = labels ?? [...new Set<T>([...gold, ...predicted])];
  if (classes.length === 0) throw new RangeError('macroF1: no classes');
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const p = predicted[i] === c;
      const g = gold[i] === c;
      if (p && g) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    sum += prfFromCounts(tp, fp, fn).f1;
  }
  return sum / classes.length;
}
