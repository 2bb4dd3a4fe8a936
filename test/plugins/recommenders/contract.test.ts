import { describe, expect, it } from 'vitest';
import type { RecommenderPlugin } from '../../../harness/plugin-api.ts';
import { createConfigAjv } from '../../../harness/util/ajv.ts';
import { recommenders } from '../../../plugins/recommenders/index.ts';
import { popularityOrder } from '../../../plugins/recommenders/shared/ranking.ts';
import { clusteredWorld, fitRecommender, recommenderOptions } from '../../support/recommenders.ts';

/** What every recommender plugin promises, checked on each one in the registry. */
const names = Object.keys(recommenders).sort();
const load = async (name: string) => (await recommenders[name]!()).default as RecommenderPlugin;
const { train } = clusteredWorld(11, 3, 10);
const users = [...new Set(train.interactions.map((x) => x.user))];
const seen = (u: string) => new Set(train.interactions.filter((x) => x.user === u).map((x) => x.item));
const catalogue = new Set(train.items.map((i) => i.id));

describe('every recommender plugin', () => {
  it('is registered under its own name', async () => {
    expect(names).toEqual(['bpr-mf', 'ease', 'itemknn', 'pop', 'random']);
    for (const n of names) expect((await load(n)).name).toBe(n);
  });

  it.each(names)(
    '%s: options validate under the strict config ajv, defaults fill in, unknown keys are refused',
    async (name) => {
      const p = await load(name);
      const filled = recommenderOptions(p);
      for (const [key, schema] of Object.entries(
        (p.options as unknown as { properties: Record<string, { default?: unknown; description?: string }> })
          .properties,
      )) {
        expect(filled[key], `${name}.${key} default`).toEqual(schema.default);
        expect(schema.description, `${name}.${key} description`).toBeTruthy();
      }
      expect(createConfigAjv().compile(p.options)({ nope: 1 })).toBe(false);
    },
  );

  it.each(names)(
    '%s: honours exclude, lists each item once, and returns fewer than k when fewer candidates remain',
    async (name) => {
      const rec = await fitRecommender(await load(name), train);
      for (const u of users.slice(0, 8)) {
        const exclude = seen(u);
        const all = rec.recommend(u, 10_000, exclude);
        expect(all).toHaveLength(catalogue.size - exclude.size);
        expect(new Set(all).size).toBe(all.length);
        for (const id of all) {
          expect(catalogue.has(id)).toBe(true);
          expect(exclude.has(id)).toBe(false);
        }
        expect(rec.recommend(u, 5, exclude)).toEqual(all.slice(0, 5));
        expect(rec.recommend(u, 0, exclude)).toEqual([]);
      }
    },
  );

  it.each(names)('%s: the same seed gives the same rankings', async (name) => {
    const p = await load(name);
    const [a, b] = [await fitRecommender(p, train, {}, 5), await fitRecommender(p, train, {}, 5)];
    for (const u of users) expect(a.recommend(u, 20, seen(u))).toEqual(b.recommend(u, 20, seen(u)));
  });

  it.each(names.filter((n) => n !== 'random'))(
    '%s: a user without training interactions gets the popularity order',
    async (name) => {
      const rec = await fitRecommender(await load(name), train);
      const exclude = new Set(popularityOrder(train).slice(0, 2));
      expect(rec.recommend('stranger', 7, exclude)).toEqual(popularityOrder(train).slice(2, 9));
    },
  );
});
