import { describe, expect, it } from 'vitest';
import { compareIds, splitRatings, type SplitOptions } from '../../../harness/data/splits.ts';
import type { Interaction, RatingsSplit } from '../../../harness/data/types.ts';

const key = (x: Interaction) => `${x.user}|${x.item}|${x.rating}|${x.timestamp}`;
const keys = (xs: readonly Interaction[]) => xs.map(key).sort();
const parts = (s: RatingsSplit) => [...s.train, ...s.valid, ...s.test];
const usersOf = (xs: readonly Interaction[]) => new Set(xs.map((x) => x.user));

/** Per-user row lists. */
function byUser(xs: readonly Interaction[]): Map<string, Interaction[]> {
  const m = new Map<string, Interaction[]>();
  for (const x of xs) {
    const l = m.get(x.user) ?? [];
    l.push(x);
    m.set(x.user, l);
  }
  return m;
}

/**
 * A hand-built rating log. Users 1–30 rate the 40 "common" items 1–40 (ratings 4 or 5, so
 * all of them are liked) plus, for every user, three items rated by nobody else
 * (ids 1000+), which the agent4rec valid/test restriction can drop. Users 31–35 have
 * only 19 ratings above 3 (below the default threshold of 20), user 36 has 40
 * ratings of exactly 3 (3 is not *above* 3). Each (user, item) pair occurs once.
 */
function ratingLog(): Interaction[] {
  const out: Interaction[] = [];
  let t = 1_000_000;
  for (let u = 1; u <= 30; u++) {
    const n = 20 + u; // 21…50 common items rated, 25+ rows per user
    for (let i = 1; i <= Math.min(n, 40); i++)
      out.push({ user: String(u), item: String(i), rating: 4 + ((u + i) % 2), timestamp: (t += 7) });
    for (let k = 0; k < 3; k++)
      out.push({ user: String(u), item: String(1000 + u * 3 + k), rating: 2, timestamp: (t += 7) });
  }
  for (let u = 31; u <= 35; u++) {
    for (let i = 1; i <= 19; i++) out.push({ user: String(u), item: String(i), rating: 5, timestamp: (t += 7) });
    for (let i = 20; i <= 30; i++) out.push({ user: String(u), item: String(i), rating: 3, timestamp: (t += 7) });
  }
  for (let i = 1; i <= 40; i++) out.push({ user: '36', item: String(i), rating: 3, timestamp: (t += 7) });
  return out;
}

const LOG = ratingLog();
const eligibleUsers = new Set(Array.from({ length: 30 }, (_, k) => String(k + 1)));

describe('compareIds', () => {
  it('orders numeric ids numerically and others lexically', () => {
    expect(['10', '9', '100', '1'].sort(compareIds)).toEqual(['1', '9', '10', '100']);
    expect(['b', 'a', 'c'].sort(compareIds)).toEqual(['a', 'b', 'c']);
  });

  it('its fast path for plain decimal ids gives the order of the numeric rule, also beside ids that are not plain', () => {
    // The rule as it was before the fast path: numbers by value (ties by text), others lexically.
    const byRule = (a: string, b: string) => {
      const na = Number(a);
      const nb = Number(b);
      if (Number.isFinite(na) && Number.isFinite(nb) && a.trim() !== '' && b.trim() !== '')
        return na - nb || a.localeCompare(b);
      return a < b ? -1 : a > b ? 1 : 0;
    };
    const ids = [
      '0',
      '00',
      '1',
      '01',
      '7',
      '007',
      '10',
      '9',
      '99',
      '100',
      '1e3',
      '1000',
      ' 12',
      '12',
      '-3',
      '1.5',
      '',
    ].concat([
      'abc',
      'u1',
      'u10',
      '999999999999999',
      '1000000000000000',
      '12345678901234567',
      'B0001',
      '65536',
      '655360',
    ]);
    for (const a of ids)
      for (const b of ids) expect(Math.sign(compareIds(a, b)), `${a} vs ${b}`).toBe(Math.sign(byRule(a, b)));
  });
});

describe('agent4rec split', () => {
  const opts: SplitOptions = { name: 'agent4rec', seed: 101, users: null, minLiked: 20, likedAbove: 3 };

  it('keeps only users with at least minLiked ratings strictly above likedAbove', () => {
    const s = splitRatings(LOG, { ...opts, users: 1000 });
    expect(s.name).toBe('agent4rec');
    expect(usersOf(parts(s))).toEqual(eligibleUsers);
    // the threshold moves with the options: with minLiked 19 users 31–35 qualify too; 36 never does
    const loose = splitRatings(LOG, { ...opts, users: 1000, minLiked: 19 });
    expect(usersOf(parts(loose)).size).toBe(35);
    expect(usersOf(parts(loose)).has('36')).toBe(false);
    // ratings of exactly 3 are liked once likedAbove is 2.5
    const lower = splitRatings(LOG, { ...opts, users: 1000, likedAbove: 2.5 });
    expect(usersOf(parts(lower)).size).toBe(36);
  });

  it('samples `users` of the eligible users', () => {
    const s = splitRatings(LOG, { ...opts, users: 7 });
    const kept = usersOf(s.train);
    expect(kept.size).toBe(7);
    for (const u of kept) expect(eligibleUsers.has(u)).toBe(true);
    expect(usersOf(parts(s))).toEqual(kept);
  });

  it('splits every kept user 40/30/30 within rounding', () => {
    const s = splitRatings(LOG, { ...opts, users: 1000 });
    const all = byUser(LOG);
    const tr = byUser(s.train);
    for (const u of eligibleUsers) {
      const n = (all.get(u) ?? []).length;
      const nTrain = (tr.get(u) ?? []).length;
      // all of a user's ratings go to the split: train is never restricted
      expect(Math.abs(nTrain - 0.4 * n)).toBeLessThanOrEqual(0.5);
    }
    // With no valid/test restriction (below) the held-out parts are 30/30 within rounding.
    const common = LOG.filter((x) => Number(x.item) < 1000 && eligibleUsers.has(x.user));
    const c = splitRatings(common, { ...opts, users: 1000 });
    expect(parts(c).length).toBe(common.length);
    const cv = byUser(c.valid);
    const ct = byUser(c.test);
    const ctr = byUser(c.train);
    for (const [u, rows] of byUser(common)) {
      const n = rows.length;
      const [a, b, d] = [ctr, cv, ct].map((m) => (m.get(u) ?? []).length) as [number, number, number];
      expect(a + b + d).toBe(n);
      expect(Math.abs(a - 0.4 * n)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(b - 0.3 * n)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(d - 0.3 * n)).toBeLessThanOrEqual(1); // the remainder: rounding of two parts
    }
  });

  it('restricts valid and test to items that occur in train', () => {
    const s = splitRatings(LOG, { ...opts, users: 1000 });
    const trainItems = new Set(s.train.map((x) => x.item));
    for (const x of [...s.valid, ...s.test]) expect(trainItems.has(x.item)).toBe(true);
  });

  it('partitions are disjoint; with the dropped held-out rows they are exactly the kept users’ interactions', () => {
    const s = splitRatings(LOG, { ...opts, users: 1000 });
    const tr = new Set(keys(s.train));
    const va = new Set(keys(s.valid));
    const te = new Set(keys(s.test));
    expect(tr.size + va.size + te.size).toBe(parts(s).length); // no duplicates
    for (const k of va) expect(tr.has(k) || te.has(k)).toBe(false);
    for (const k of te) expect(tr.has(k)).toBe(false);

    const kept = LOG.filter((x) => eligibleUsers.has(x.user));
    const inSplit = new Set(keys(parts(s)));
    const keptKeys = new Set(kept.map(key));
    expect([...inSplit].filter((k) => !keptKeys.has(k))).toEqual([]);
    const dropped = kept.filter((x) => !inSplit.has(key(x)));
    // the single-user items make the restriction bite, so this test is not vacuous
    expect(dropped.length).toBeGreaterThan(0);
    const trainItems = new Set(s.train.map((x) => x.item));
    for (const x of dropped) expect(trainItems.has(x.item)).toBe(false);
    expect(inSplit.size + dropped.length).toBe(kept.length);
  });

  it('is deterministic for a seed and different for another seed', () => {
    const a = splitRatings(LOG, { ...opts, users: 10 });
    const b = splitRatings(LOG, { ...opts, users: 10 });
    const c = splitRatings(LOG, { ...opts, users: 10, seed: 102 });
    expect(a).toEqual(b);
    expect(keys(c.train)).not.toEqual(keys(a.train));
    expect([...usersOf(c.train)].sort()).not.toEqual([...usersOf(a.train)].sort());
    // same users, another seed: the per-user split changes too
    const full1 = splitRatings(LOG, { ...opts, users: 1000 });
    const full2 = splitRatings(LOG, { ...opts, users: 1000, seed: 7 });
    expect(keys(full2.train)).not.toEqual(keys(full1.train));
  });

  it('does not depend on the order of the input rows', () => {
    const a = splitRatings(LOG, { ...opts, users: 12 });
    const b = splitRatings([...LOG].reverse(), { ...opts, users: 12 });
    expect(keys(b.train)).toEqual(keys(a.train));
    expect(keys(b.valid)).toEqual(keys(a.valid));
    expect(keys(b.test)).toEqual(keys(a.test));
  });

  // Bug fixed in harness/data/splits.ts agent4rec():
  // `users: null` is documented as "null keeps every eligible user" (SplitOptions, split-options.ts),
  // Regression: `null ?? 1000` used to keep at most 1,000 users.
  it('users: null keeps every eligible user, even more than 1,000', () => {
    const many: Interaction[] = [];
    for (let u = 1; u <= 1005; u++)
      for (let i = 1; i <= 3; i++) many.push({ user: String(u), item: String(i), rating: 5, timestamp: u * 10 + i });
    const s = splitRatings(many, { name: 'agent4rec', seed: 1, users: null, minLiked: 0, likedAbove: 3 });
    expect(usersOf(parts(s)).size).toBe(1005);
  });
});

describe('random split', () => {
  it('splits all rows of the kept users 80/10/10 by default, disjoint and complete', () => {
    const s = splitRatings(LOG, { name: 'random', seed: 3 });
    expect(s.name).toBe('random');
    expect(s.train.length).toBe(Math.round(LOG.length * 0.8));
    expect(s.valid.length).toBe(Math.round(LOG.length * 0.1));
    expect(keys(parts(s))).toEqual(keys(LOG));
  });

  it('honours fractions, e.g. [1, 0, 0] puts everything in train', () => {
    const s = splitRatings(LOG, { name: 'random', seed: 3, fractions: [1, 0, 0] });
    expect(s.train.length).toBe(LOG.length);
    expect(s.valid).toEqual([]);
    expect(s.test).toEqual([]);
  });

  it('samples users, and is deterministic per seed', () => {
    const s = splitRatings(LOG, { name: 'random', seed: 3, users: 5 });
    const kept = usersOf(parts(s));
    expect(kept.size).toBe(5);
    expect(keys(parts(s))).toEqual(keys(LOG.filter((x) => kept.has(x.user))));
    expect(splitRatings(LOG, { name: 'random', seed: 3, users: 5 })).toEqual(s);
    expect(keys(splitRatings(LOG, { name: 'random', seed: 4 }).train)).not.toEqual(
      keys(splitRatings(LOG, { name: 'random', seed: 3 }).train),
    );
  });
});

describe('leave-last-out split', () => {
  const rows: Interaction[] = [
    { user: 'a', item: '1', rating: 4, timestamp: 50 },
    { user: 'a', item: '2', rating: 3, timestamp: 10 },
    { user: 'a', item: '3', rating: 5, timestamp: 40 },
    { user: 'a', item: '4', rating: 2, timestamp: 20 },
    { user: 'b', item: '1', rating: 1, timestamp: 5 },
    { user: 'b', item: '2', rating: 2, timestamp: 6 },
    // user c has only two rows: both stay in train
    { user: 'c', item: '1', rating: 1, timestamp: 1 },
    { user: 'c', item: '2', rating: 2, timestamp: 2 },
    // user d: a timestamp tie at the end is broken by item id
    { user: 'd', item: '9', rating: 3, timestamp: 100 },
    { user: 'd', item: '10', rating: 3, timestamp: 100 },
    { user: 'd', item: '5', rating: 3, timestamp: 1 },
  ];

  it('holds out the last interaction (by timestamp) as test and the second last as valid', () => {
    const s = splitRatings(rows, { name: 'leave-last-out', seed: 1 });
    expect(s.name).toBe('leave-last-out');
    const testOf = byUser(s.test);
    const validOf = byUser(s.valid);
    expect(testOf.get('a')?.map((x) => x.item)).toEqual(['1']); // t = 50
    expect(validOf.get('a')?.map((x) => x.item)).toEqual(['3']); // t = 40
    expect(
      byUser(s.train)
        .get('a')
        ?.map((x) => x.item)
        .sort(),
    ).toEqual(['2', '4']);
    expect(testOf.get('d')?.map((x) => x.item)).toEqual(['10']);
    expect(validOf.get('d')?.map((x) => x.item)).toEqual(['9']);
    for (const u of ['b', 'c']) {
      expect(testOf.has(u)).toBe(false);
      expect(validOf.has(u)).toBe(false);
    }
    expect(keys(parts(s))).toEqual(keys(rows));
  });

  it('every held-out row is at least as late as every train row of its user', () => {
    const s = splitRatings(LOG, { name: 'leave-last-out', seed: 1 });
    const tr = byUser(s.train);
    for (const v of s.valid) {
      const t = s.test.find((x) => x.user === v.user);
      expect(t && t.timestamp >= v.timestamp).toBe(true);
      for (const x of tr.get(v.user) ?? []) expect(x.timestamp).toBeLessThanOrEqual(v.timestamp);
    }
    expect(s.test.length).toBe(usersOf(LOG).size);
  });
});

describe('temporal split', () => {
  it('all train timestamps ≤ every valid timestamp ≤ every test timestamp', () => {
    // shuffle timestamps across users so that the global order differs from the per-user one
    const rows = LOG.map((x, i) => ({ ...x, timestamp: (i * 7919) % 10007 }));
    const s = splitRatings(rows, { name: 'temporal', seed: 1 });
    expect(s.name).toBe('temporal');
    const max = (xs: readonly Interaction[]) => Math.max(...xs.map((x) => x.timestamp));
    const min = (xs: readonly Interaction[]) => Math.min(...xs.map((x) => x.timestamp));
    expect(max(s.train)).toBeLessThanOrEqual(min(s.valid));
    expect(max(s.valid)).toBeLessThanOrEqual(min(s.test));
    expect(s.train.length).toBe(Math.round(rows.length * 0.8));
    expect(s.valid.length).toBe(Math.round(rows.length * 0.1));
    expect(keys(parts(s))).toEqual(keys(rows));
  });
});
