import { describe, expect, it } from 'vitest';
import ease, { easeWeights } from '../../../plugins/recommenders/ease/index.ts';
import { implicitMatrix } from '../../../plugins/recommenders/shared/implicit-matrix.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';
import { fitRecommender, fixtureTrain, recommenderOptions, trainOf, twoClusters } from '../../support/recommenders.ts';
import type { TrainData } from '../../../harness/plugin-api.ts';
import { maxSpdSize } from '../../../plugins/recommenders/shared/spd-inverse.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { readFileSync } from 'node:fs';

/** make_ease_blocks.py's numpy reference: 150 items, more than two 64-item blocks. */
const blocks = JSON.parse(readFileSync(new URL('./fixtures/ease-blocks.json', import.meta.url), 'utf8')) as {
  items: number;
  rows: number[][];
  cases: Array<{ l2: number; entries: Array<[number, number, number]>; top5: number[][] }>;
};
const blocksTrain = () =>
  trainOf(
    blocks.rows.flatMap((items, u) => items.map((j) => [`u${u}`, j + 1] as const)),
    blocks.items,
  );

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

  it('matches numpy to 1e-9 relative on 150 items (blocks, a partial block and padding), with its rankings', async () => {
    const train = blocksTrain();
    const m = implicitMatrix(train, null);
    for (const c of blocks.cases) {
      const { items, b } = easeWeights(m, c.l2, null);
      expect(items.length).toBe(blocks.items);
      const scale = Math.max(...c.entries.map(([, , v]) => Math.abs(v)));
      let worst = 0;
      for (const [i, j, v] of c.entries) worst = Math.max(worst, Math.abs((b[i * blocks.items + j] as number) - v));
      expect(worst / scale, `λ ${c.l2}`).toBeLessThan(1e-9);
      const rec = await fitRecommender(ease, train, { l2: c.l2 });
      c.top5.forEach((expected, u) =>
        expect(rec.recommend(`u${u}`, 5, own(train, `u${u}`)), `u${u}, λ ${c.l2}`).toEqual(
          expected.map((j) => String(j + 1)),
        ),
      );
    }
  });

  it('gives bitwise the same weights on one thread and on two', () => {
    const rng = new Rng(11);
    const pairs: Array<[string, number]> = [];
    for (let u = 0; u < 400; u++)
      for (let j = 1; j <= 600; j++) if (rng.next() < 0.03 + 0.1 / j) pairs.push([`u${u}`, j]);
    const m = implicitMatrix(trainOf(pairs, 600), null);
    const one = easeWeights(m, 50, null, 1);
    const two = easeWeights(m, 50, null, 2);
    expect(one.items.length).toBeGreaterThan(512); // the size from which a worker thread is used
    expect(Buffer.compare(Buffer.from(one.b.slice().buffer), Buffer.from(two.b.slice().buffer))).toBe(0);
  });

  it('has no item cap by default: maxItems is null', () => {
    expect(recommenderOptions(ease)['maxItems']).toBeNull();
  });

  it('refuses, before allocating, a catalogue whose inverse does not fit in WebAssembly memory', () => {
    const n = maxSpdSize() + 4;
    expect(n).toBeGreaterThan(20_000);
    const m = implicitMatrix(
      trainOf(
        Array.from({ length: n }, (_, j) => ['u', j + 1] as const),
        n,
      ),
      null,
    );
    expect(() => easeWeights(m, 500, null)).toThrow(
      /GiB, more than the 4 GiB of WebAssembly memory \(at most \d+ items\)/,
    );
  });

  it('refuses a catalogue larger than maxItems with an error naming the option', async () => {
    const { train } = twoClusters();
    await expect(fitRecommender(ease, train, { maxItems: 9 })).rejects.toThrow(
      /ease: 10 items have training interactions, more than maxItems \(9\)/,
    );
    await expect(fitRecommender(ease, train, { maxItems: 10 })).resolves.toBeDefined();
  });
});
