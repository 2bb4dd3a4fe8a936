import type { SteamRows } from './steam-rows.js';

export interface RatingRule {
  /** Stars a recommendation adds (and a non-recommendation removes). */
  readonly recommendBonus: number;
  /** Items with fewer players of known play time use the quintiles of all players. */
  readonly minItemPlayers: number;
}

/** The rule as one sentence, for the dataset's choices in the manifest. */
export function describeRule(rule: RatingRule): string {
  return (
    `steam rating (ours): Steam has no stars; 1–5 = the quintile of log(1 + hours played) among the game's players ` +
    `(all players' quintiles for games with fewer than ${rule.minItemPlayers} players), unknown play time counts as 3; ` +
    `a recommendation adds ${rule.recommendBonus} star(s), a non-recommendation removes ${rule.recommendBonus}; clipped to 1–5`
  );
}

/**
 * Steam gives play time and, for reviewers, a thumbs up or down, but no stars.
 * This turns them into 1–5 (ours, configurable): within each game, players
 * are binned by the quintiles of log(1 + hours), so "played a lot for this
 * game" means the same for a 2-hour puzzle and a 2,000-hour MMO; the
 * recommendation then moves the rating up or down. Writes the ratings into
 * the rows' table.
 */
export function deriveRatings(rows: SteamRows, rule: RatingRule): void {
  const table = rows.table;
  const nItems = table.itemIds.length;
  const perItem: number[][] = Array.from({ length: nItems }, () => []);
  const everyone: number[] = [];
  for (let row = 0; row < rows.length; row++) {
    const h = rows.hoursOf(row);
    if (h === null) continue;
    const v = Math.log1p(Math.max(0, h));
    (perItem[table.itemOf(row)] as number[]).push(v);
    everyone.push(v);
  }
  const globalCuts = quintileCuts(everyone);
  const cuts = perItem.map((vs) => (vs.length >= rule.minItemPlayers ? quintileCuts(vs) : globalCuts));
  for (let row = 0; row < rows.length; row++) {
    const h = rows.hoursOf(row);
    let stars = 3;
    if (h !== null) {
      const v = Math.log1p(Math.max(0, h));
      stars = 1;
      for (const c of cuts[table.itemOf(row)] as number[]) if (v > c) stars++;
    }
    const rec = rows.recommendOf(row);
    if (rec !== null) stars += rec ? rule.recommendBonus : -rule.recommendBonus;
    table.setRating(row, Math.min(5, Math.max(1, stars)));
  }
}

/** The 20th, 40th, 60th and 80th percentiles (linear interpolation between order statistics). */
export function quintileCuts(values: number[]): number[] {
  if (values.length === 0) return [0, 0, 0, 0];
  const s = Float64Array.from(values).sort();
  return [0.2, 0.4, 0.6, 0.8].map((q) => {
    const pos = q * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
  });
}
