import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { runConfig } from '../../../harness/runner/run.js';
import { RunError } from '../../../harness/runner/run-error.js';
import { inShard, parseShard, shardFilesOf, shardPath } from '../../../harness/runner/shard.js';
import { spawnSync } from 'node:child_process';
import { CLI, TSX } from '../../support/project.js';

const quiet = { info() {}, warn() {} };
const CONFIG = `
name: sharded
seed: 3
concurrency: 4
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 20, items: 80, minRatings: 20, maxRatings: 25, minLiked: 5 }
methods:
  - { plugin: popularity }
  - { plugin: zero-shot }
tasks:
  - { task: preference-discrimination, ratios: [1] }
  - { task: rating }
`;

function files(root: string, suffix = '.jsonl'): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(suffix)) out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

async function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-shard-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, CONFIG);
  return { dir, file, cfg: await loadConfig(file) };
}

describe('--shard i/n', () => {
  it('parses i/n and assigns positions round robin', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard needs i\/n/);
    expect([0, 1, 2, 3, 4, 5].filter((k) => inShard({ index: 2, count: 3 }, k))).toEqual([1, 4]);
    expect(inShard(undefined, 7)).toBe(true);
    expect(shardPath('/r/p/zero-shot.seed2.jsonl', { index: 1, count: 2 })).toBe(
      '/r/p/zero-shot.seed2.shard-1-of-2.jsonl',
    );
  });

  it('shards run disjoint units and score nothing; a plain run merges them into exactly the files and metrics of an unsharded run', async () => {
    const ref = await workspace();
    await runConfig(ref.cfg, { log: quiet, cwd: ref.dir });
    const refOut = join(ref.dir, 'results', 'sharded');

    const w = await workspace();
    const out = join(w.dir, 'results', 'sharded');
    const one = await runConfig(w.cfg, { log: quiet, cwd: w.dir, shard: { index: 1, count: 2 } });
    const two = await runConfig(w.cfg, { log: quiet, cwd: w.dir, shard: { index: 2, count: 2 } });
    expect(one.metrics).toBeNull();
    expect(one.shard).toEqual({ index: 1, count: 2 });
    expect(existsSync(join(out, 'metrics.json'))).toBe(false);
    expect(existsSync(join(out, 'manifest.shard-1-of-2.json'))).toBe(true);
    const refUnits = Object.values(files(join(refOut, 'predictions'))).reduce(
      (s, t) => s + t.split('\n').filter(Boolean).length,
      0,
    );
    expect(one.computed + two.computed).toBe(refUnits);
    expect(Math.abs(one.computed - two.computed)).toBeLessThanOrEqual(4);
    // Disjoint: no unit is in both shards' files.
    const keys = (tag: string) =>
      Object.entries(files(join(out, 'predictions')))
        .filter(([f]) => f.includes(tag))
        .flatMap(([, t]) =>
          t
            .split('\n')
            .filter(Boolean)
            .map((l) => (JSON.parse(l) as { id: string }).id),
        );
    const a = new Set(keys('shard-1-of-2'));
    expect(keys('shard-2-of-2').filter((k) => a.has(k))).toEqual([]);

    // --fresh on one shard discards that shard's files only.
    const before = files(join(out, 'predictions'));
    const again = await runConfig(w.cfg, { log: quiet, cwd: w.dir, shard: { index: 2, count: 2 }, fresh: true });
    expect(again.computed).toBe(two.computed);
    expect(files(join(out, 'predictions'))).toEqual(before);

    const merged = await runConfig(w.cfg, { log: quiet, cwd: w.dir });
    expect(merged.computed).toBe(0);
    const mergedFiles = Object.fromEntries(
      Object.entries(files(join(out, 'predictions'))).filter(([f]) => !f.includes('.shard-')),
    );
    expect(mergedFiles).toEqual(files(join(refOut, 'predictions')));
    expect(readFileSync(join(out, 'metrics.json'), 'utf8')).toBe(readFileSync(join(refOut, 'metrics.json'), 'utf8'));
    // Each shard kept its own cache keys; the merge lists their union, as the unsharded run does.
    expect(existsSync(join(out, 'cache-keys.shard-1-of-2.txt'))).toBe(true);
    expect(readFileSync(join(out, 'cache-keys.txt'), 'utf8')).toBe(
      readFileSync(join(refOut, 'cache-keys.txt'), 'utf8'),
    );
    // Merging again changes nothing.
    await runConfig(w.cfg, { log: quiet, cwd: w.dir });
    expect(readFileSync(join(out, 'metrics.json'), 'utf8')).toBe(readFileSync(join(refOut, 'metrics.json'), 'utf8'));
    expect(
      shardFilesOf(join(out, 'predictions', 'syn', 'rating', 'zero-shot.jsonl')).map((f) => f.split('/').pop()),
    ).toEqual(['zero-shot.shard-1-of-2.jsonl', 'zero-shot.shard-2-of-2.jsonl']);
  }, 60_000);

  it("a method with per-user state built lazily (agent4rec's taste) gets the same metric values from shards; only its usage counts each shard's rebuild", async () => {
    const cfgText = CONFIG.replace('  - { plugin: zero-shot }', '  - { plugin: agent4rec }');
    const make = async () => {
      const w = await workspace();
      writeFileSync(w.file, cfgText);
      return { ...w, cfg: await loadConfig(w.file) };
    };
    const ref = await make();
    await runConfig(ref.cfg, { log: quiet, cwd: ref.dir });
    const w = await make();
    await runConfig(w.cfg, { log: quiet, cwd: w.dir, shard: { index: 1, count: 2 } });
    await runConfig(w.cfg, { log: quiet, cwd: w.dir, shard: { index: 2, count: 2 } });
    await runConfig(w.cfg, { log: quiet, cwd: w.dir });
    type M = {
      cells: Array<{
        method: string;
        task: string;
        usage: { calls: number };
        metrics: Record<string, { value: number | null; ci?: unknown }>;
      }>;
    };
    const read = (d: string) => JSON.parse(readFileSync(join(d, 'results', 'sharded', 'metrics.json'), 'utf8')) as M;
    const a = read(ref.dir);
    const b = read(w.dir);
    for (const [k, c] of a.cells.entries()) {
      expect(b.cells[k]?.metrics).toEqual(c.metrics);
      if (c.method === 'agent4rec') expect(b.cells[k]?.usage.calls).toBeGreaterThanOrEqual(c.usage.calls);
    }
  }, 60_000);

  it("a missing shard's units are run by the merging run; a shard of another config is refused", async () => {
    const w = await workspace();
    const one = await runConfig(w.cfg, { log: quiet, cwd: w.dir, shard: { index: 1, count: 3 } });
    const merged = await runConfig(w.cfg, { log: quiet, cwd: w.dir });
    expect(merged.skipped).toBe(one.computed);
    expect(merged.computed).toBeGreaterThan(one.computed);

    const out = join(w.dir, 'results', 'sharded');
    const m = JSON.parse(readFileSync(join(out, 'manifest.shard-1-of-3.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(out, 'manifest.shard-1-of-3.json'), JSON.stringify({ ...m, configHash: 'f'.repeat(64) }));
    const err = await runConfig(w.cfg, { log: quiet, cwd: w.dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect((err as Error).message).toMatch(
      /manifest\.shard-1-of-3\.json was written by a different config .* shards of two configs are never merged/,
    );
    rmSync(w.dir, { recursive: true, force: true });
  }, 60_000);

  it('usersim run --shard: a bad value is a usage error; a shard says how to merge', async () => {
    const w = await workspace();
    const run = (...args: string[]) =>
      spawnSync(TSX, [CLI, 'run', 'config.yaml', ...args], { cwd: w.dir, encoding: 'utf8' });
    const bad = run('--shard', '3/2');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--shard needs i/n with 1 ≤ i ≤ n, e.g. --shard 2/4; got "3/2"');
    const ok = run('--shard', '1/2', '--quiet');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('');
    expect(ok.stderr).toMatch(/Shard 1 of 2: \d+ unit\(s\) run/);
    expect(ok.stderr).toContain('then merge and score with:\n  npx usersim run config.yaml --quiet\n');
  }, 60_000);
});
