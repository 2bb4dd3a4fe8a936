import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.ts';
import type { Manifest } from '../../../harness/results/manifest.ts';
import { foldersSignature, type RerunStamp } from '../../../harness/runner/rerun-stamp.ts';
import { type RunOptions, runConfig } from '../../../harness/runner/run.ts';
import { startOpenAiServer } from '../../support/llm-servers/index.ts';
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
    'takes the full path when a data file changes, or when the same config is read from another folder',
    async () => {
      const ml = (path: string) =>
        CONFIG.replace(
          /datasets:\n.*\n/,
          `datasets:\n  - { plugin: movielens, id: s, variant: 100k, path: ${path}, split: agent4rec }\n`,
        )
          .replace('  - { plugin: zero-shot }\n', '')
          .replace('{ task: rating }', '{ task: rating, users: 10 }')
          .replace(
            '{ task: preference-discrimination, ratios: [1, 3] }',
            '{ task: preference-discrimination, ratios: [1], users: 10 }',
          );
      const root = folder(ml('./ml-100k'));
      cpSync(sharedDataset('movielens-100k') as string, join(root, 'ml-100k'), { recursive: true });
      expect((await run(root)).planned).toBe(true);
      expect((await run(root)).planned).toBe(false);
      touch(join(root, 'ml-100k', 'u.item'));
      expect((await run(root)).planned).toBe(true);
      expect((await run(root)).planned).toBe(false);

      // The same config text in another folder, with other data under the same relative path, into the same results.
      const other = folder(ml('./ml-100k'));
      cpSync(join(root, 'ml-100k'), join(other, 'ml-100k'), { recursive: true });
      const uData = join(other, 'ml-100k', 'u.data');
      writeFileSync(uData, readFileSync(uData, 'utf8').split('\n').slice(0, 60_000).join('\n'));
      const cfgOther = await loadConfig(join(other, 'config.yaml'), {
        env: {},
        sets: [`output=${join(root, 'results')}`, `cache.path=${join(root, 'llm.sqlite')}`],
      });
      const infos: string[] = [];
      await runConfig(cfgOther, { log: { info: (m) => infos.push(m), warn() {} }, cwd: root });
      expect(infos.some((m) => m.startsWith('loading dataset'))).toBe(true);
    },
    60_000,
  );

  it('notes the generated sessions of synthetic-sessions as data, and a --fresh run leaves a stamp', async () => {
    const root = folder(`
name: shop
seed: 2
datasets:
  - { plugin: synthetic-sessions, id: shop, users: 6 }
methods:
  - { plugin: markov }
tasks:
  - { task: next-action }
`);
    const { out } = await run(root, { fresh: true });
    const stamp = JSON.parse(readFileSync(join(out.dir, 'rerun-stamp.json'), 'utf8')) as RerunStamp;
    expect(stamp.dataFolders).toHaveLength(1);
    expect(stamp.dataFolders[0]).toMatch(/synthetic-sessions/);
    expect((await run(root)).planned).toBe(false);
    touch(join(stamp.dataFolders[0] as string, 'generated.json'));
    expect((await run(root)).planned).toBe(true);
  }, 30_000);

  it('is not used when the full path would refuse the setup: a key unset, or --cache-only without the cache', async () => {
    process.env['USERSIM_TEST_STAMP_KEY'] = 'sk-stamp';
    const server = await startOpenAiServer({ apiKey: 'sk-stamp' });
    const root = folder(
      CONFIG.replace(
        'llm: { plugin: offline }',
        `llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_TEST_STAMP_KEY }`,
      ).replace('users: 30, items: 90', 'users: 8, items: 60'),
    );
    try {
      expect((await run(root)).planned).toBe(true);
      expect((await run(root)).planned).toBe(false);
    } finally {
      await server.close();
    }
    delete process.env['USERSIM_TEST_STAMP_KEY'];
    await expect(run(root)).rejects.toThrow(/USERSIM_TEST_STAMP_KEY/);
    process.env['USERSIM_TEST_STAMP_KEY'] = 'sk-stamp';
    rmSync(join(root, 'llm.sqlite'), { force: true });
    await expect(run(root, { cacheOnly: true })).rejects.toThrow(/cache/);
    delete process.env['USERSIM_TEST_STAMP_KEY'];
  }, 30_000);
});

describe('the data signature', () => {
  it('follows linked folders (once, even in a loop) and sees a copy that keeps the modification time', () => {
    const root = mkdtempSync(join(tmpdir(), 'usersim-sig-'));
    roots.push(root);
    mkdirSync(join(root, 'real', 'part'), { recursive: true });
    const file = join(root, 'real', 'part', 'rows.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    mkdirSync(join(root, 'data'));
    symlinkSync(join(root, 'real', 'part'), join(root, 'data', 'part'));
    symlinkSync(join(root, 'data'), join(root, 'real', 'part', 'loop'));
    const before = foldersSignature([join(root, 'data')]);
    expect(foldersSignature([join(root, 'data')])).toBe(before);
    // Same size, modification time put back: the change time still moves.
    const { mtime } = { mtime: new Date(Date.now() - 60_000) };
    utimesSync(file, mtime, mtime);
    const kept = foldersSignature([join(root, 'data')]);
    writeFileSync(file, 'a,b\n3,4\n');
    utimesSync(file, mtime, mtime);
    expect(foldersSignature([join(root, 'data')])).not.toBe(kept);
    expect(before).not.toBe(kept);
  });
});
