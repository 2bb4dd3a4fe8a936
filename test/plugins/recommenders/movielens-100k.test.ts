import { beforeAll, describe, expect, it } from 'vitest';
import movielens from '../../../plugins/datasets/movielens/index.ts';
import { recommenders } from '../../../plugins/recommenders/index.ts';
import { offlineEval, type OfflineEvalResult } from '../../../harness/recommenders/offline-eval.ts';
import { trainDataOf } from '../../../harness/data/train-view.ts';
import type { RecommenderPlugin } from '../../../harness/plugin-api.ts';
import { createConfigAjv } from '../../../harness/util/ajv.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { asRatings } from '../../support/hand-dataset.ts';
import { sharedDataset } from '../../support/shared-data.ts';
import { fitRecommender } from '../../support/recommenders.ts';

/**
 * The five recommenders with their default options on MovieLens-100K, split by
 * the movielens plugin's default (agent4rec: users with ≥ 20 ratings above 3, a
 * per-user 40/30/30 split, seed 101), scored on the held-out valid ∪ test items
 * with the training items excluded. These are the README's figures.
 */
const ML100K = sharedDataset('movielens-100k');
const K = 10;

describe.skipIf(ML100K === null)('recommenders on MovieLens-100K (agent4rec split, held-out = valid ∪ test)', () => {
  const results: Record<string, OfflineEvalResult> = {};
  beforeAll(async () => {
    const options: Record<string, unknown> = { path: ML100K };
    expect(createConfigAjv().compile(movielens.options)(options)).toBe(true); // fills the defaults
    const ds = asRatings(
      await movielens.load(options as never, {
        seed: 1,
        rng: new Rng(1),
        configDir: '/',
        log: { info() {}, warn() {} },
      }),
    );
    const train = trainDataOf(ds);
    const heldOut = [...ds.split.valid, ...ds.split.test];
    for (const name of Object.keys(recommenders)) {
      const plugin = (await recommenders[name]!()).default as RecommenderPlugin;
      const recommendation = await fitRecommender(plugin, train, {}, 2024);
      results[name] = offlineEval({ recommendation, train: train.interactions, heldOut, k: K });
    }
  });

  const ndcg = (n: string) => results[n]!.meanNdcg;

  it('evaluates the 703 users the split keeps', () => {
    for (const r of Object.values(results)) expect(r.users.length).toBe(703);
  });

  it('NDCG@10: ease > itemknn > pop > random, and bpr-mf > pop', () => {
    expect(ndcg('ease')).toBeGreaterThan(ndcg('itemknn'));
    expect(ndcg('itemknn')).toBeGreaterThan(ndcg('pop'));
    expect(ndcg('pop')).toBeGreaterThan(ndcg('random'));
    expect(ndcg('bpr-mf')).toBeGreaterThan(ndcg('pop'));
    expect(ndcg('random')).toBeLessThan(0.1);
  });

  it('the deterministic recommenders give the README figures (NDCG@10, Recall@10)', () => {
    const figures = Object.fromEntries(
      Object.entries(results).map(([n, r]) => [n, [r.meanNdcg, r.meanRecall].map((v) => Number(v.toFixed(4)))]),
    );
    expect(figures['pop']).toEqual([0.4859, 0.0727]);
    expect(figures['itemknn']).toEqual([0.5611, 0.0886]);
    expect(figures['ease']).toEqual([0.6406, 0.1057]);
  });

  it('the seeded recommenders (seed 2024) land where the README says', () => {
    expect(results['bpr-mf']!.meanNdcg).toBeCloseTo(0.596, 2);
    expect(results['bpr-mf']!.meanRecall).toBeCloseTo(0.0986, 2);
    expect(results['random']!.meanNdcg).toBeCloseTo(0.0506, 2);
    expect(results['random']!.meanRecall).toBeCloseTo(0.0066, 2);
  });
});
