import { describe, expect, it } from 'vitest';
import ease, { easeWeights } from '../../../plugins/recommenders/ease/index.ts';
import { implicitMatrix } from '../../../plugins/recommenders/shared/implicit-matrix.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';
import { fitRecommender, fixtureTrain, trainOf, twoClusters } from '../../support/recommenders.ts';
import type { TrainData } from '../../../harness/plugin-api.ts';

const own = (train: TrainData, u: string) => new Set(train.interactions.filter((x) => x.user === u).map((x) => x.item));

describe('ease', () => {
  it('B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, as numpy computes it, for three λ', () => {
    const m = implicitMatrix(fixtureTrain(), null);
    for (const f of rankingFixtures.ease) {
      const { items, b } = easeWeights(m, f.l2, 20000);
      const n = items.length;
      expect(n).toBe(f.b.length);
      f.b.forEach((row, i) =>
        row.forEach((v, j) => expect(b[i * n + j], `λ ${f.l2}, B[${i}][${j}]`).toBeCloseTo(v, 10)),
      );
    }
  });

  it('recommends the top 3 unseen items of the numpy scores X·B', async () => {
    const train = fixtureTrain();
    for (const f of rankingFixtures.ease) {
      const rec = await fitRecommender(ease, train, { l2: f.l2 });
      f.top3.forEach((expected, u) => {
        const user = `u${u + 1}`;
        expect(rec.recommend(user, 3, own(train, user)), `${user}, λ ${f.l2}`).toEqual(
          expected.map((j) => String(j + 1)),
        );
      });
    }
  });

  it("two disjoint clusters: ranks the unseen item of the user's own cluster first (pop would not)", async () => {
    const { train, aUsers, bUsers } = twoClusters();
    for (const l2 of [1, 500]) {
      const rec = await fitRecommender(ease, train, { l2 });
      for (const u of [...aUsers, ...bUsers]) {
        const top = rec.recommend(u, 1, own(train, u))[0] as string;
        expect(Number(top) <= 5 ? 'a' : 'b', `${u}, λ ${l2}`).toBe(u[0]);
      }
    }
  });

  it('ranks items without training interactions after every other item, even those scored below 0', async () => {
    // item 4 co-occurs only with 1 and 3, which co-occur with 2: its weight from 2 is negative (B[2][4] ≈ −0.145
    // at λ = 0.5); items 5 and 6 are never seen and come after it
    const train = trainOf(
      [
        ['x', 1],
        ['x', 2],
        ['y', 2],
        ['y', 3],
        ['z', 1],
        ['z', 3],
        ['w', 1],
        ['w', 4],
        ['v', 3],
        ['v', 4],
        ['me', 2],
      ],
      6,
    );
    const { local, b } = easeWeights(implicitMatrix(train, null), 0.5, 100);
    expect(b[local[1]! * 4 + local[3]!]).toBeLessThan(0);
    const rec = await fitRecommender(ease, train, { l2: 0.5 });
    const ranking = rec.recommend('me', 10, new Set(['2']));
    // 1 and 3 are symmetric (equal scores up to rounding), then 4 (negative), then the unseen items by id
    expect(ranking.slice(2)).toEqual(['4', '5', '6']);
    expect(ranking.slice(0, 2).sort()).toEqual(['1', '3']);
  });

  it('refuses a catalogue larger than maxItems with an error naming the option', async () => {
    const { train } = twoClusters();
    await expect(fitRecommender(ease, train, { maxItems: 9 })).rejects.toThrow(
      /ease: 10 items have training interactions, more than maxItems \(9\)/,
    );
    await expect(fitRecommender(ease, train, { maxItems: 10 })).resolves.toBeDefined();
  });
});
