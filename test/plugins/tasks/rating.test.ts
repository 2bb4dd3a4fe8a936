import { describe, expect, it } from 'vitest';
import { rating as task } from '../../../plugins/tasks/rating/index.ts';
import { TASKS } from '../../support/tasks.ts';
import { UnitError } from '../../../harness/llm/errors.ts';
import type { RatingPrediction, Simulator } from '../../../harness/plugin-api.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { handDataset, item, range, rows, unitContext, userView } from '../../support/hand-dataset.ts';

const ds = handDataset({
  train: [...rows('1', range(1, 5)), ...rows('2', range(1, 5)), ...rows('3', range(1, 5))],
  valid: [...rows('1', [6, 7], 5), ...rows('2', range(10, 24), 2)],
  test: [...rows('1', [8], 1), ...rows('2', range(25, 34), 3)],
});
const opts = { maxItemsPerUser: 20, users: null };

describe('rating units', () => {
  it('is registered as a standard task', () => {
    expect(TASKS['rating']).toBe(task as unknown);
  });

  it('is n/a (null) for a dataset without a rating scale', () => {
    const implicit = handDataset(
      { train: rows('1', [1, 2], null), valid: [], test: rows('1', [3], null) },
      { scale: null },
    );
    expect(task.buildUnits(implicit, opts, new Rng(1))).toBeNull();
  });

  it('one unit per user with held-out ratings, the gold being the held-out ratings', () => {
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    expect(units.map((u) => u.key)).toEqual(['1', '2']);
    const u1 = units[0];
    expect(u1?.items).toEqual(['6', '7', '8']);
    expect(u1?.gold.ratings).toEqual({ '6': 5, '7': 5, '8': 1 });
  });

  it('samples at most maxItemsPerUser held-out items (20 by default), all of them with null', () => {
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    const u2 = units[1];
    expect(u2?.items.length).toBe(20); // 25 held out
    const held = new Set(range(10, 34).map(String));
    for (const i of u2?.items ?? []) expect(held.has(i)).toBe(true);
    expect(new Set(u2?.items).size).toBe(20);
    const all = task.buildUnits(ds, { maxItemsPerUser: null, users: null }, new Rng(1)) ?? [];
    expect(all[1]?.items.length).toBe(25);
    expect(task.buildUnits(ds, opts, new Rng(1))).toEqual(units);
  });

  it('skips held-out interactions without a rating', () => {
    const d = handDataset({
      train: rows('1', [1]),
      valid: rows('1', [2], null),
      test: [...rows('1', [3], 4), ...rows('2', [4], null)],
    });
    const units = task.buildUnits(d, opts, new Rng(1)) ?? [];
    expect(units.map((u) => [u.key, u.items])).toEqual([['1', ['3']]]);
  });
});

describe('rating run', () => {
  const items = ['a', 'b'].map(item);
  const sim = (preds: RatingPrediction[]): Simulator => ({ rate: async () => preds });

  it('returns the predicted ratings by item id', async () => {
    expect(
      await task.run(
        sim([
          { item: 'b', rating: 2 },
          { item: 'a', rating: 4.5 },
        ]),
        userView('1'),
        items,
        unitContext(),
      ),
    ).toEqual({ a: 4.5, b: 2 });
  });

  it('a missing item, an unknown item or a rating off the scale is a UnitError of kind "answer"', async () => {
    for (const preds of [
      [{ item: 'a', rating: 3 }],
      [
        { item: 'a', rating: 3 },
        { item: 'b', rating: 3 },
        { item: 'q', rating: 3 },
      ],
      [
        { item: 'a', rating: 3 },
        { item: 'b', rating: 6 },
      ],
      [
        { item: 'a', rating: Number.NaN },
        { item: 'b', rating: 3 },
      ],
    ]) {
      const p = task.run(sim(preds), userView('1'), items, unitContext());
      await expect(p).rejects.toBeInstanceOf(UnitError);
      await expect(p).rejects.toMatchObject({ kind: 'answer' });
    }
  });

  it('a simulator without rate is a UnitError of kind "method"', async () => {
    await expect(task.run({}, userView('1'), items, unitContext())).rejects.toMatchObject({ kind: 'method' });
  });
});

describe('rating scoring and aggregate', () => {
  // User A: one item, gold 5, predicted 3 → error 2.
  // User B: three items, gold 4,4,4, predicted 4,4,3 → errors 0,0,1.
  const unitA = { key: 'A', user: 'A', items: ['1'], gold: { ratings: { '1': 5 } } };
  const ansA = { '1': 3 };
  const unitB = { key: 'B', user: 'B', items: ['2', '3', '4'], gold: { ratings: { '2': 4, '3': 4, '4': 4 } } };
  const ansB = { '2': 4, '3': 4, '4': 3 };

  it('scores per-user squared and absolute errors', () => {
    expect(task.score(unitA, ansA)).toEqual({ mse: 4, mae: 2, sse: 4, sae: 2, n: 1 });
    const b = task.score(unitB, ansB);
    expect(b['mse']).toBeCloseTo(1 / 3, 15);
    expect(b['mae']).toBeCloseTo(1 / 3, 15);
    expect([b['sse'], b['sae'], b['n']]).toEqual([1, 1, 3]);
  });

  it('RMSE and MAE are over all pairs, not the mean of per-user values', () => {
    const out = task.aggregate(
      [
        { id: 'A', unit: unitA, answer: ansA, scores: task.score(unitA, ansA) },
        { id: 'B', unit: unitB, answer: ansB, scores: task.score(unitB, ansB) },
      ],
      { maxItemsPerUser: 20, users: null },
    );
    // Pooled: SSE = 4 + 1 = 5 over 4 pairs → RMSE = √1.25 = 1.118033988749895; MAE = (2 + 1)/4 = 0.75.
    expect(out['rmse']?.value).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(out['rmse']?.value).toBeCloseTo(1.118033988749895, 15);
    expect(out['mae']?.value).toBe(0.75);
    // Mean of per-user RMSE = (2 + √(1/3))/2 = 1.2886751345948129; mean per-user MAE = (2 + 1/3)/2 = 1.1666…
    const meanPerUserRmse = (2 + Math.sqrt(1 / 3)) / 2;
    expect(meanPerUserRmse).toBeCloseTo(1.2886751345948129, 15);
    expect(Math.abs((out['rmse']?.value ?? 0) - meanPerUserRmse)).toBeGreaterThan(0.17);
    expect(Math.abs((out['mae']?.value ?? 0) - 7 / 6)).toBeGreaterThan(0.4);
    // the paired units are the per-user MSE and MAE
    expect(out['rmse']?.unitScores[0]).toBe(4);
    expect(out['rmse']?.unitScores[1]).toBeCloseTo(1 / 3, 15);
    expect(out['mae']?.unitScores).toEqual([2, expect.closeTo(1 / 3, 15)]);
    expect(out['rmse']?.extra?.['pairs']).toBe(4);
    expect(out['rmse']?.n).toBe(2);
  });

  it('metrics are RMSE and MAE, lower is better', () => {
    expect(task.metrics(opts).map((m) => `${m.key}:${m.direction}:${m.unitScore}`)).toEqual([
      'rmse:lower:mse',
      'mae:lower:mae',
    ]);
  });
});
