import { afterEach, describe, expect, it, vi } from 'vitest';
import bpr from '../../../plugins/recommenders/bpr-mf/index.ts';
import random from '../../../plugins/recommenders/random/index.ts';
import { offlineEval } from '../../../harness/recommenders/offline-eval.ts';
import { clusteredWorld, fitRecommender, twoClusters } from '../../support/recommenders.ts';
import type { TrainData } from '../../../harness/plugin-api.ts';

const own = (train: TrainData, u: string) => new Set(train.interactions.filter((x) => x.user === u).map((x) => x.item));

afterEach(() => vi.restoreAllMocks());

describe('bpr-mf', () => {
  it('beats random by far on held-out Recall@10 of a clustered world, for several seeds', async () => {
    const { train, heldOut } = clusteredWorld(21);
    for (const seed of [1, 2, 3]) {
      const recall = async (p: typeof bpr | typeof random) =>
        offlineEval({
          recommendation: await fitRecommender(p, train, {}, seed),
          train: train.interactions,
          heldOut,
          k: 10,
        }).meanRecall;
      const [b, r] = [await recall(bpr), await recall(random)];
      // random: 10 of 71 unseen items, about 0.14; the user's own group holds 11 unseen items, so a model that
      // learnt the groups finds most of the 3 held-out ones
      expect(r, `seed ${seed}`).toBeLessThan(0.25);
      expect(b, `seed ${seed}`).toBeGreaterThan(0.6);
    }
  });

  it("two disjoint clusters: ranks the unseen item of the user's own cluster first", async () => {
    const { train, aUsers, bUsers } = twoClusters();
    const rec = await fitRecommender(bpr, train, { epochs: 200 });
    for (const u of [...aUsers, ...bUsers]) {
      const top = rec.recommend(u, 1, own(train, u))[0] as string;
      expect(Number(top) <= 5 ? 'a' : 'b', u).toBe(u[0]);
    }
  });

  it('draws every random number from the seeded Rng, never Math.random, and the seed changes the model', async () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    const { train } = clusteredWorld(5, 3, 10);
    const users = [...new Set(train.interactions.map((x) => x.user))];
    const rank = async (seed: number) => {
      const rec = await fitRecommender(bpr, train, { epochs: 5 }, seed);
      return users.map((u) => rec.recommend(u, 30, own(train, u)).join(' '));
    };
    const [a, b, c] = [await rank(1), await rank(1), await rank(2)];
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('epochs 0 leaves the seeded initial factors: still a full, valid ranking', async () => {
    const { train } = twoClusters();
    const rec = await fitRecommender(bpr, train, { epochs: 0 });
    expect(new Set(rec.recommend('a1', 20, new Set())).size).toBe(10);
  });
});
