import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { runConfig } from '../../../harness/runner/run.js';

const CONFIG = `
name: reuse
seed: 3
concurrency: 4
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, id: a, users: 24, items: 100, minRatings: 20, maxRatings: 30, minLiked: 5 }
  - { plugin: synthetic-ratings, id: b, users: 20, items: 90, minRatings: 20, maxRatings: 30, minLiked: 5 }
methods:
  - { plugin: popularity }
  - { plugin: zero-shot }
tasks:
  - { task: preference-discrimination, ratios: [1, 3] }
  - { task: rating }
report: { baseline: popularity, B: 300 }
`;

const FILES = ['metrics.json', 'comparisons.json', 'unit-scores.bin', 'score-inputs.json'];

function snapshot(dir: string) {
  return Object.fromEntries(
    FILES.map((f) => [f, { text: readFileSync(join(dir, f), 'utf8'), mtime: statSync(join(dir, f)).mtimeMs }]),
  );
}

async function run(root: string, sets: string[] = [], fresh = false) {
  const file = join(root, 'config.yaml');
  const cfg = await loadConfig(file, {
    sets: [`output=${join(root, 'results')}`, `cache.path=${join(root, 'llm.sqlite')}`, ...sets],
  });
  const infos: string[] = [];
  const out = await runConfig(cfg, { log: { info: (m) => infos.push(m), warn() {} }, fresh });
  return { out, infos };
}

describe('the score stage reuses what did not change', () => {
  it('a no-op rerun rewrites none of metrics.json, comparisons.json, unit-scores.bin; a changed report option recomputes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'usersim-reuse-'));
    writeFileSync(join(root, 'config.yaml'), CONFIG);
    const first = await run(root);
    const dir = first.out.dir;
    const before = snapshot(dir);
    await new Promise((r) => setTimeout(r, 20));
    // Without the rerun stamp the full path runs (plan, execute, score): the score stage itself reuses.
    rmSync(join(dir, 'rerun-stamp.json'));
    const again = await run(root);
    expect(again.out.computed).toBe(0);
    expect(again.infos).toContain('scores unchanged: metrics.json and comparisons.json reused');
    expect(snapshot(dir)).toEqual(before);
    // What the CLI renders from is what the first run scored (without the per-unit data).
    expect(JSON.stringify(again.out.metrics)).toBe(JSON.stringify(JSON.parse(before['metrics.json']!.text)));

    const other = await run(root, ['report.B=400']);
    expect(other.infos.some((m) => m.startsWith('scores unchanged'))).toBe(false);
    const after = snapshot(dir);
    expect(after['metrics.json']!.text).not.toBe(before['metrics.json']!.text);
    expect(after['metrics.json']!.text).toContain('B = 400');
    rmSync(root, { recursive: true, force: true });
  });

  it('after changed predictions only their table is scored again, and the files are those of scoring everything', async () => {
    const root = mkdtempSync(join(tmpdir(), 'usersim-reuse-'));
    writeFileSync(join(root, 'config.yaml'), CONFIG);
    const { out } = await run(root);
    const dir = out.dir;
    // A unit of dataset b answered otherwise (as a rerun with another answer would leave it).
    const path = join(dir, 'predictions/b/preference-discrimination/zero-shot.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const line = JSON.parse(lines[0] as string) as { scores: Record<string, number> };
    line.scores = { ...line.scores, accuracy: ((line.scores['accuracy'] as number) + 0.25) % 1 };
    lines[0] = JSON.stringify(line);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const again = await run(root);
    expect(again.out.computed).toBe(0);
    expect(again.infos, again.infos.join('; ')).toContain('scored again: b|3 (the other tables reused)');
    const partial = snapshot(dir);
    // Scoring everything from the same predictions gives the same files.
    rmSync(join(dir, 'score-inputs.json'));
    const all = await run(root);
    expect(all.infos.some((m) => m.startsWith('scored again') || m.startsWith('scores unchanged'))).toBe(false);
    const full = snapshot(dir);
    for (const f of ['metrics.json', 'comparisons.json', 'unit-scores.bin'])
      expect(partial[f]!.text, f).toBe(full[f]!.text);
    expect(partial['metrics.json']!.text).not.toBe('');
    rmSync(root, { recursive: true, force: true });
  });
});
