import { checkPaired } from './check.js';

/** Mean absolute error. */
export function mae(predicted: readonly number[], gold: readonly number[]): number {
  checkPaired('mae', predicted, gold);
  let s = 0;
  for (let i = 0; i < gold.length; i++) s += Math.abs((predicted[i] as number) - (gold[i] as number));
  return s / gold.length;
}
