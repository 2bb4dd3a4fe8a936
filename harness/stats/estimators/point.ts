import type { Estimator } from './estimator.js';

/** One value per cell, not made from units (Kendall's τ across recommenders): no interval, no test. */
export const point: Estimator = {
  name: 'point',
  description: 'a single value per cell; no interval, no paired test',
  interval: () => null,
  paired: () => null,
};
