import type { Interaction } from '../../../harness/plugin-api.js';

/**
 * Agent4Rec's social traits, computed from the training split with no LLM.
 * Each is a raw statistic per user, turned into a level 1–3 by cuts at
 * percentiles of the same statistic over all training users:
 *   activity    number of interactions                          cuts at the 60th / 90th percentile
 *   diversity   top genres whose cumulative share of the user's genre tags stays within 80%  33rd / 66th
 *   conformity  mean squared gap between the user's ratings and the items' mean ratings  25th / 80th
 * A value below the first cut is level 1, below the second level 2, else 3
 * (the released preprocessing script's rule). Conformity level 1 means the
 * user rates close to the crowd.
 */
export type Level = 1 | 2 | 3;

export interface Traits {
  readonly activity: Level;
  readonly diversity: Level;
  readonly conformity: Level;
}

export interface TraitValues {
  readonly activity: number;
  readonly diversity: number;
  /** NaN when the user has no rated interaction (implicit feedback). */
  readonly conformity: number;
}

export const ACTIVITY_CUTS = [60, 90] as const;
export const DIVERSITY_CUTS = [33, 66] as const;
export const CONFORMITY_CUTS = [25, 80] as const;
export const GENRE_COVERAGE = 0.8;

/** The p-th percentile (0–100) with linear interpolation between order statistics (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function level(value: number, cuts: readonly [number, number]): Level {
  if (value < cuts[0]) return 1;
  if (value < cuts[1]) return 2;
  return 3;
}

/** Interactions per user. */
export function activityCounts(interactions: readonly Interaction[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of interactions) m.set(x.user, (m.get(x.user) ?? 0) + 1);
  return m;
}

/**
 * Genre tags of the user's items are counted (an item with three genres adds
 * one to each); the genres are sorted by count and the result is how many of
 * them have a cumulative share of at most `coverage`, as the released script
 * counts (2_get_user_statistic.py:103-114; the paper's wording, "genres that
 * cover 80%", would be one more). A user whose top genre alone holds more
 * than 80% gets 0 (the released script drops such users). Users whose items
 * have no genres get 0.
 */
export function diversityCounts(
  interactions: readonly Interaction[],
  genresOf: (item: string) => readonly string[],
  coverage = GENRE_COVERAGE,
): Map<string, number> {
  const tags = new Map<string, Map<string, number>>();
  for (const x of interactions) {
    let m = tags.get(x.user);
    if (!m) tags.set(x.user, (m = new Map()));
    for (const g of genresOf(x.item)) m.set(g, (m.get(g) ?? 0) + 1);
  }
  const out = new Map<string, number>();
  for (const [user, m] of tags) out.set(user, genresWithin([...m.values()], coverage));
  return out;
}

/** How many of the largest counts have a cumulative share of at most `coverage`. */
export function genresWithin(counts: readonly number[], coverage: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const sorted = [...counts].sort((a, b) => b - a);
  let acc = 0;
  let k = 0;
  for (const c of sorted) {
    acc += c;
    // a tolerance so that e.g. 4/5 counts as within 0.8
    if (acc / total > coverage + 1e-12) break;
    k++;
  }
  return k;
}

/** Mean rating per item over the given interactions (unrated ones ignored). */
export function itemMeans(interactions: readonly Interaction[]): Map<string, { mean: number; count: number }> {
  const sum = new Map<string, { s: number; n: number }>();
  for (const x of interactions) {
    if (x.rating === null) continue;
    const a = sum.get(x.item) ?? { s: 0, n: 0 };
    a.s += x.rating;
    a.n++;
    sum.set(x.item, a);
  }
  return new Map([...sum].map(([item, a]) => [item, { mean: a.s / a.n, count: a.n }]));
}

/** Mean of (rating − item mean)² over the user's rated interactions; NaN when none is rated. */
export function conformityGaps(
  interactions: readonly Interaction[],
  means = itemMeans(interactions),
): Map<string, number> {
  const acc = new Map<string, { s: number; n: number }>();
  for (const x of interactions) {
    const a = acc.get(x.user) ?? { s: 0, n: 0 };
    const m = x.rating === null ? undefined : means.get(x.item);
    if (m && x.rating !== null) {
      a.s += (x.rating - m.mean) ** 2;
      a.n++;
    }
    acc.set(x.user, a);
  }
  return new Map([...acc].map(([user, a]) => [user, a.n === 0 ? Number.NaN : a.s / a.n]));
}

/**
 * Traits of every user in `interactions`. Percentiles are taken over the
 * users with a defined value (for diversity: at least one genre within 80%,
 * the users the released script keeps); a user without a conformity value
 * (no rated item) gets the middle conformity level, one with diversity 0
 * level 1 (ours: the released script has no profile for either).
 */
export function computeTraits(
  interactions: readonly Interaction[],
  genresOf: (item: string) => readonly string[],
): Map<string, { traits: Traits; values: TraitValues }> {
  const act = activityCounts(interactions);
  const div = diversityCounts(interactions, genresOf);
  const conf = conformityGaps(interactions);
  const cutsOf = (
    m: Map<string, number>,
    ps: readonly [number, number],
    keep: (v: number) => boolean = Number.isFinite,
  ): [number, number] => {
    const vals = [...m.values()].filter(keep);
    return [percentile(vals, ps[0]), percentile(vals, ps[1])];
  };
  const aCuts = cutsOf(act, ACTIVITY_CUTS);
  const dCuts = cutsOf(div, DIVERSITY_CUTS, (d) => d > 0);
  const cCuts = cutsOf(conf, CONFORMITY_CUTS);
  const out = new Map<string, { traits: Traits; values: TraitValues }>();
  for (const [user, a] of act) {
    const d = div.get(user) ?? 0;
    const c = conf.get(user) ?? Number.NaN;
    out.set(user, {
      values: { activity: a, diversity: d, conformity: c },
      traits: {
        activity: level(a, aCuts),
        diversity: level(d, dCuts),
        conformity: Number.isFinite(c) ? level(c, cCuts) : 2,
      },
    });
  }
  return out;
}
