/**
 * Multiple-testing adjustments, identical to R's p.adjust(p, "holm") and
 * p.adjust(p, "BH") (R: src/library/stats/R/p.adjust.R):
 *
 *   holm: i <- seq_len(n); o <- order(p); pmin(1, cummax((n - i + 1) * p[o]))[order(o)]
 *   BH:   i <- n:1; o <- order(p, decreasing = TRUE); pmin(1, cummin(n / i * p[o]))[order(o)]
 *
 * Adjusted values are returned in the input order. Unlike p.adjust, NA is not
 * accepted: every p-value must be a number in [0, 1].
 *
 * References: S. Holm (1979), "A simple sequentially rejective multiple test
 * procedure", Scand. J. Statist. 6:65-70; Y. Benjamini and Y. Hochberg (1995),
 * "Controlling the false discovery rate", J. R. Statist. Soc. B 57:289-300.
 */

function checkPValues(fn: string, p: readonly number[]): void {
  if (!Array.isArray(p)) throw new TypeError(`${fn}: pValues must be an array of numbers`);
  if (p.length === 0) throw new RangeError(`${fn}: pValues is empty (no p-values to adjust)`);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new RangeError(`${fn}: pValues[${i}] is ${String(v)}, expected a number in [0, 1]`);
  }
}

/** Indices of p sorted by value (stable: equal values keep their input order). */
function orderBy(p: readonly number[], decreasing: boolean): number[] {
  const idx = p.map((_, i) => i);
  return idx.sort(
    (i, j) => (decreasing ? (p[j] as number) - (p[i] as number) : (p[i] as number) - (p[j] as number)) || i - j,
  );
}

/** Holm's step-down adjustment (controls the family-wise error rate). */
export function holm(pValues: readonly number[]): number[] {
  checkPValues('holm', pValues);
  const n = pValues.length;
  const o = orderBy(pValues, false);
  const out = new Array<number>(n).fill(0);
  let running = 0;
  for (let k = 0; k < n; k++) {
    const i = o[k] as number;
    running = Math.max(running, (n - k) * (pValues[i] as number));
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Benjamini-Hochberg step-up adjustment (controls the false discovery rate). */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  checkPValues('benjaminiHochberg', pValues);
  const n = pValues.length;
  const o = orderBy(pValues, true);
  const out = new Array<number>(n).fill(0);
  let running = Infinity;
  for (let k = 0; k < n; k++) {
    const i = o[k] as number;
    const rank = n - k;
    running = Math.min(running, (n / rank) * (pValues[i] as number));
    out[i] = Math.min(1, running);
  }
  return out;
}
