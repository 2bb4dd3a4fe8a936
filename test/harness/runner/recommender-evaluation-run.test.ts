import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { runConfig } from '../../../harness/runner/run.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';

const CONFIG = `
name: receval
seed: 5
concurrency: 4
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 25, items: 120, minRatings: 20, maxRatings: 30, minLiked: 5 }
recommenders:
  - { plugin: random }
  - { plugin: pop }
  - { plugin: itemknn }
methods:
  - { plugin: popularity }
  - { plugin: zero-shot }
tasks:
  - { task: recommender-evaluation, pageSize: 3, maxPages: 3 }
report: { baseline: popularity, B: 500 }
`;

describe('a recommender-evaluation run', () => {
  it('fits the recommenders, lets each method browse each one, scores per recommender and τ; a rerun reproduces metrics.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-receval-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, CONFIG);
    const logged: string[] = [];
    const first = await runConfig(await loadConfig(file), {
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(m) },
      cwd: dir,
    });
    expect(first.unitErrors).toBe(0);
    expect(logged).toContain('fitting recommender itemknn on syn');
    const out = join(dir, 'results', 'receval');
    const text = readFileSync(join(out, 'metrics.json'), 'utf8');
    const m = JSON.parse(text) as MetricsFile;
    const cell = (method: string) => m.cells.find((c) => c.method === method);
    const pop = cell('popularity');
    expect(pop?.status).toBe('ok');
    // One unit per (user with held-out items, recommender): 22 of the 25 users here (synthetic-ratings generator 2).
    expect(pop?.units.total).toBe(66);
    expect(Object.keys(pop?.metrics ?? {})).toHaveLength(13);
    expect(pop?.metrics['liked@pop']?.ci).toBeDefined();
    // τ is one value per method: no interval, no test.
    expect(pop?.metrics['tau']?.ci).toBeUndefined();
    expect(pop?.metrics['tau']?.extra?.['ndcg@random']).toBeLessThan(
      pop?.metrics['tau']?.extra?.['ndcg@pop'] as number,
    );
    // The popularity reference watches popular items, so it stays longer on pop's pages than on random's
    // (it leaves after the first page where it watched nothing).
    expect(pop?.metrics['pages@pop']?.value).toBe(3);
    expect(pop?.metrics['pages@random']?.value).toBeLessThan(3);
    expect(cell('zero-shot')?.usage.calls).toBeGreaterThan(0);
    expect(cell('zero-shot')?.metrics['liked@itemknn']?.comparison?.baseline).toBe('popularity');
    const line = JSON.parse(
      readFileSync(join(out, 'predictions', 'syn', 'recommender-evaluation', 'zero-shot.jsonl'), 'utf8').split(
        '\n',
      )[0] as string,
    ) as { unit: string; items: string[] };
    expect(line.unit).toMatch(/\|random$/);
    expect(line.items).toHaveLength(9);

    const again = await runConfig(await loadConfig(file), { log: { info() {}, warn() {} }, cwd: dir });
    expect(again.computed).toBe(0);
    expect(readFileSync(join(out, 'metrics.json'), 'utf8')).toBe(text);
  }, 60_000);
});
