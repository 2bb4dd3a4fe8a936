export { accuracy } from './accuracy.js';
export { binaryPrf, prfFromCounts } from './binary-prf.js';
export type { Prf } from './binary-prf.js';
export { macroF1 } from './macro-f1.js';
export { rmse, mse } from './rmse.js';
export { mae } from './mae.js';
export { classCounts, f1FromCounts, pooledF1 } from './pooled-f1.js';
