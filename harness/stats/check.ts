/**
 * Shared argument checks for the statistics functions. Bad input is an error with a
 * message naming the function and the argument, never a silent NaN.
 */

export type Alternative = 'two-sided' | 'greater' | 'less';

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'greater', 'less'];

/** A non-empty array of finite numbers. */
export function checkValues(fn: string, name: string, values: readonly number[]): void {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values))
    throw new TypeError(`${fn}: ${name} must be an array of numbers`);
  if (values.length === 0) throw new RangeError(`${fn}: ${name} is empty (no values to analyse)`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${fn}: ${name}[${i}] is ${String(v)}, expected a finite number`);
    }
  }
}

/** Two arrays of paired observations: same length, non-empty. */
export function checkPaired(fn: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (!Array.isArray(a) || !Array.isArray(b)) throw new TypeError(`${fn}: a and b must be arrays`);
  if (a.length !== b.length)
    throw new RangeError(
      `${fn}: a has ${a.length} values but b has ${b.length}; paired samples must have the same length`,
    );
  if (a.length === 0) throw new RangeError(`${fn}: a and b are empty (no pairs to compare)`);
}

/** The caller must state the direction of the alternative hypothesis. */
export function checkAlternative(fn: string, alternative: unknown): Alternative {
  if (alternative === undefined || alternative === null) {
    throw new TypeError(
      `${fn}: options.alternative is required ('greater', 'less' or 'two-sided'); state the direction of the test`,
    );
  }
  if (!ALTERNATIVES.includes(alternative as Alternative)) {
    throw new RangeError(
      `${fn}: alternative must be 'greater', 'less' or 'two-sided', got ${JSON.stringify(alternative)}`,
    );
  }
  return alternative as Alternative;
}

/** Number of resamples: a positive integer. */
export function checkResamples(fn: string, B: unknown): number {
  if (typeof B !== 'number' || !Number.isInteger(B) || B < 1) {
    throw new RangeError(`${fn}: options.B (number of resamples) must be a positive integer, got ${String(B)}`);
  }
  return B;
}

/** Confidence level strictly between 0 and 1. */
export function checkLevel(fn: string, level: unknown): number {
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new RangeError(
      `${fn}: options.level must be a number strictly between 0 and 1 (e.g. 0.95), got ${String(level)}`,
    );
  }
  return level;
}

/** A seed for the Rng: a number or a string; required so that results are reproducible. */
export function checkSeed(fn: string, seed: unknown): number | string {
  if ((typeof seed !== 'number' || !Number.isFinite(seed)) && typeof seed !== 'string') {
    throw new TypeError(`${fn}: options.seed (a number or string) is required; resampling is always seeded`);
  }
  return seed;
}

/** Arithmetic mean (plain left-to-right sum, as the fast resampling paths compute it). */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}
