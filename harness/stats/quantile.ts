/**
 * Quantiles of a bootstrap distribution: the default ("linear", type 7) definition of
 * numpy.percentile, scipy.stats.quantile and R's quantile(type = 7):
 * with the values sorted, h = (B - 1) p and Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 *
 * Uses selection (quickselect, expected O(B)) instead of a full sort; the array is
 * partially reordered in place.
 */

/** Rearranges x[left..right] so that x[k] holds the k-th smallest value, smaller ones before it, larger after. */
function select(x: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    // Median of three as the pivot keeps already-sorted input linear.
    const mid = (left + right) >>> 1;
    const lv = x[left] as number;
    const mv = x[mid] as number;
    const rv = x[right] as number;
    const pivot = lv < mv ? (mv < rv ? mv : lv < rv ? rv : lv) : lv < rv ? lv : mv < rv ? rv : mv;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((x[i] as number) < pivot) i++;
      while ((x[j] as number) > pivot) j--;
      if (i <= j) {
        const tmp = x[i] as number;
        x[i] = x[j] as number;
        x[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/**
 * Type-7 quantiles of x at the probabilities ps (each in [0, 1]), in the order given.
 * x must hold finite numbers; it is reordered.
 */
export function quantiles(x: Float64Array, ps: readonly number[]): number[] {
  const n = x.length;
  if (n === 0) throw new RangeError('quantiles: no values');
  // Process the probabilities in increasing order so each selection works on the
  // part of the array not yet pinned down.
  const order = ps.map((_, i) => i).sort((i, j) => (ps[i] as number) - (ps[j] as number));
  const out = new Array<number>(ps.length).fill(0);
  let left = 0;
  for (const idx of order) {
    const p = ps[idx] as number;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantiles: probability must lie in [0, 1], got ${p}`);
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const frac = h - lo;
    if (lo >= left) {
      select(x, lo, left, n - 1);
      left = lo;
    }
    const vLo = x[lo] as number;
    let value = vLo;
    if (frac > 0 && lo + 1 < n) {
      // Everything after position lo is >= x[lo]; the next order statistic is their minimum.
      let vHi = Infinity;
      for (let i = lo + 1; i < n; i++) if ((x[i] as number) < vHi) vHi = x[i] as number;
      value = vLo + frac * (vHi - vLo);
    }
    out[idx] = value;
  }
  return out;
}
