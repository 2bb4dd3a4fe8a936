import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import movielens from '../plugins/datasets/movielens/index.js';
import { recommenders } from '../plugins/recommenders/index.js';
import { trainDataOf } from '../harness/data/train-view.js';
import type { RatingsDataset, RecommenderPlugin } from '../harness/plugin-api.js';
import { offlineEval } from '../harness/recommenders/offline-eval.js';
import { createConfigAjv } from '../harness/util/ajv.js';
import { Rng } from '../harness/util/rng.js';

const RUNS = 3;
const SEED = 2024;
const DIR = resolve(new URL('../', import.meta.url).pathname, '..', 'shared', 'datasets', 'movielens-100k');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Plugin options as the config loader fills them. */
function defaults(schema: unknown, value: Record<string, unknown>): Record<string, unknown> {
  const validate = createConfigAjv().compile(schema as object);
  if (!validate(value)) throw new Error(JSON.stringify(validate.errors));
  return value;
}

/**
 * Recommender figures (`npm run bench recommenders`): each built-in recommender
 * with its defaults on MovieLens-100K from ../shared/datasets (the movielens
 * plugin's default agent4rec split): median fit time of RUNS fits, and NDCG@10 /
 * Recall@10 on the held-out valid ∪ test items with training items excluded.
 */
export async function benchRecommenders(): Promise<string[]> {
  const out = ['recommenders'];
  if (!existsSync(DIR)) return [...out, `  skipped: ${DIR} is absent`];
  const ctx = { seed: SEED, rng: new Rng(SEED), configDir: '/', log: { info() {}, warn() {} } };
  const ds = (await movielens.load(defaults(movielens.options, { path: DIR }) as never, ctx)) as RatingsDataset;
  const train = trainDataOf(ds);
  const heldOut = [...ds.split.valid, ...ds.split.test];
  out.push(
    `  MovieLens-100K, agent4rec split: ${train.interactions.length.toLocaleString('en')} training and ${heldOut.length.toLocaleString('en')} held-out interactions, seed ${SEED}`,
  );
  for (const name of Object.keys(recommenders)) {
    const plugin = (await recommenders[name]!()).default as RecommenderPlugin;
    const options = defaults(plugin.options, {});
    const wall: number[] = [];
    const cpu: number[] = [];
    let fitted = null;
    for (let r = 0; r < RUNS; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fitted = await plugin.fit(train, options as never, ctx);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const t0 = performance.now();
    const e = offlineEval({ recommendation: fitted!, train: train.interactions, heldOut, k: 10 });
    const evalMs = performance.now() - t0;
    out.push(
      `    ${name.padEnd(8)} NDCG@10 ${e.meanNdcg.toFixed(4)}  Recall@10 ${e.meanRecall.toFixed(4)}  fit: median ${median(wall).toFixed(0)} ms of ${RUNS} (CPU ${median(cpu).toFixed(0)} ms)  ranking ${e.users.length} users: ${evalMs.toFixed(0)} ms`,
    );
  }
  return out;
}
