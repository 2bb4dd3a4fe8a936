import { describe, expect, it } from 'vitest';
import { recommenderEvaluation as task } from '../../../plugins/tasks/recommender-evaluation/index.ts';
import { TASKS } from '../../support/tasks.ts';
import type { BrowseOutcome, BrowsePage, Recommendation, Simulator } from '../../../harness/plugin-api.ts';
import type { FittedRecommender } from '../../../harness/api/task.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { handDataset, item, range, rows, unitContext, userView } from '../../support/hand-dataset.ts';

// Users 1 and 2 trained on items 1–5; user 1 holds out 6 and 7, user 2 holds out 8.
const ds = handDataset(
  {
    train: [...rows('1', range(1, 5)), ...rows('2', range(1, 5))],
    valid: [...rows('1', [6], 5)],
    test: [...rows('1', [7], 4), ...rows('2', [8], 2)],
  },
  { nItems: 30 },
);

/** Ranks items by a fixed list, skipping the excluded ones. */
const fixed = (order: number[]): Recommendation => ({
  recommend: (_u, k, exclude) =>
    order
      .map(String)
      .filter((i) => !exclude.has(i))
      .slice(0, k),
});
// "good" puts the held-out items first; "bad" never shows them in the top 10.
const good: FittedRecommender = { id: 'good', recommendation: fixed([1, 6, 7, 8, ...range(9, 30)]) };
const bad: FittedRecommender = { id: 'bad', recommendation: fixed([...range(9, 30), 6, 7, 8]) };
/** The older count (watched and rated highly, summed over the visit); the likedCount tests cover agent4rec's. */
const opts = {
  recommenders: ['good', 'bad'],
  pageSize: 2,
  maxPages: 3,
  users: null,
  k: 10,
  likeThreshold: null,
  likedCount: 'rated' as 'rated' | 'agent4rec',
};

const units = task.buildUnits(ds, opts, new Rng(1), { recommenders: [good, bad] }) ?? [];

/** A simulator that watches the first item of each page with `rating`, and leaves after page `leaveAfter`. */
const browser = (rating: number, leaveAfter: number, satisfaction?: number): Simulator => ({
  async browse(_u, pages): Promise<BrowseOutcome> {
    const out = pages
      .slice(0, leaveAfter)
      .map((p, k) => ({ watched: [{ item: p.items[0]?.id as string, rating }], exit: k === leaveAfter - 1 }));
    return satisfaction === undefined ? { pages: out } : { pages: out, satisfaction };
  },
});

async function runAll(sim: (unitKey: string) => Simulator) {
  return Promise.all(
    units.map(async (unit, k) => {
      const answer = await task.run(sim(unit.key), userView(unit.user), unit.items.map(item), unitContext(), unit);
      return { id: `id${k}`, unit, answer, scores: task.score(unit, answer) };
    }),
  );
}

describe('recommender-evaluation units', () => {
  it('is registered, needs recommenders, one unit per (user, recommender) with the training items left out', () => {
    expect(TASKS['recommender-evaluation']).toBe(task as unknown);
    expect(task.needs.refs).toEqual([{ option: 'recommenders', list: 'recommenders', many: true }]);
    expect(units.map((u) => u.key)).toEqual(['1|good', '2|good', '1|bad', '2|bad']);
    // pageSize × maxPages = 6 items, none of the user's training items 1–5.
    expect(units[0]?.items).toEqual(['6', '7', '8', '9', '10', '11']);
    expect(units[2]?.items).toEqual(['9', '10', '11', '12', '13', '14']);
    // Offline NDCG@10 on held-out items: "good" ranks user 1's (6, 7) at 1–2 and user 2's (8) at 3 → (1 + 0.5) / 2.
    expect(units[0]?.gold).toEqual({
      recommender: 'good',
      ndcg: (1 + 1 / Math.log2(4)) / 2,
      likeThreshold: 4,
      likedCount: 'rated',
      pageSize: 2,
    });
    expect(units[2]?.gold.ndcg).toBe(0);
    expect(task.buildUnits(ds, opts, new Rng(1), { recommenders: [] })).toBeNull();
    expect(
      task.buildUnits(ds, { ...opts, users: 1 }, new Rng(1), { recommenders: [good, bad] })?.map((u) => u.key),
    ).toEqual(['1|good', '1|bad']);
  });
});

describe('recommender-evaluation run', () => {
  it('shows the pages in order, page size from the unit, without gold', async () => {
    let seen: readonly BrowsePage[] = [];
    const sim: Simulator = {
      async browse(_u, pages) {
        seen = pages;
        return { pages: [{ watched: [], exit: true }] };
      },
    };
    const unit = units[0]!;
    await task.run(sim, userView('1'), unit.items.map(item), unitContext(), unit);
    expect(seen.map((p) => [p.number, p.items.map((i) => i.id)])).toEqual([
      [1, ['6', '7']],
      [2, ['8', '9']],
      [3, ['10', '11']],
    ]);
  });

  it('rejects an outcome the scorer cannot read, naming what is wrong', async () => {
    const unit = units[0]!;
    const run = (o: BrowseOutcome) =>
      task.run({ browse: async () => o }, userView('1'), unit.items.map(item), unitContext(), unit);
    await expect(run({ pages: [] })).rejects.toMatchObject({
      kind: 'answer',
      message: expect.stringMatching(/no pages/),
    });
    await expect(run({ pages: [{ watched: [{ item: '8', rating: 4 }], exit: true }] })).rejects.toMatchObject({
      message: expect.stringMatching(/page 1: watched item "8" was not on that page/),
    });
    await expect(run({ pages: [{ watched: [], liked: ['9'], exit: true }] })).rejects.toMatchObject({
      message: expect.stringMatching(/page 1: liked item "9" was not on that page/),
    });
    await expect(run({ pages: [{ watched: [{ item: '6', rating: 9 }], exit: true }] })).rejects.toMatchObject({
      message: expect.stringMatching(/outside the scale 1–5/),
    });
    await expect(
      run({
        pages: [
          { watched: [], exit: true },
          { watched: [], exit: true },
        ],
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/left after page 1 but the visit goes on/) });
    await expect(run({ pages: [{ watched: [], exit: true }], satisfaction: 11 })).rejects.toMatchObject({
      message: expect.stringMatching(/satisfaction 11/),
    });
    await expect(run({ pages: [1, 2, 3, 4].map(() => ({ watched: [], exit: false })) })).rejects.toMatchObject({
      message: expect.stringMatching(/4 pages but only 3/),
    });
    await expect(task.run({}, userView('1'), unit.items.map(item), unitContext(), unit)).rejects.toMatchObject({
      kind: 'method',
    });
  });
});

describe('recommender-evaluation scores', () => {
  it('counts liked, rating, pages and satisfaction per recommender; τ against offline NDCG', async () => {
    // On "good" users like what they watch (5 stars) and stay 3 pages; on "bad" they rate 2 and leave after page 1.
    const done = await runAll((key) => (key.endsWith('good') ? browser(5, 3, 8) : browser(2, 1, 3)));
    expect(done[0]?.scores).toMatchObject({ pages: 3, watched: 3, liked: 3, rated: 3, meanRating: 5, satisfaction: 8 });
    expect(done[2]?.scores).toMatchObject({ pages: 1, watched: 1, liked: 0, meanRating: 2 });
    const m = task.aggregate(done, opts);
    expect(m['liked@good']?.value).toBe(3);
    expect(m['liked@bad']?.value).toBe(0);
    expect(m['pages@good']?.value).toBe(3);
    expect(m['satisfaction@bad']?.value).toBe(3);
    expect(m['rating@good']).toMatchObject({ value: 5, unitWeights: [3, 3] });
    expect(m['liked@good']?.unitIds).toEqual(['id0', 'id1']);
    // Liked ranks good > bad, as NDCG does: τ = 1. Reversed behaviour gives −1.
    expect(m['tau']?.value).toBe(1);
    expect(m['tau']?.extra).toEqual({ 'ndcg@good': units[0]?.gold.ndcg, 'ndcg@bad': 0 });
    const reversed = task.aggregate(
      await runAll((key) => (key.endsWith('good') ? browser(2, 1) : browser(5, 3))),
      opts,
    );
    expect(reversed['tau']?.value).toBe(-1);
    expect(reversed['satisfaction@good']?.value).toBeNaN();
  });

  it("keeps each recommender's NDCG under its own id, and gives no τ when a recommender has no scored unit", async () => {
    const done = await runAll((key) => (key.endsWith('good') ? browser(5, 3) : browser(2, 1)));
    const onlyBad = done.filter((d) => d.unit.gold.recommender === 'bad');
    const m = task.aggregate(onlyBad, opts);
    expect(m['tau']?.value).toBeNaN();
    expect(m['tau']?.extra?.['ndcg@bad']).toBe(0);
    expect(m['tau']?.extra?.['ndcg@good']).toBeNaN();
  });

  it('the metric columns follow the recommenders option', () => {
    expect(task.metrics(opts).map((x) => x.key)).toEqual([
      'liked@good',
      'rating@good',
      'pages@good',
      'satisfaction@good',
      'liked@bad',
      'rating@bad',
      'pages@bad',
      'satisfaction@bad',
      'tau',
    ]);
  });
});

describe('recommender-evaluation likedCount', () => {
  it('defaults to agent4rec: per user, the mean over pages of the items judged to fit the taste (arena.py:321-325,500-503)', async () => {
    expect(task.options.properties.likedCount.default).toBe('agent4rec');
    const a4r =
      task.buildUnits(ds, { ...opts, likedCount: 'agent4rec' }, new Rng(1), { recommenders: [good, bad] }) ?? [];
    const unit = a4r[0]!;
    expect(unit.gold.likedCount).toBe('agent4rec');
    // page 1: both items fit, one watched; page 2: none fit; page 3: one fits → (2 + 0 + 1) / 3 = 1
    const outcome: BrowseOutcome = {
      pages: [
        { watched: [{ item: '6', rating: 2 }], liked: ['6', '7'], exit: false },
        { watched: [], liked: [], exit: false },
        { watched: [], liked: ['11'], exit: true },
      ],
    };
    const answer = await task.run(
      { browse: async () => outcome },
      userView('1'),
      unit.items.map(item),
      unitContext(),
      unit,
    );
    expect(task.score(unit, answer)['liked']).toBe(1);
    // the older count on the same visit: watched and rated ≥ 4 over the visit = 0
    expect(task.score({ ...unit, gold: { ...unit.gold, likedCount: 'rated' } }, answer)['liked']).toBe(0);
    // a method without the judgement: the watched items rated ≥ 4, per page, averaged: (1 + 0) / 2
    const plain: BrowseOutcome = {
      pages: [
        { watched: [{ item: '6', rating: 5 }], exit: false },
        { watched: [{ item: '8', rating: 3 }], exit: true },
      ],
    };
    expect(task.score(unit, plain)['liked']).toBe(0.5);
  });
});
