import { describe, expect, it } from 'vitest';
import {
  AliasTable,
  drawCumulative,
  GenreSetSampler,
} from '../../../../plugins/datasets/synthetic-ratings/weighted-draws.ts';
import { Rng } from '../../../../harness/util/rng.ts';

const frequencies = (draws: number, size: number, draw: () => number): number[] => {
  const f = new Array<number>(size).fill(0);
  for (let t = 0; t < draws; t++) f[draw()]! += 1 / draws;
  return f;
};

describe('AliasTable', () => {
  it('draws each index with probability weight / total, never a zero weight', () => {
    const w = [1, 2, 3, 0, 4, 0.5];
    const total = w.reduce((a, b) => a + b, 0);
    const table = new AliasTable(w);
    expect(table.total).toBe(total);
    const rng = new Rng(1);
    const f = frequencies(200_000, w.length, () => table.draw(rng));
    f.forEach((p, k) => expect(Math.abs(p - (w[k] as number) / total), `index ${k}`).toBeLessThan(0.005));
    expect(f[3]).toBe(0);
  });

  it('refuses no weights, or weights that sum to zero', () => {
    expect(() => new AliasTable([])).toThrow(/no weights/);
    expect(() => new AliasTable([0, 0])).toThrow(/sum to 0/);
  });
});

describe('drawCumulative', () => {
  it('draws index k with probability cum[k] − cum[k − 1], among the first `count`', () => {
    const cum = Float64Array.from([1, 1, 4, 6, 100]);
    const rng = new Rng(2);
    const f = frequencies(100_000, 5, () => drawCumulative(cum, 4, rng));
    expect(f[1]).toBe(0);
    expect(f[4]).toBe(0);
    [1 / 6, 0, 3 / 6, 2 / 6].forEach((p, k) => expect(Math.abs((f[k] as number) - p)).toBeLessThan(0.005));
  });
});

describe('GenreSetSampler', () => {
  // six items in four genre sets; the user weight is base_i·exp(mean taste over the item's genres)
  const itemGenres = [[0], [0], [1], [0, 1], [1], [2]];
  const base = [1, 2, 1, 3, 0.5, 2];
  const taste = [0.5, -1, 0.2];
  const weight = itemGenres.map(
    (gs, i) => (base[i] as number) * Math.exp(gs.reduce((s, g) => s + (taste[g] as number), 0) / gs.length),
  );
  const W = weight.reduce((a, b) => a + b, 0);

  it('draws the first two items as successive sampling without replacement does', () => {
    const sampler = new GenreSetSampler(itemGenres, base);
    expect(sampler.sets).toHaveLength(4);
    const rng = new Rng(3);
    const runs = 120_000;
    const pairs = new Map<string, number>();
    for (let t = 0; t < runs; t++) {
      const [a, b] = sampler.draw(rng, taste, 2) as [number, number];
      expect(a).not.toBe(b);
      pairs.set(`${a},${b}`, (pairs.get(`${a},${b}`) ?? 0) + 1 / runs);
    }
    let worst = 0;
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        if (i === j) continue;
        const exact = ((weight[i] as number) / W) * ((weight[j] as number) / (W - (weight[i] as number)));
        worst = Math.max(worst, Math.abs((pairs.get(`${i},${j}`) ?? 0) - exact));
      }
    expect(worst).toBeLessThan(0.004);
  });

  it('asked for the whole catalogue, returns every item once, even when one item holds nearly all the weight', () => {
    const sampler = new GenreSetSampler(itemGenres, [1e9, 1, 1, 1, 1, 1e-9]);
    const rng = new Rng(4);
    for (let t = 0; t < 50; t++) {
      const got = sampler.draw(rng, taste, 6);
      expect([...got].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(got[0]).toBe(0);
    }
  });

  it('is deterministic for a seed, and records the last user’s mean taste per set', () => {
    const a = new GenreSetSampler(itemGenres, base).draw(new Rng(5), taste, 4);
    const s = new GenreSetSampler(itemGenres, base);
    expect(s.draw(new Rng(5), taste, 4)).toEqual(a);
    expect(s.setMean[s.itemSet[3] as number]).toBeCloseTo((0.5 - 1) / 2, 12);
  });
});
