import { describe, expect, it } from 'vitest';
import { preferenceDiscrimination as task } from '../../../plugins/tasks/preference-discrimination/index.ts';
import { TASKS } from '../../support/tasks.ts';
import { UnitError } from '../../../harness/llm/errors.ts';
import { splitRatings } from '../../../harness/data/splits.ts';
import type { Interaction } from '../../../harness/data/types.ts';
import type { Judgement, Simulator } from '../../../harness/plugin-api.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { handDataset, item, range, rows, unitContext, userView } from '../../support/hand-dataset.ts';

/**
 * User 1: 10 train items, 12 held-out (6 valid, 6 test). User 2: 5 train, 3 held-out.
 * User 3: train only (no units). User 10: 4 train, 4 held-out (sorts after 2 numerically).
 */
const ds = handDataset({
  train: [
    ...rows('1', range(1, 10)),
    ...rows('2', range(30, 34)),
    ...rows('3', range(40, 45)),
    ...rows('10', range(60, 63)),
  ],
  valid: [...rows('1', range(11, 16)), ...rows('2', [35])],
  test: [...rows('1', range(17, 22)), ...rows('2', [36, 37]), ...rows('10', range(64, 67))],
});
/** Most tests draw from every item, so that the pool never runs short; the negativesFrom tests cover train-items. */
const opts = {
  ratios: [1, 3, 9],
  itemsPerUser: 20,
  users: null as number | null,
  negativesFrom: 'all-items' as 'all-items' | 'train-items',
};
const heldOut: Record<string, number[]> = { '1': range(11, 22), '2': [35, 36, 37], '10': range(64, 67) };
const interacted: Record<string, number[]> = { '1': range(1, 22), '2': range(30, 37), '10': range(60, 67) };

describe('preference-discrimination units', () => {
  const units = task.buildUnits(ds, opts, new Rng(42)) ?? [];

  it('is registered as a standard task', () => {
    expect(TASKS['preference-discrimination']).toBe(task as unknown);
  });

  it('builds one unit per user with held-out items and ratio, users in id order, keyed user|1:m', () => {
    expect(units.map((u) => u.key)).toEqual([
      '1|1:1',
      '1|1:3',
      '1|1:9',
      '2|1:1',
      '2|1:3',
      '2|1:9',
      '10|1:1',
      '10|1:3',
      '10|1:9',
    ]);
    expect(units.every((u) => u.key.startsWith(`${u.user}|`))).toBe(true);
  });

  it('positives = min(|held-out|, floor(20/(m+1))) and negatives = m × positives', () => {
    // user 1 (12 held out): m=1 → min(12,10)=10; m=3 → min(12,5)=5; m=9 → min(12,2)=2
    // user 2 (3 held out):  m=1 → 3; m=3 → 3; m=9 → 2.   user 10 (4 held out): 4, 4, 2
    const expected: Record<string, number> = {
      '1|1:1': 10,
      '1|1:3': 5,
      '1|1:9': 2,
      '2|1:1': 3,
      '2|1:3': 3,
      '2|1:9': 2,
      '10|1:1': 4,
      '10|1:3': 4,
      '10|1:9': 2,
    };
    for (const u of units) {
      const m = u.gold.ratio;
      const nPos = expected[u.key] as number;
      expect(u.gold.positives.length).toBe(nPos);
      expect(u.items.length).toBe(nPos * (m + 1));
      expect(u.items.length).toBeLessThanOrEqual(20);
      expect(new Set(u.items).size).toBe(u.items.length);
    }
  });

  it('positives come from the user’s held-out items; negatives were never interacted with', () => {
    for (const u of units) {
      const held = new Set((heldOut[u.user] ?? []).map(String));
      const seen = new Set((interacted[u.user] ?? []).map(String));
      for (const p of u.gold.positives) expect(held.has(p)).toBe(true);
      const pos = new Set(u.gold.positives);
      const negatives = u.items.filter((i) => !pos.has(i));
      expect(negatives.length).toBe(u.gold.ratio * u.gold.positives.length);
      for (const n of negatives) {
        expect(seen.has(n)).toBe(false);
        expect(ds.items.some((x) => x.id === n)).toBe(true);
      }
    }
  });

  it('shuffles positives among negatives', () => {
    // with 9 units the chance that every unit lists its positives first is negligible
    const positivesFirst = units.filter((u) => {
      const pos = new Set(u.gold.positives);
      return u.items.slice(0, u.gold.positives.length).every((i) => pos.has(i));
    });
    expect(positivesFirst.length).toBeLessThan(units.length);
    // and the offered items are exactly positives ∪ negatives, not in their drawn order
    const orderedAsDrawn = units.filter((u) => {
      const pos = new Set(u.gold.positives);
      return u.items.join() === [...u.gold.positives, ...u.items.filter((i) => !pos.has(i))].join();
    });
    expect(orderedAsDrawn.length).toBeLessThan(units.length);
  });

  it('is stable for the same rng seed and changes with another seed (same keys)', () => {
    const again = task.buildUnits(ds, opts, new Rng(42));
    expect(again).toEqual(units);
    const other = task.buildUnits(ds, opts, new Rng(43)) ?? [];
    expect(other.map((u) => u.key)).toEqual(units.map((u) => u.key));
    expect(other.map((u) => u.items)).not.toEqual(units.map((u) => u.items));
  });

  it('`users` evaluates the first users by id; itemsPerUser sets the budget', () => {
    const two = task.buildUnits(ds, { ...opts, users: 2 }, new Rng(42)) ?? [];
    expect([...new Set(two.map((u) => u.user))]).toEqual(['1', '2']);
    const small = task.buildUnits(ds, { ...opts, ratios: [1], itemsPerUser: 6 }, new Rng(1)) ?? [];
    expect(small.map((u) => [u.key, u.gold.positives.length, u.items.length])).toEqual([
      ['1|1:1', 3, 6],
      ['2|1:1', 3, 6],
      ['10|1:1', 3, 6],
    ]);
  });

  it('metrics are accuracy and F1 per ratio, higher is better', () => {
    expect(task.metrics(opts).map((m) => `${m.key}:${m.direction}`)).toEqual([
      'accuracy@1:1:higher',
      'f1@1:1:higher',
      'accuracy@1:3:higher',
      'f1@1:3:higher',
      'accuracy@1:9:higher',
      'f1@1:9:higher',
    ]);
  });

  // Regression: the agent4rec split drops held-out rows whose item is not in train; the task
  // used to draw "never interacted" negatives from the split only, so an item the user DID rate
  // could be offered as a negative (7 of 2,109 ML-100K units). The split now keeps those rows
  // as `excluded`, which the task counts as interacted.
  it('never offers an item the user rated (even one the agent4rec restriction dropped) as a negative', () => {
    // user 1 rates items 1–30; item 30 is rated by user 1 only, so if it lands in user 1's
    // held-out part it is dropped (not in train). Users 2–9 rate items 1–29.
    const log: Interaction[] = [...rows('1', range(1, 30), 5)];
    for (let u = 2; u <= 9; u++) log.push(...rows(String(u), range(1, 29), 5));
    // choose a split seed where item 30 is dropped (deterministic search over a few seeds)
    let seed = 0;
    let split = splitRatings(log, { name: 'agent4rec', seed, users: null, minLiked: 0, likedAbove: 3 });
    while (split.train.some((x) => x.user === '1' && x.item === '30')) {
      seed++;
      split = splitRatings(log, { name: 'agent4rec', seed, users: null, minLiked: 0, likedAbove: 3 });
    }
    expect([...split.valid, ...split.test].some((x) => x.item === '30')).toBe(false);
    // 31 items in all: user 1's never-rated items are 31 only; item 30 must not be a negative
    const d = handDataset(split, { nItems: 31 });
    const us = task.buildUnits(d, { ...opts, ratios: [1] }, new Rng(1)) ?? [];
    const u1 = us.find((u) => u.user === '1');
    expect(u1).toBeDefined();
    expect(u1?.items).not.toContain('30');
    expect(u1?.items).toContain('31');
  });
});

describe('preference-discrimination run (answers matched by id)', () => {
  const items = ['a', 'b', 'c', 'd'].map(item);
  const sim = (answer: Judgement[]): Simulator => ({ discriminate: async () => answer });

  it('matches answers to items by id, not by order', async () => {
    const ans = await task.run(
      sim([
        { item: 'd', like: false },
        { item: 'b', like: true },
        { item: 'a', like: true },
        { item: 'c', like: false },
      ]),
      userView('1'),
      items,
      unitContext(),
    );
    expect(ans).toEqual({ a: true, b: true, c: false, d: false });
  });

  it('an answer missing an item is a UnitError of kind "answer"', async () => {
    const p = task.run(
      sim([
        { item: 'a', like: true },
        { item: 'b', like: true },
        { item: 'c', like: false },
      ]),
      userView('1'),
      items,
      unitContext(),
    );
    await expect(p).rejects.toBeInstanceOf(UnitError);
    await expect(p).rejects.toMatchObject({ kind: 'answer', message: expect.stringContaining('d') });
  });

  it('an answer naming an unknown item is a UnitError of kind "answer"', async () => {
    const p = task.run(
      sim([...['a', 'b', 'c', 'd'].map((i) => ({ item: i, like: true })), { item: 'zzz', like: true }]),
      userView('1'),
      items,
      unitContext(),
    );
    await expect(p).rejects.toMatchObject({
      name: 'UnitError',
      kind: 'answer',
      message: expect.stringContaining('zzz'),
    });
  });

  it('a simulator without discriminate is a UnitError of kind "method"', async () => {
    await expect(task.run({}, userView('1'), items, unitContext())).rejects.toMatchObject({ kind: 'method' });
  });
});

describe('preference-discrimination scoring', () => {
  // 6 items, positives a, b: like a, c; dislike b, d, e, f.
  // gold  = [T, T, F, F, F, F]; pred = [T, F, T, F, F, F]
  // TP 1 (a), FN 1 (b), FP 1 (c), TN 3 → accuracy 4/6, precision 1/2, recall 1/2, F1 = 2/(2+1+1) = 1/2
  const unitA = {
    key: 'u|1:2',
    user: 'u',
    items: ['a', 'b', 'c', 'd', 'e', 'f'],
    gold: { ratio: 2, positives: ['a', 'b'] },
  };
  const answerA = { a: true, b: false, c: true, d: false, e: false, f: false };
  // 4 items, positive x; the simulator likes nothing: accuracy 3/4, precision 0 (no predicted positives), F1 0
  const unitB = { key: 'v|1:2', user: 'v', items: ['w', 'x', 'y', 'z'], gold: { ratio: 2, positives: ['x'] } };
  const answerB = { w: false, x: false, y: false, z: false };

  it('scores a hand-made answer', () => {
    const s = task.score(unitA, answerA);
    expect(s['accuracy']).toBeCloseTo(4 / 6, 15);
    expect([s['precision'], s['recall'], s['f1']]).toEqual([0.5, 0.5, 0.5]);
    expect([s['tp'], s['fp'], s['fn'], s['n']]).toEqual([1, 1, 1, 6]);
  });

  it('a user with no predicted positives has precision and F1 NaN, as Agent4Rec (numpy 0/0)', () => {
    const s = task.score(unitB, answerB);
    expect(s['accuracy']).toBe(0.75);
    expect([s['precision'], s['recall'], s['f1']]).toEqual([Number.NaN, 0, Number.NaN]);
    expect([s['tp'], s['fp'], s['fn']]).toEqual([0, 0, 1]);
  });

  it('reads F1 from the counts, so a prediction-file round trip (NaN → null) changes nothing', () => {
    const scores = JSON.parse(JSON.stringify(task.score(unitB, answerB))) as Record<string, number>;
    expect(scores['f1']).toBeNull();
    const out = task.aggregate([{ id: 'B', unit: unitB, answer: answerB, scores }], { ...opts, ratios: [2] });
    expect(out['f1@1:2']?.value).toBeNaN();
    expect(out['f1@1:2']?.n).toBe(0);
    expect(out['f1@1:2']?.extra?.['undefinedUnits']).toBe(1);
  });

  it('aggregates per-user means and pooled micro values', () => {
    const done = [
      { id: 'A', unit: unitA, answer: answerA, scores: task.score(unitA, answerA) },
      { id: 'B', unit: unitB, answer: answerB, scores: task.score(unitB, answerB) },
    ];
    const out = task.aggregate(done, { ...opts, ratios: [2] });
    const acc = out['accuracy@1:2'];
    const f1 = out['f1@1:2'];
    // mean accuracy (4/6 + 3/4)/2 = 17/24; micro accuracy (4+3)/10 = 0.7
    expect(acc?.value).toBeCloseTo(17 / 24, 15);
    expect(acc?.extra?.['micro']).toBeCloseTo(0.7, 15);
    expect(acc?.unitIds).toEqual(['A', 'B']);
    expect(acc?.n).toBe(2);
    // B predicts no positive: its F1 is undefined, left out of the mean and counted (before: 0, mean 0.25).
    // Pooled TP 1, FP 1, FN 2 → F1 2/(2+1+2) = 0.4, P 0.5, R 1/3
    expect(f1?.value).toBe(0.5);
    expect(f1?.n).toBe(1);
    expect(f1?.extra?.['undefinedUnits']).toBe(1);
    expect(f1?.unitScores).toEqual([0.5, Number.NaN]);
    expect(f1?.extra?.['micro']).toBeCloseTo(0.4, 15);
    expect(f1?.extra?.['microPrecision']).toBe(0.5);
    expect(f1?.extra?.['microRecall']).toBeCloseTo(1 / 3, 15);
  });
});

describe('preference-discrimination negatives', () => {
  it('are distinct never-interacted items, drawn from all of them, by rejection or (dense users) from the list', () => {
    // User 1 has seen 22 of 100 items (rejection); user 2 has seen 40 of 44 (the candidate list).
    const dense = handDataset(
      {
        train: [...rows('1', range(1, 10)), ...rows('2', range(1, 36))],
        valid: [...rows('1', range(11, 16)), ...rows('2', range(37, 38))],
        test: [...rows('1', range(17, 22)), ...rows('2', range(39, 40))],
      },
      { nItems: 44 },
    );
    const sparse = ds;
    for (const [data, user, seen, n] of [
      [sparse, '1', range(1, 22), 100],
      [dense, '2', range(1, 40), 44],
    ] as const) {
      const drawn = new Map<string, number>();
      for (let s = 0; s < 300; s++) {
        for (const u of task.buildUnits(data, { ...opts, ratios: [1, 3], itemsPerUser: 8 }, new Rng(s)) ?? []) {
          if (u.user !== user) continue;
          const negatives = u.items.filter((i) => !u.gold.positives.includes(i));
          expect(new Set(negatives).size).toBe(negatives.length);
          // Always m × positives: with fewer candidates the unit takes fewer positives.
          const free = n - seen.length;
          expect(u.gold.positives.length).toBe(
            Math.min(user === '1' ? 12 : 4, Math.floor(8 / (u.gold.ratio + 1)), Math.floor(free / u.gold.ratio)),
          );
          expect(negatives.length).toBe(u.gold.ratio * u.gold.positives.length);
          for (const i of negatives) drawn.set(i, (drawn.get(i) ?? 0) + 1);
        }
      }
      const candidates = range(1, n)
        .filter((i) => !(seen as readonly number[]).includes(i))
        .map(String);
      expect([...drawn.keys()].sort()).toEqual(candidates.sort());
    }
  });
});

describe('preference-discrimination distractors (negativesFrom)', () => {
  // 100 items; only items 1–10, 30–34, 40–45, 60–63 occur in train (25 items).
  const trainItems = new Set(ds.split.train.map((x) => x.item));
  const negativesOf = (u: { items: readonly string[]; gold: { positives: readonly string[] } }) => {
    const pos = new Set(u.gold.positives);
    return u.items.filter((i) => !pos.has(i));
  };

  it('defaults to train-items: every distractor occurs in the training split, never one the user saw', () => {
    expect(task.options.properties.negativesFrom.default).toBe('train-items');
    const units = task.buildUnits(ds, { ...opts, negativesFrom: 'train-items' }, new Rng(3)) ?? [];
    expect(units.length).toBeGreaterThan(0);
    for (const u of units) {
      const neg = negativesOf(u);
      expect(neg.length).toBe(u.gold.ratio * u.gold.positives.length);
      for (const n of neg) expect(trainItems.has(n)).toBe(true);
      for (const n of neg) expect(interacted[u.user]?.map(String)).not.toContain(n);
    }
  });

  it('all-items draws from the whole catalogue (items nobody trained on appear)', () => {
    const units = task.buildUnits(ds, opts, new Rng(3)) ?? [];
    expect(units.flatMap(negativesOf).some((n) => !trainItems.has(n))).toBe(true);
  });

  it('a short pool keeps the ratio exact by taking fewer positives, and drops a ratio it cannot fill', () => {
    // User 1 has interacted with 1–22: 15 train items are left (30–34, 40–45, 60–63).
    // 1:1 → min(12, 10, 15) = 10; 1:3 → min(12, 5, 5) = 5; 1:9 → min(12, 2, 1) = 1.
    // User 2 (30–37) leaves 20 train items: 1:9 → min(3, 2, 2) = 2.
    const units = task.buildUnits(ds, { ...opts, negativesFrom: 'train-items' }, new Rng(3)) ?? [];
    const n = Object.fromEntries(units.map((u) => [u.key, u.gold.positives.length]));
    expect([n['1|1:1'], n['1|1:3'], n['1|1:9'], n['2|1:9']]).toEqual([10, 5, 1, 2]);
    // User 1 knows 1, 2, 3, every train item: nothing is left to draw, so no unit (not one without distractors).
    const tiny = handDataset({ train: [...rows('1', [1, 2]), ...rows('2', [3])], valid: rows('1', [3]), test: [] });
    expect(task.buildUnits(tiny, { ...opts, ratios: [1, 9], negativesFrom: 'train-items' }, new Rng(1))).toEqual([]);
  });

  it('draws the same units whatever the users option cuts off', () => {
    const all = task.buildUnits(ds, { ...opts, negativesFrom: 'train-items' }, new Rng(9)) ?? [];
    const first = task.buildUnits(ds, { ...opts, negativesFrom: 'train-items', users: 1 }, new Rng(9)) ?? [];
    expect(first).toEqual(all.filter((u) => u.user === '1'));
  });
});
