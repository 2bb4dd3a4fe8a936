import { describe, expect, it } from 'vitest';
import itemknn, { cosineNeighbours } from '../../../plugins/recommenders/itemknn/index.ts';
import pop from '../../../plugins/recommenders/pop/index.ts';
import { implicitMatrix } from '../../../plugins/recommenders/shared/implicit-matrix.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';
import { fitRecommender, fixtureTrain, trainOf, twoClusters } from '../../support/recommenders.ts';

const own = (train: ReturnType<typeof fixtureTrain>, u: string) =>
  new Set(train.interactions.filter((x) => x.user === u).map((x) => x.item));

describe('itemknn', () => {
  it('keeps the cosine neighbours numpy computes (shrink, neighbour limit, ties by id)', () => {
    const m = implicitMatrix(fixtureTrain(), null);
    for (const f of rankingFixtures.itemknn) {
      const nb = cosineNeighbours(m, f.neighbours, f.shrink);
      f.kept.forEach((row, i) => {
        const got = new Array<number>(row.length).fill(0);
        for (let p = nb.start[i] as number; p < (nb.start[i + 1] as number); p++)
          got[nb.item[p] as number] = nb.sim[p] as number;
        got.forEach((v, j) =>
          expect(v, `shrink ${f.shrink}, ${f.neighbours} neighbours, sim(${i}, ${j})`).toBeCloseTo(
            row[j] as number,
            12,
          ),
        );
        expect(nb.start[i + 1]! - nb.start[i]!).toBeLessThanOrEqual(f.neighbours);
      });
    }
  });

  it('recommends the top 3 unseen items numpy scores highest', async () => {
    const train = fixtureTrain();
    for (const f of rankingFixtures.itemknn) {
      const rec = await fitRecommender(itemknn, train, { neighbours: f.neighbours, shrink: f.shrink });
      f.top3.forEach((expected, u) => {
        const user = `u${u + 1}`;
        expect(
          rec.recommend(user, 3, own(train, user)),
          `${user}, shrink ${f.shrink}, ${f.neighbours} neighbours`,
        ).toEqual(expected.map((j) => String(j + 1)));
      });
    }
  });

  it("two disjoint clusters: ranks the unseen item of the user's own cluster first, where pop ranks the other cluster first", async () => {
    const { train, aUsers, bUsers } = twoClusters();
    const knn = await fitRecommender(itemknn, train);
    const popular = await fitRecommender(pop, train);
    const clusterOf = (id: string) => (Number(id) <= 5 ? 'a' : 'b');
    for (const u of [...aUsers, ...bUsers]) {
      const top = knn.recommend(u, 1, own(train, u));
      expect(top.map(clusterOf), u).toEqual([u[0]]);
    }
    // the same question defeats a popularity ranking: the test can fail
    for (const u of aUsers) expect(popular.recommend(u, 1, own(train, u)).map(clusterOf)).toEqual(['b']);
  });

  it("scores by summed similarity: an item similar to two of the user's items beats one similar to one", async () => {
    // counts 1: 3 users, 2: 2, 3: 2, 4: 1. sim(1,3) = sim(1,2) = 1/√6 = 0.408, sim(1,4) = 1/√3 = 0.577, sim(2,3) = 1/2.
    // me = {1, 2}: score(3) = 0.408 + 0.5 = 0.908 > score(4) = 0.577
    const train = trainOf(
      [
        ['x', 1],
        ['x', 3],
        ['y', 2],
        ['y', 3],
        ['z', 1],
        ['z', 4],
        ['me', 1],
        ['me', 2],
      ],
      4,
    );
    const rec = await fitRecommender(itemknn, train);
    expect(rec.recommend('me', 2, new Set(['1', '2']))).toEqual(['3', '4']);
    // one neighbour per item: 1 keeps only 4 (0.577), 2 keeps only 3 (0.5), so 4 now comes first; 1 and 2 score 0 (id order)
    const one = await fitRecommender(itemknn, train, { neighbours: 1 });
    expect(one.recommend('me', 4, new Set())).toEqual(['4', '3', '1', '2']);
    // shrink is added to the denominator: sim(1, 4) = 1/(√3·1 + 10), sim(2, 3) = 1/(√2·√2 + 10)
    const m = implicitMatrix(train, null);
    const shrunk = cosineNeighbours(m, 3, 10);
    const simOf = (i: number, j: number) => {
      for (let p = shrunk.start[i]!; p < shrunk.start[i + 1]!; p++) if (shrunk.item[p] === j) return shrunk.sim[p];
      return 0;
    };
    expect(simOf(0, 3)).toBeCloseTo(1 / (Math.sqrt(3) + 10), 15);
    expect(simOf(1, 2)).toBeCloseTo(1 / (2 + 10), 15);
  });

  it('minRating: only ratings at least minRating count as positives', async () => {
    const base = trainOf(
      [
        ['x', 1],
        ['x', 2],
        ['y', 1],
        ['y', 3],
        ['me', 1],
      ],
      3,
      5,
    );
    const train = { ...base, interactions: base.interactions.map((x) => (x.user === 'y' ? { ...x, rating: 1 } : x)) };
    const all = await fitRecommender(itemknn, train);
    const liked = await fitRecommender(itemknn, train, { minRating: 4 });
    // counting y's low ratings, items 2 and 3 tie (ids break it); without them 3 never co-occurs with 1
    expect(all.recommend('me', 2, new Set(['1']))).toEqual(['2', '3']);
    expect(liked.recommend('me', 1, new Set(['1']))).toEqual(['2']);
    expect(implicitMatrix(train, 4).cols.length).toBe(3);
  });
});
