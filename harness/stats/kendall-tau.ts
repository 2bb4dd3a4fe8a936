/**
 * Kendall's τ-b between two paired samples (ties in either are corrected for,
 * as scipy.stats.kendalltau's default variant does). O(n²): it ranks a handful
 * of recommenders, not thousands of units. NaN when either sample is constant
 * (the coefficient is undefined there; scipy returns nan too).
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`kendallTauB: x has ${x.length} values but y has ${y.length}`);
  if (x.length < 2) throw new RangeError(`kendallTauB: needs at least 2 pairs, got ${x.length}`);
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign((x[i] as number) - (x[j] as number));
      const dy = Math.sign((y[i] as number) - (y[j] as number));
      if (Number.isNaN(dx) || Number.isNaN(dy)) throw new RangeError('kendallTauB: values must be numbers, not NaN');
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  // n0 − n1 = pairs not tied in x (concordant + discordant + tied in y only), and likewise for y.
  const denom = Math.sqrt((concordant + discordant + tiesY) * (concordant + discordant + tiesX));
  return denom === 0 ? Number.NaN : (concordant - discordant) / denom;
}
