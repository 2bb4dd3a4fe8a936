import { describe, expect, it } from 'vitest';
import synthetic from '../../../plugins/datasets/synthetic-ratings/index.ts';
import { GENRES } from '../../../plugins/datasets/synthetic-ratings/vocabulary.ts';
import type { Interaction, RatingsDataset } from '../../../harness/data/types.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { DataError } from '../../../harness/data/data-error.ts';
import { asRatings } from '../../support/hand-dataset.ts';

type Options = Parameters<typeof synthetic.load>[0];
/** Complete options (the config loader applies defaults, load() does not); small for speed. */
const options = (o: Partial<Options> = {}): Options => ({
  users: 60,
  items: 150,
  genres: 8,
  minRatings: 12,
  maxRatings: 30,
  noise: 0.6,
  dataSeed: 5,
  split: 'random',
  splitSeed: 101,
  minLiked: 10,
  likedAbove: 3,
  ...o,
});
const ctx = (seed = 1) => ({ seed, rng: new Rng(seed), configDir: '/', log: { info() {}, warn() {} } });
const load = async (o: Partial<Options> = {}, seed = 1) => asRatings(await synthetic.load(options(o), ctx(seed)));
const everything = (d: RatingsDataset): Interaction[] => [...d.split.train, ...d.split.valid, ...d.split.test];

describe('synthetic-ratings', () => {
  it('the same options give identical output', async () => {
    const a = await load();
    const b = await load();
    expect(b).toEqual(a);
    expect(b.checksums).toEqual(a.checksums);
  });

  it('another dataSeed gives another world', async () => {
    const a = await load({ dataSeed: 5 });
    const b = await load({ dataSeed: 6 });
    expect(b.items.map((i) => i.title)).not.toEqual(a.items.map((i) => i.title));
    expect(everything(b).map((x) => `${x.user}|${x.item}|${x.rating}`)).not.toEqual(
      everything(a).map((x) => `${x.user}|${x.item}|${x.rating}`),
    );
    expect(b.checksums['generated']).not.toBe(a.checksums['generated']);
  });

  it('dataSeed null uses the run seed', async () => {
    const fromRun = await load({ dataSeed: null }, 5);
    const explicit = await load({ dataSeed: 5 }, 99);
    expect(fromRun.items).toEqual(explicit.items);
    expect(fromRun.split).toEqual(explicit.split);
    const otherRun = await load({ dataSeed: null }, 6);
    expect(otherRun.items).not.toEqual(fromRun.items);
  });

  it('ratings are integers 1–5 on a 1–5 scale', async () => {
    const d = await load();
    expect(d.scale).toEqual({ min: 1, max: 5, step: 1 });
    const ratings = everything(d).map((x) => x.rating);
    expect(ratings.length).toBeGreaterThan(0);
    expect(ratings.filter((r) => !(Number.isInteger(r) && (r as number) >= 1 && (r as number) <= 5))).toEqual([]);
    // not degenerate: several star values occur
    expect(new Set(ratings).size).toBeGreaterThanOrEqual(3);
  });

  it('every user has between minRatings and maxRatings interactions, each item at most once', async () => {
    const o = { minRatings: 12, maxRatings: 30 };
    const d = await load(o);
    expect(d.users.length).toBe(60);
    const per = new Map<string, Set<string>>();
    const rows = everything(d);
    for (const x of rows) {
      const s = per.get(x.user) ?? new Set<string>();
      s.add(x.item);
      per.set(x.user, s);
    }
    expect(per.size).toBe(60); // the random split keeps every user
    let total = 0;
    for (const s of per.values()) {
      expect(s.size).toBeGreaterThanOrEqual(o.minRatings);
      expect(s.size).toBeLessThanOrEqual(o.maxRatings);
      total += s.size;
    }
    expect(total).toBe(rows.length); // no (user, item) twice
  });

  it('items have non-empty titles, 1–3 genres from the genres in play, and a description', async () => {
    const d = await load({ genres: 8 });
    const inPlay = new Set<string>(GENRES.slice(0, 8));
    expect(d.items.length).toBe(150);
    expect(d.items.map((i) => i.id)).toEqual(Array.from({ length: 150 }, (_, k) => String(k + 1)));
    for (const i of d.items) {
      expect(i.title.trim().length).toBeGreaterThan(0);
      expect(i.genres.length).toBeGreaterThanOrEqual(1);
      expect(i.genres.length).toBeLessThanOrEqual(3);
      expect(new Set(i.genres).size).toBe(i.genres.length);
      for (const g of i.genres) expect(inPlay.has(g)).toBe(true);
      expect(i.description ?? '').not.toBe('');
    }
    expect(new Set(d.items.map((i) => i.title)).size).toBe(150);
  });

  it('timestamps increase within each user', async () => {
    const d = await load();
    const last = new Map<string, number>();
    const rows = everything(d)
      .slice()
      .sort((a, b) => Number(a.user) - Number(b.user) || a.timestamp - b.timestamp);
    for (const x of rows) {
      expect(x.timestamp).toBeGreaterThan(last.get(x.user) ?? 0);
      last.set(x.user, x.timestamp);
    }
  });

  it('the default agent4rec split keeps only users with ≥ minLiked ratings above likedAbove', async () => {
    const d = await load({ split: 'agent4rec', minLiked: 10 });
    const r = await load({ split: 'random', minLiked: 10 });
    const liked = new Map<string, number>();
    for (const x of everything(r)) if ((x.rating ?? 0) > 3) liked.set(x.user, (liked.get(x.user) ?? 0) + 1);
    const kept = new Set(everything(d).map((x) => x.user));
    const eligible = [...liked].filter(([, n]) => n >= 10).map(([u]) => u);
    expect([...kept].sort()).toEqual(eligible.sort());
  });

  it('maxRatings below minRatings is refused with a DataError naming both options and the fix', async () => {
    await expect(load({ minRatings: 20, maxRatings: 10 })).rejects.toThrow(/maxRatings/);
    const e = await load({ minRatings: 20, maxRatings: 10 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toBe(
      'synthetic-ratings options: maxRatings (10) is below minRatings (20). Fix: raise maxRatings to at least 20, or lower minRatings',
    );
  });

  it('records which generator made the data, in its checksums and in the generated hash', async () => {
    const d = await load();
    expect(d.checksums['generator']).toBe('synthetic-ratings 2');
    expect((synthetic.choices ?? []).some((c) => c.includes('generator 2'))).toBe(true);
  });

  it('a user asked for more ratings than there are items rates every item once', async () => {
    const d = await load({ items: 10, minRatings: 12, maxRatings: 15, users: 5 });
    const per = new Map<string, string[]>();
    for (const x of everything(d)) per.set(x.user, [...(per.get(x.user) ?? []), x.item]);
    for (const items of per.values())
      expect(items.sort((a, b) => Number(a) - Number(b))).toEqual(d.items.map((i) => i.id));
  });

  it('popular, well-fitting items are rated more often: the weight model still drives the choices', async () => {
    // items users pick more often should also be rated higher on average (both grow with quality and fit)
    const d = await load({ users: 200, items: 100 });
    const count = new Map<string, number>();
    const sum = new Map<string, number>();
    for (const x of everything(d)) {
      count.set(x.item, (count.get(x.item) ?? 0) + 1);
      sum.set(x.item, (sum.get(x.item) ?? 0) + (x.rating as number));
    }
    const ids = [...count.keys()].sort((a, b) => (count.get(b) as number) - (count.get(a) as number));
    const mean = (xs: string[]) =>
      xs.reduce((s, i) => s + (sum.get(i) as number) / (count.get(i) as number), 0) / xs.length;
    expect(mean(ids.slice(0, 20))).toBeGreaterThan(mean(ids.slice(-20)));
    expect(
      (count.get(ids[0] as string) as number) / (count.get(ids[ids.length - 1] as string) as number),
    ).toBeGreaterThan(5);
  });
});
