import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InteractionTable } from '../harness/data/interaction-table.ts';
import { readReviews } from '../plugins/datasets/amazon-books/reviews.ts';
import { writeAmazonReviewsGz } from './amazon-reviews-file.ts';
import { ML1M_SHAPE, writeMl1mFiles } from './ml1m-files.ts';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const CHILD = join(ROOT, 'bench', 'load-movielens-child.ts');
const RUNS = 5;
const REVIEW_LINES = 500_000;
const TARGET = { ml1mMs: 1000, ml1mMb: 300, linesPerSecond: 300_000 };

interface ChildResult {
  readonly ms: number;
  readonly cpuMs: number;
  readonly ratings: number;
  readonly maxRssKb: number;
}

function child(dir: string, mode = 'load'): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dir, mode], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/**
 * Dataset loading figures (`npm run bench datasets`):
 * - MovieLens-1M: a generated ratings.dat with ML-1M's exact shape, loaded
 *   through the movielens plugin (default agent4rec split) in 5 fresh child
 *   processes; median wall time of load(), and peak memory as the child's
 *   maxRSS from process.resourceUsage() (the whole process, so it includes
 *   Node, tsx and the code: the baseline of a child that only imports the
 *   plugin is shown beside it).
 *   Timings on a shared machine vary with its load: CPU time is shown beside
 *   wall time to tell the code's cost from waiting for a core.
 * - Streaming JSON lines: a generated gzip'd file of Amazon-style reviews read
 *   through the amazon-books review reader (gunzip, split, JSON.parse,
 *   field checks, columnar table).
 */
export async function benchDatasets(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-bench-datasets-'));
  const out: string[] = ['datasets'];
  try {
    writeMl1mFiles(dir);
    const base = child(dir, 'baseline');
    const runs: ChildResult[] = [];
    for (let k = 0; k < RUNS; k++) runs.push(child(dir));
    const ms = median(runs.map((r) => r.ms));
    const cpu = median(runs.map((r) => r.cpuMs));
    const peakMb = Math.max(...runs.map((r) => r.maxRssKb)) / 1024;
    const baseMb = base.maxRssKb / 1024;
    out.push(
      `  MovieLens-1M format (${ML1M_SHAPE.ratings.toLocaleString('en')} ratings, ${ML1M_SHAPE.users.toLocaleString('en')} users, ${ML1M_SHAPE.ratedItems.toLocaleString('en')} items, ${(statSync(join(dir, 'ratings.dat')).size / 1e6).toFixed(1)} MB ratings.dat) through the movielens plugin, agent4rec split`,
      `    load: median ${ms.toFixed(0)} ms of ${RUNS} fresh processes (${runs.map((r) => r.ms.toFixed(0)).join(', ')}; CPU median ${cpu.toFixed(0)} ms, all threads)  target ≤ ${TARGET.ml1mMs} ms: ${mark(ms <= TARGET.ml1mMs)}`,
      `    peak memory: ${peakMb.toFixed(0)} MB maxRSS of the whole child process (Node + tsx + code alone: ${baseMb.toFixed(0)} MB)  target ≤ ${TARGET.ml1mMb} MB: ${mark(peakMb <= TARGET.ml1mMb)}`,
    );

    const gz = join(dir, 'reviews.json.gz');
    const raw = await writeAmazonReviewsGz(gz, REVIEW_LINES);
    const rates: number[] = [];
    const cpuRates: number[] = [];
    for (let k = 0; k < 3; k++) {
      const table = new InteractionTable();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await readReviews(gz, table);
      const s = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      if (r.lines !== REVIEW_LINES || table.length !== REVIEW_LINES)
        throw new Error(`bench: read ${r.lines} lines, expected ${REVIEW_LINES}`);
      rates.push(REVIEW_LINES / s);
      cpuRates.push(REVIEW_LINES / ((c.user + c.system) / 1e6));
    }
    const rate = median(rates);
    out.push(
      `  streaming JSON lines: ${REVIEW_LINES.toLocaleString('en')} Amazon-style reviews, ${(raw / 1e6).toFixed(0)} MB (${(statSync(gz).size / 1e6).toFixed(0)} MB gzip'd), amazon-books review reader`,
      `    ${Math.round(rate).toLocaleString('en')} lines/s, ${((rate * raw) / REVIEW_LINES / 1e6).toFixed(0)} MB/s of JSON (median of 3 wall-clock runs; ${Math.round(median(cpuRates)).toLocaleString('en')} lines per CPU-second, gunzip thread included)  target ≥ ${TARGET.linesPerSecond.toLocaleString('en')} lines/s: ${mark(rate >= TARGET.linesPerSecond)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
