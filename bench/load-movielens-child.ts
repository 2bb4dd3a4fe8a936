/**
 * Run in a child process by bench/datasets.ts: loads a MovieLens-1M folder
 * through the movielens plugin once and prints its wall time, CPU time (all
 * threads, GC included) and the process's peak resident memory, so that each measurement starts from a
 * fresh heap. With "baseline" it only imports the plugin (Node + tsx + code).
 */
import movielens from '../plugins/datasets/movielens/index.ts';
import { Rng } from '../harness/util/rng.ts';

const [dir, mode] = process.argv.slice(2);
let ms = 0;
let cpuMs = 0;
let ratings = 0;
if (mode !== 'baseline') {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const d = await movielens.load(
    {
      variant: '1m',
      path: dir as string,
      split: 'agent4rec',
      fold: 1,
      users: 1000,
      splitSeed: 101,
      minLiked: 20,
      likedAbove: 3,
    },
    { seed: 1, rng: new Rng(1), configDir: '/', log: { info() {}, warn() {} } },
  );
  ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpuMs = (c.user + c.system) / 1000;
  if (d.kind !== 'ratings') throw new Error('expected a ratings dataset');
  ratings = d.split.train.length + d.split.valid.length + d.split.test.length;
}
process.stdout.write(`${JSON.stringify({ ms, cpuMs, ratings, maxRssKb: process.resourceUsage().maxRSS })}\n`);
