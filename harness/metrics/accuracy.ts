import { checkPaired } from './check.js';

/** Share of positions where the prediction equals the gold label. */
export function accuracy<T>(predicted: readonly T[], gold: readonly T[]): number {
  checkPaired('accuracy', predicted, gold);
  let hit = 0;
  for (let i = 0; i < gold.length; i++) if (predicted[i] === gold[i]) hit++;
  return hit / gold.length;
}
