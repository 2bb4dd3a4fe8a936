import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { runConfig } from '../../../harness/runner/run.js';
import { RunError } from '../../../harness/runner/run-error.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { CLI, PROJECT_ROOT, TSX } from '../../support/project.js';

const quiet = { info() {}, warn() {} };
const FIXTURE = join(PROJECT_ROOT, 'test/fixtures/slow-method.ts');

function workspace(config: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-run-'));
  cpSync(FIXTURE, join(dir, 'slow-method.ts'));
  // The fixture imports the plugin API relative to the repo; point it at the real file.
  writeFileSync(
    join(dir, 'slow-method.ts'),
    readFileSync(FIXTURE, 'utf8').replace('../../harness/plugin-api.ts', join(PROJECT_ROOT, 'harness/plugin-api.ts')),
  );
  const file = join(dir, 'config.yaml');
  writeFileSync(file, config);
  return { dir, file };
}

const SMALL = `
name: small
seed: 7
concurrency: 4
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 30, items: 120, minRatings: 20, maxRatings: 30, minLiked: 5 }
methods:
  - { plugin: popularity }
  - { plugin: mf, factors: 4, epochs: 5 }
  - { plugin: zero-shot }
tasks:
  - { task: preference-discrimination, ratios: [1, 3] }
  - { task: rating }
`;

function predictionFiles(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl')) out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

describe('runConfig', () => {
  it('writes manifest, predictions, metrics; a rerun computes nothing and reproduces metrics.json byte for byte', async () => {
    const { dir, file } = workspace(SMALL);
    const cfg = await loadConfig(file);
    const first = await runConfig(cfg, { log: quiet, cwd: dir });
    expect(first.computed).toBeGreaterThan(0);
    expect(first.skipped).toBe(0);
    const out = join(dir, 'results', 'small');
    for (const f of ['manifest.json', 'metrics.json']) expect(existsSync(join(out, f))).toBe(true);
    const metrics1 = readFileSync(join(out, 'metrics.json'), 'utf8');
    const m = JSON.parse(metrics1) as MetricsFile;
    expect(m.cells).toHaveLength(6);
    const zs = m.cells.find((c) => c.method === 'zero-shot' && c.task === 'rating');
    expect(zs?.llm?.mock).toBe(true);
    expect(zs?.usage.calls).toBeGreaterThan(0);
    expect(Object.keys(m.cells[0]?.metrics ?? {})).toEqual(['accuracy@1:1', 'f1@1:1', 'accuracy@1:3', 'f1@1:3']);

    const second = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expect(second.computed).toBe(0);
    expect(second.skipped).toBe(first.computed);
    expect(readFileSync(join(out, 'metrics.json'), 'utf8')).toBe(metrics1);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['configHash']).toBe(cfg.hash);
    expect(manifest['status']).toBe('complete');
    expect(Object.keys(manifest['prompts'] as object)).toEqual(['zero-shot']);
    expect((manifest['choices'] as string[]).some((c) => c.includes('extra.undefinedUnits'))).toBe(true);
  });

  it('refuses to mix results of a changed config unless --fresh', async () => {
    const { dir, file } = workspace(SMALL);
    await runConfig(await loadConfig(file), { log: quiet, cwd: dir, limit: 2 });
    const changed = await loadConfig(file, { sets: ['seed=8'] });
    await expect(runConfig(changed, { log: quiet, cwd: dir })).rejects.toThrow(RunError);
    await expect(runConfig(changed, { log: quiet, cwd: dir })).rejects.toThrow(/--fresh/);
    const fresh = await runConfig(changed, { log: quiet, cwd: dir, fresh: true, limit: 1 });
    expect(fresh.skipped).toBe(0);
  });

  it('--limit runs a prefix of each cell; the rest runs on the next call', async () => {
    const { dir, file } = workspace(SMALL);
    const cfg = await loadConfig(file);
    const a = await runConfig(cfg, { log: quiet, cwd: dir, limit: 3 });
    expect(a.computed).toBe(3 * 6);
    const m = JSON.parse(readFileSync(join(dir, 'results/small/metrics.json'), 'utf8')) as MetricsFile;
    expect(m.cells.every((c) => c.status === 'incomplete')).toBe(true);
    const b = await runConfig(cfg, { log: quiet, cwd: dir });
    expect(b.skipped).toBe(18);
    expect(b.computed).toBeGreaterThan(0);
  });

  it('records unit errors, counts them per cell, and excludes them from the metric', async () => {
    const { dir, file } = workspace(`
name: errs
concurrency: 4
datasets: [{ plugin: synthetic-ratings, users: 20, items: 80, minRatings: 20, maxRatings: 25, minLiked: 5 }]
methods: [{ plugin: ./slow-method.ts, id: flaky, delayMs: 0, failSuffix: "3" }]
tasks: [{ task: preference-discrimination, ratios: [1] }]
`);
    const cfg = await loadConfig(file, { allowLocalPlugins: true });
    const r = await runConfig(cfg, { log: quiet, cwd: dir });
    const m = r.metrics as MetricsFile;
    const cell = m.cells[0];
    expect(cell?.units.errors).toBeGreaterThan(0);
    expect(cell?.units.errorKinds.answer).toBe(cell?.units.errors);
    expect(cell?.units.scored).toBe((cell?.units.total ?? 0) - (cell?.units.errors ?? 0));
    expect(cell?.metrics['accuracy@1:1']?.n).toBe(cell?.units.scored);
    expect(r.unitErrors).toBe(cell?.units.errors);
  });
});

describe('usersim run (process)', () => {
  const run = (args: string[], cwd: string) =>
    spawnSync(TSX, [CLI, 'run', ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });

  const SLOW = (name: string) => `
name: ${name}
concurrency: 4
datasets: [{ plugin: synthetic-ratings, users: 30, items: 100, minRatings: 20, maxRatings: 30, minLiked: 5 }]
methods: [{ plugin: ./slow-method.ts, id: slow, delayMs: 15 }]
tasks: [{ task: preference-discrimination, ratios: [1, 3] }, { task: rating }]
`;

  it('a run killed with SIGKILL and rerun ends with exactly the predictions of an uninterrupted run', async () => {
    const { dir } = workspace('');
    writeFileSync(join(dir, 'a.yaml'), SLOW('same'));
    writeFileSync(join(dir, 'b.yaml'), SLOW('same').replace('name: same', 'name: same\noutput: reference'));

    const ref = run(['b.yaml', '--allow-local-plugins', '--quiet'], dir);
    expect(ref.status).toBe(0);

    const child = spawn(TSX, [CLI, 'run', 'a.yaml', '--allow-local-plugins', '--quiet'], { cwd: dir, stdio: 'ignore' });
    const predDir = join(dir, 'results/same/predictions');
    const started = Date.now();
    // Wait until some, but not all, units are on disk.
    while (Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
      const files = existsSync(predDir) ? predictionFiles(predDir) : {};
      const lines = Object.values(files).reduce((s, t) => s + t.split('\n').filter(Boolean).length, 0);
      if (lines >= 10) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const partial = predictionFiles(predDir);
    const partialLines = Object.values(partial).reduce((s, t) => s + t.split('\n').filter(Boolean).length, 0);
    const refFiles = predictionFiles(join(dir, 'reference/same/predictions'));
    const total = Object.values(refFiles).reduce((s, t) => s + t.split('\n').filter(Boolean).length, 0);
    expect(partialLines).toBeGreaterThan(0);
    expect(partialLines).toBeLessThan(total);

    const resumed = run(['a.yaml', '--allow-local-plugins'], dir);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/resuming: \d+ units? already done/);
    expect(predictionFiles(predDir)).toEqual(refFiles);
    expect(readFileSync(join(dir, 'results/same/metrics.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'reference/same/metrics.json'), 'utf8'),
    );
  });

  it('Ctrl-C stops cleanly, exits 130 and prints the command that resumes', async () => {
    const { dir } = workspace('');
    // Slow enough (90 units × 60 ms over 2 lanes ≈ 2.7 s) that the run cannot finish between the first line and the signal on a loaded machine.
    writeFileSync(join(dir, 'c.yaml'), SLOW('ctrlc').replace('delayMs: 15', 'delayMs: 60'));
    const child = spawn(TSX, [CLI, 'run', 'c.yaml', '--allow-local-plugins', '--set', 'concurrency=2'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const predDir = join(dir, 'results/ctrlc/predictions');
    const started = Date.now();
    while (
      Date.now() - started < 30_000 &&
      !(existsSync(predDir) && Object.keys(predictionFiles(predDir)).length > 0)
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(stderr).toContain('Resume with:');
    expect(stderr).toContain('npx usersim run c.yaml --allow-local-plugins --set concurrency=2');
    const manifest = JSON.parse(readFileSync(join(dir, 'results/ctrlc/manifest.json'), 'utf8')) as { status: string };
    expect(manifest.status).toBe('interrupted');
    const again = run(['c.yaml', '--allow-local-plugins', '--set', 'concurrency=2'], dir);
    expect(again.status).toBe(0);
  });

  it('a torn last line (interrupted write) is cut off and its unit runs again', async () => {
    const { dir } = workspace('');
    writeFileSync(join(dir, 'd.yaml'), SLOW('torn').replace('delayMs: 15', 'delayMs: 0'));
    expect(run(['d.yaml', '--allow-local-plugins', '--quiet'], dir).status).toBe(0);
    const file = join(dir, 'results/torn/predictions/synthetic-ratings/rating/slow.jsonl');
    const whole = readFileSync(file, 'utf8');
    const lines = whole.split('\n').filter(Boolean);
    writeFileSync(file, lines.slice(0, -1).join('\n') + '\n');
    appendFileSync(file, (lines[lines.length - 1] as string).slice(0, 40));
    const again = run(['d.yaml', '--allow-local-plugins'], dir);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('torn');
    expect(readFileSync(file, 'utf8')).toBe(whole);
  });

  it('exits 1 when units failed, 2 on a config error', () => {
    const { dir } = workspace('');
    writeFileSync(join(dir, 'e.yaml'), SLOW('errs').replace('delayMs: 15', 'delayMs: 0, failSuffix: "7"'));
    const r = run(['e.yaml', '--allow-local-plugins', '--quiet'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('unit error');
    writeFileSync(join(dir, 'f.yaml'), 'name: f\ndatasets: []\n');
    expect(run(['f.yaml'], dir).status).toBe(2);
  });
});
