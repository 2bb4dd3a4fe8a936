import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.ts';
import type { Manifest } from '../../../harness/results/manifest.ts';
import { type RunOptions, runConfig } from '../../../harness/runner/run.ts';
import { sharedDataset } from '../../support/shared-data.ts';

const CONFIG = `
name: stamp
seed: 5
concurrency: 4
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, id: s, users: 30, items: 90, minRatings: 20, maxRatings: 30, minLiked: 5 }
methods:
  - { plugin: popularity }
  - { plugin: zero-shot }
tasks:
  - { task: preference-discrimination, ratios: [1, 3] }
  - { task: rating }
report: { baseline: popularity, B: 200 }
`;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function folder(config: string): string {
  const root = mkdtempSync(join(tmpdir(), 'usersim-stamp-'));
  roots.push(root);
  writeFileSync(join(root, 'config.yaml'), config);
  return root;
}

async function run(root: string, opts: Partial<RunOptions> = {}, sets: string[] = []) {
  const cfg = await loadConfig(join(root, 'config.yaml'), {
    env: {},
    sets: [`output=${join(root, 'results')}`, `cache.path=${join(root, 'llm.sqlite')}`, ...sets],
  });
  const infos: string[] = [];
  const out = await runConfig(cfg, { log: { info: (m) => infos.push(m), warn() {} }, cwd: root, ...opts });
  const planned = infos.some((m) => m.startsWith('loading dataset'));
  return { out, infos, planned };
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
const touch = (path: string) => {
  const later = new Date(Date.now() + 5_000);
  utimesSync(path, later, later);
};

// Issue 16: a rerun with nothing to do does no work.
describe('a rerun after a complete run', () => {
  it('skips the plan, the units and the scoring when nothing changed, and records the invocation', async () => {
    const root = folder(CONFIG);
    const first = await run(root);
    const dir = first.out.dir;
    expect(first.planned).toBe(true);
    expect(existsSync(join(dir, 'rerun-stamp.json'))).toBe(true);
    const metrics = readFileSync(join(dir, 'metrics.json'), 'utf8');
    const before = manifestOf(dir);

    const again = await run(root, { command: 'usersim run again' });
    expect(again.planned).toBe(false);
    expect(again.infos.some((m) => m.startsWith('nothing changed since the last complete run'))).toBe(true);
    expect(again.out.computed).toBe(0);
    expect(again.out.skipped).toBe(first.out.computed);
    expect(again.out.unitErrors).toBe(0);
    expect(JSON.stringify(again.out.metrics)).toBe(JSON.stringify(JSON.parse(metrics)));
    expect(readFileSync(join(dir, 'metrics.json'), 'utf8')).toBe(metrics);
    const after = manifestOf(dir);
    expect(after.invocations).toHaveLength((before.invocations?.length ?? 0) + 1);
    expect(after.invocations?.at(-1)).toMatchObject({ command: 'usersim run again', status: 'complete', calls: 0 });
    expect(after.units).toEqual({ computed: 0, skipped: first.out.computed, errors: 0 });
    expect(after.totals).toEqual(before.totals);
    expect(after.datasets).toEqual(before.datasets);
  });

  it('takes the full path when a results file, an option or the flags change, or after an interrupted run', async () => {
    const root = folder(CONFIG);
    const { out } = await run(root);
    const predictions = join(out.dir, 'predictions/s/rating/zero-shot.jsonl');

    // The same bytes written again: the full path runs, and its score stage finds nothing changed.
    writeFileSync(predictions, readFileSync(predictions));
    touch(predictions);
    const touched = await run(root);
    expect(touched.planned).toBe(true);
    expect(touched.infos).toContain('scores unchanged: metrics.json and comparisons.json reused');
    expect((await run(root)).planned).toBe(false);

    for (const opts of [{ retryErrors: true }, { limit: 5 }] as const) {
      expect((await run(root, opts)).planned, JSON.stringify(opts)).toBe(true);
    }
    const b = await run(root, {}, ['report.B=300']);
    expect(b.planned).toBe(true);
    expect(b.out.metrics?.cells.length).toBeGreaterThan(0);

    // A run stopped at once (here one with a new option, so that it takes the full path) leaves no stamp
    // behind, the old one included, so the next run plans again.
    const stop = new AbortController();
    stop.abort();
    const stopped = await run(root, { signal: stop.signal }, ['report.B=400']);
    expect(stopped.out.interrupted).toBe(true);
    expect(existsSync(join(out.dir, 'rerun-stamp.json'))).toBe(false);
    expect((await run(root, {}, ['report.B=300'])).planned).toBe(true);
    expect((await run(root, {}, ['report.B=300'])).planned).toBe(false);
  });

  it.skipIf(sharedDataset('movielens-100k') === null)(
    'takes the full path when a file of a data folder changes',
    async () => {
      const root = folder(
        CONFIG.replace(
          /datasets:\n.*\n/,
          'datasets:\n  - { plugin: movielens, id: s, variant: 100k, path: ./ml-100k, split: agent4rec }\n',
        )
          .replace('  - { plugin: zero-shot }\n', '')
          .replace('{ task: rating }', '{ task: rating, users: 10 }')
          .replace(
            '{ task: preference-discrimination, ratios: [1, 3] }',
            '{ task: preference-discrimination, ratios: [1], users: 10 }',
          ),
      );
      cpSync(sharedDataset('movielens-100k') as string, join(root, 'ml-100k'), { recursive: true });
      expect((await run(root)).planned).toBe(true);
      expect((await run(root)).planned).toBe(false);
      touch(join(root, 'ml-100k', 'u.item'));
      expect((await run(root)).planned).toBe(true);
      expect((await run(root)).planned).toBe(false);
    },
    60_000,
  );
});
