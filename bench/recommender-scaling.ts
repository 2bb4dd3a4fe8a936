import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Interaction, RecommenderPlugin, TrainData } from '../harness/plugin-api.js';
import { createConfigAjv } from '../harness/util/ajv.js';
import { Rng } from '../harness/util/rng.js';
import ease, { easeWeights } from '../plugins/recommenders/ease/index.js';
import itemknn from '../plugins/recommenders/itemknn/index.js';
import { implicitMatrix, type ImplicitMatrix } from '../plugins/recommenders/shared/implicit-matrix.js';
import { writeMl1mFiles } from './ml1m-files.ts';
import movielens from '../plugins/datasets/movielens/index.js';
import { trainDataOf } from '../harness/data/train-view.js';
import type { RatingsDataset } from '../harness/plugin-api.js';

const ROOT = resolve(new URL('../', import.meta.url).pathname);
const SHARED = join(ROOT, '..', 'shared', 'datasets');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Every rating as a training interaction: the binary matrix the issue fitted with numpy. */
function trainOf(name: string, pairs: Array<[string, string]>): TrainData {
  const ids = [...new Set(pairs.map(([, i]) => i))];
  const interactions: Interaction[] = pairs.map(([user, item], t) => ({ user, item, rating: null, timestamp: t }));
  return {
    datasetName: name,
    users: [...new Set(pairs.map(([u]) => u))].map((id) => ({ id, attributes: {} })),
    items: ids.map((id) => ({ id, title: id, genres: [] })),
    scale: null,
    interactions,
  };
}

function ml1mShape(): TrainData {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-ml1m-'));
  try {
    writeMl1mFiles(dir);
    const pairs = readFileSync(join(dir, 'ratings.dat'), 'latin1')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('::', 2) as [string, string]);
    return trainOf('ml-1m shape', pairs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mlLatestSmall(): TrainData | null {
  const file = join(SHARED, 'movielens-latest-small', 'ratings.csv');
  if (!existsSync(file)) return null;
  const pairs = readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(',', 2) as [string, string]);
  return trainOf('ml-latest-small', pairs);
}

/** The training split the recommenders bench uses (movielens plugin, agent4rec split): 1,538 items have interactions. */
async function ml100k(): Promise<TrainData | null> {
  const dir = join(SHARED, 'movielens-100k');
  if (!existsSync(dir)) return null;
  const o: Record<string, unknown> = { path: dir };
  if (!createConfigAjv().compile(movielens.options)(o)) throw new Error('movielens: options rejected');
  const ctx = { seed: 2024, rng: new Rng(2024), configDir: '/', log: { info() {}, warn() {} } };
  const train = trainDataOf((await movielens.load(o as never, ctx)) as RatingsDataset);
  return { ...train, datasetName: 'ML-100K agent4rec train split' };
}

function options(plugin: RecommenderPlugin): Record<string, unknown> {
  const value = {};
  if (!createConfigAjv().compile(plugin.options)(value)) throw new Error(`${plugin.name}: default options rejected`);
  return value;
}

async function fitTimes(plugin: RecommenderPlugin, train: TrainData, runs: number): Promise<number[]> {
  const ctx = { seed: 1, rng: new Rng(1), configDir: '/', log: { info() {}, warn() {} } };
  const o = options(plugin);
  const wall: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await plugin.fit(train, o as never, ctx);
    wall.push(performance.now() - t0);
  }
  return wall;
}

/** numpy's EASE fit on the same matrix (bench/ease_numpy.py), or null without python3 and numpy. */
function numpyEase(m: ImplicitMatrix, l2: number, runs: number): number | null {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  if (probe.status !== 0) return null;
  // only the items with interactions, as EASE fits them
  const local = new Int32Array(m.itemIds.length).fill(-1);
  let n = 0;
  for (let j = 0; j < m.itemIds.length; j++)
    if ((m.colStart[j + 1] as number) > (m.colStart[j] as number)) local[j] = n++;
  const parts: number[] = [m.userIds.length, n];
  for (let u = 0; u < m.userIds.length; u++) {
    const a = m.rowStart[u] as number;
    const b = m.rowStart[u + 1] as number;
    parts.push(b - a, ...Array.from(m.cols.subarray(a, b), (j) => local[j] as number));
  }
  const dir = mkdtempSync(join(tmpdir(), 'usersim-numpy-'));
  try {
    const file = join(dir, 'matrix.i32');
    writeFileSync(file, new Uint8Array(Int32Array.from(parts).buffer));
    const r = spawnSync('python3', [join(ROOT, 'bench', 'ease_numpy.py'), file, String(l2), String(runs)], {
      encoding: 'utf8',
    });
    if (r.status !== 0) return null;
    return (JSON.parse(r.stdout) as { seconds: number }).seconds * 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Fit-time scaling of the recommenders (`npm run bench scaling`): EASE (dense
 * inverse, O(n³)) and itemknn (sparse co-occurrence, about O(n²) here) on
 * binary matrices of 1,538 (ML-100K's training split), 3,706 (ML-1M shape, generated) and
 * 9,724 items (ml-latest-small, EASE only), each next to the time the smallest
 * one predicts under the model's complexity, and EASE next to numpy (when
 * python3 has numpy) on the same matrix.
 */
export async function benchRecommenderScaling(): Promise<string[]> {
  const out = ['recommender fit scaling (all ratings as implicit training interactions)'];
  const sets: Array<{ train: TrainData; easeRuns: number; knn: boolean; target?: number }> = [];
  const small = await ml100k();
  if (small) sets.push({ train: small, easeRuns: 3, knn: true });
  else out.push('  ML-100K skipped: ../shared/datasets/movielens-100k is absent');
  sets.push({ train: ml1mShape(), easeRuns: 3, knn: true, target: 7000 });
  const latest = process.env['BENCH_SKIP_LARGE'] ? null : mlLatestSmall();
  if (latest) sets.push({ train: latest, easeRuns: 1, knn: false, target: 75_000 });
  let base: { n: number; ease: number; knn: number } | null = null;
  for (const { train, easeRuns, knn, target } of sets) {
    const m = implicitMatrix(train, null);
    const stats = easeWeights(m, 500, null).inverse;
    const n = stats.n;
    const easeMs = median(await fitTimes(ease, train, easeRuns));
    const knnMs = knn ? median(await fitTimes(itemknn, train, 3)) : null;
    const np = numpyEase(m, 500, easeRuns);
    base ??= { n, ease: easeMs, knn: knnMs ?? Number.NaN };
    const r = n / base.n;
    out.push(
      `  ${train.datasetName}: ${m.userIds.length.toLocaleString('en')} users, ${n.toLocaleString('en')} items, ${m.cols.length.toLocaleString('en')} interactions`,
    );
    out.push(
      `    ease     fit ${s(easeMs)} (median of ${easeRuns}; ${stats.threads} thread(s), ${((100 * stats.workerTasks) / stats.tasks).toFixed(0)}% of blocks on workers)` +
        (r !== 1 ? `; O(n³) from ${base.n.toLocaleString('en')} items: ${s(base.ease * r ** 3)}` : '') +
        (np !== null ? `; numpy ${s(np)} → ${(easeMs / np).toFixed(1)}× numpy` : '; numpy: not available') +
        (target !== undefined ? `; target ≤ ${s(target)}` : ''),
    );
    if (knnMs !== null)
      out.push(
        `    itemknn  fit ${s(knnMs)} (median of 3)` +
          (r !== 1 ? `; O(n²) from ${base.n.toLocaleString('en')} items: ${s(base.knn * r ** 2)}` : ''),
      );
  }
  return out;
}
