import { describe, expect, it } from 'vitest';
import type { Interaction } from '../../../../harness/plugin-api.ts';
import {
  activityCounts,
  computeTraits,
  conformityGaps,
  diversityCounts,
  genresWithin,
  itemMeans,
  level,
  percentile,
} from '../../../../plugins/methods/agent4rec/traits.ts';

/** Items and their genres; five users with hand-computed statistics (see each test). */
const GENRES: Record<string, string[]> = { i1: ['A', 'B'], i2: ['A'], i3: ['C'], i4: ['A', 'C'], i5: ['D'] };
const genresOf = (id: string) => GENRES[id] ?? [];
const RATINGS: Record<string, Array<[string, number]>> = {
  u1: [
    ['i1', 5],
    ['i2', 4],
  ],
  u2: [
    ['i1', 3],
    ['i3', 2],
    ['i5', 1],
  ],
  u3: [['i2', 4]],
  u4: [
    ['i1', 4],
    ['i2', 5],
    ['i3', 1],
    ['i4', 3],
  ],
  u5: [
    ['i5', 2],
    ['i4', 4],
    ['i3', 3],
    ['i2', 2],
    ['i1', 1],
  ],
};
const X: Interaction[] = Object.entries(RATINGS).flatMap(([user, rs]) =>
  rs.map(([item, rating], k) => ({ user, item, rating, timestamp: k })),
);

describe('percentiles and cuts', () => {
  it('interpolates linearly between order statistics, as numpy does', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([5, 1, 4, 2, 3], 60)).toBeCloseTo(3.4, 12);
    expect(percentile([5, 1, 4, 2, 3], 90)).toBeCloseTo(4.6, 12);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('level 1 below the first cut, 2 below the second, 3 from it on', () => {
    expect(level(1, [2, 4])).toBe(1);
    expect(level(2, [2, 4])).toBe(2);
    expect(level(3.9, [2, 4])).toBe(2);
    expect(level(4, [2, 4])).toBe(3);
  });
});

describe('trait statistics on a hand-made example', () => {
  it('activity = number of interactions', () => {
    expect(Object.fromEntries(activityCounts(X))).toEqual({ u1: 2, u2: 3, u3: 1, u4: 4, u5: 5 });
  });

  it('diversity = top genres whose cumulative share stays within 80%, as the released script counts', () => {
    // u1: A2 B1 → 2/3 ≤ .8, 3/3 → 1.  u2: A B C D once each → 1/4, 2/4, 3/4 ≤ .8 → 3.  u3: A → 1/1 > .8 → 0.
    // u4: A3 C2 B1 → 3/6, 5/6 > .8 → 1.  u5: A3 C2 B1 D1 → 3/7, 5/7 ≤ .8, 6/7 → 2.
    // (The covering count, which we used before, was one more: 2, 4, 1, 2, 3.)
    expect(Object.fromEntries(diversityCounts(X, genresOf))).toEqual({ u1: 1, u2: 3, u3: 0, u4: 1, u5: 2 });
    expect(genresWithin([4, 1], 0.8)).toBe(1);
    expect(genresWithin([9, 1], 0.8)).toBe(0);
    expect(genresWithin([], 0.8)).toBe(0);
  });

  it("conformity = mean squared gap to the items' mean ratings", () => {
    // item means: i1 13/4, i2 15/4, i3 2, i4 3.5, i5 1.5
    expect(Object.fromEntries(itemMeans(X))).toEqual({
      i1: { mean: 3.25, count: 4 },
      i2: { mean: 3.75, count: 4 },
      i3: { mean: 2, count: 3 },
      i4: { mean: 3.5, count: 2 },
      i5: { mean: 1.5, count: 2 },
    });
    const g = conformityGaps(X);
    expect(g.get('u1')).toBeCloseTo((1.75 ** 2 + 0.25 ** 2) / 2, 12); // 1.5625
    expect(g.get('u2')).toBeCloseTo((0.25 ** 2 + 0 + 0.5 ** 2) / 3, 12); // 0.1041…
    expect(g.get('u3')).toBeCloseTo(0.0625, 12);
    expect(g.get('u4')).toBeCloseTo((0.75 ** 2 + 1.25 ** 2 + 1 + 0.5 ** 2) / 4, 12); // 0.84375
    expect(g.get('u5')).toBeCloseTo((0.25 + 0.25 + 1 + 1.75 ** 2 + 2.25 ** 2) / 5, 12); // 1.925
  });

  it("levels by the paper's percentile cuts", () => {
    const t = computeTraits(X, genresOf);
    // activity [2,3,1,4,5]: p60 = 3.4, p90 = 4.6
    // diversity [1,3,0,1,2]; cuts over the users above 0, [1,1,2,3]: p33 = 1, p66 = 1.98; u3 (0) is level 1
    // conformity [1.5625, .1042, .0625, .84375, 1.925]: p25 = .1042, p80 = 1.635
    const levels = Object.fromEntries(
      [...t].map(([u, v]) => [u, [v.traits.activity, v.traits.diversity, v.traits.conformity]]),
    );
    expect(levels).toEqual({
      u1: [1, 2, 2],
      u2: [1, 3, 2],
      u3: [1, 1, 1],
      u4: [2, 2, 2],
      u5: [3, 3, 3],
    });
    expect(t.get('u5')?.values).toEqual({ activity: 5, diversity: 2, conformity: expect.closeTo(1.925, 12) });
  });

  it('a user with no rated interaction gets conformity level 2 and does not move the cuts', () => {
    const withImplicit = [...X, { user: 'u6', item: 'i1', rating: null, timestamp: 0 }];
    const t = computeTraits(withImplicit, genresOf);
    expect(t.get('u6')?.traits.conformity).toBe(2);
    expect(t.get('u6')?.values.conformity).toBeNaN();
    expect(t.get('u3')?.traits.conformity).toBe(1);
    expect(t.get('u5')?.traits.conformity).toBe(3);
  });
});
