import { checkPaired } from './check.js';

/** Root of the mean squared error. */
export function rmse(predicted: readonly number[], gold: readonly number[]): number {
  return Math.sqrt(mse(predicted, gold));
}

export function mse(predicted: readonly number[], gold: readonly number[]): number {
  checkPaired('rmse', predicted, gold);
  let s = 0;
  for (let i = 0; i < gold.length; i++) {
    const d = (predicted[i] as number) - (gold[i] as number);
    s += d * d;
  }
  return s / gold.length;
}
