import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { runConfig } from '../../../harness/runner/run.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';

const quiet = { info() {}, warn() {} };

// A ratings and a sessions dataset in one run: each task runs where it applies and is n/a elsewhere.
const MIXED = `
name: mixed
seed: 11
concurrency: 4
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-sessions, id: shop, users: 8, minSessions: 3, maxSessions: 5 }
  - { plugin: synthetic-ratings, id: films, users: 12, items: 60, minRatings: 20, maxRatings: 25, minLiked: 5 }
methods:
  - { plugin: markov }
  - { plugin: zero-shot }
  - { plugin: popularity }
tasks:
  - { task: next-action }
  - { task: rating }
report: { baseline: markov, B: 500 }
`;

describe('a run over a sessions dataset (next-action)', () => {
  let saved: string | undefined;
  let dir: string;
  beforeAll(() => {
    saved = process.env['USERSIM_DATASETS_DIR'];
    dir = mkdtempSync(join(tmpdir(), 'usersim-sessions-run-'));
    process.env['USERSIM_DATASETS_DIR'] = join(dir, 'datasets');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
    else process.env['USERSIM_DATASETS_DIR'] = saved;
  });

  it('scores next-action on sessions, rating on ratings, n/a with a reason elsewhere; a rerun reproduces metrics.json', async () => {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, MIXED);
    const first = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expect(first.unitErrors).toBe(0);
    const text = readFileSync(join(dir, 'results', 'mixed', 'metrics.json'), 'utf8');
    const m = JSON.parse(text) as MetricsFile;
    const at = (dataset: string, task: string, method: string) =>
      m.cells.find((c) => c.dataset === dataset && c.task === task && c.method === method);

    for (const method of ['markov', 'zero-shot']) {
      const c = at('shop', 'next-action', method);
      expect(c?.status).toBe('ok');
      expect(Object.keys(c?.metrics ?? {})).toEqual([
        'action-accuracy',
        'action-type-f1',
        'click-type-f1',
        'outcome-f1',
      ]);
      for (const metric of Object.values(c?.metrics ?? {})) {
        expect(metric.value).toBeGreaterThanOrEqual(0);
        expect(metric.value).toBeLessThanOrEqual(1);
        expect(metric.ci?.lo).toBeLessThanOrEqual(metric.value as number);
      }
      expect(c?.units.total).toBeGreaterThan(0);
    }
    // The non-LLM reference knows the shop's usual flow: it beats the offline mock on action-type F1.
    expect(at('shop', 'next-action', 'markov')?.metrics['action-type-f1']?.value).toBeGreaterThan(
      at('shop', 'next-action', 'zero-shot')?.metrics['action-type-f1']?.value as number,
    );
    expect(at('shop', 'next-action', 'zero-shot')?.usage.calls).toBeGreaterThan(0);
    expect(at('shop', 'next-action', 'zero-shot')?.metrics['outcome-f1']?.comparison?.baseline).toBe('markov');

    expect(at('shop', 'next-action', 'popularity')).toMatchObject({
      status: 'n/a',
      reason: 'popularity has no nextAction capability',
    });
    expect(at('shop', 'rating', 'zero-shot')).toMatchObject({
      status: 'n/a',
      reason: expect.stringMatching(/rating reads ratings datasets; synthetic-sessions holds sessions/),
    });
    expect(at('films', 'next-action', 'zero-shot')).toMatchObject({
      status: 'n/a',
      reason: expect.stringMatching(/next-action reads sessions datasets; \S+ holds ratings/),
    });
    expect(at('films', 'rating', 'markov')).toMatchObject({ status: 'n/a', reason: 'markov has no rate capability' });
    expect(at('films', 'rating', 'zero-shot')?.status).toBe('ok');

    const line = JSON.parse(
      readFileSync(
        join(dir, 'results', 'mixed', 'predictions', 'shop', 'next-action', 'zero-shot.jsonl'),
        'utf8',
      ).split('\n')[0] as string,
    ) as { answer: { steps: unknown[] }; items: string[] };
    expect(line.answer.steps).toHaveLength(line.items.length);

    const manifest = JSON.parse(readFileSync(join(dir, 'results', 'mixed', 'manifest.json'), 'utf8')) as {
      choices: string[];
      datasets: Record<string, { split: string; counts?: Record<string, number> }>;
      methods: Record<string, { plugin: string; version: number }>;
      tasks: Record<string, { version: number }>;
    };
    // Protocol versions: each method's and task's, so a reader knows which protocol produced the numbers.
    expect(manifest.methods['markov']).toEqual({ plugin: 'markov', version: 1 });
    expect(manifest.tasks['next-action']).toEqual({ version: 2 });
    expect(manifest.choices.some((c) => c.startsWith('next-action: a click matches on its target alone'))).toBe(true);
    // The opera loader's counts reach the manifest: every generated row is a step, every gold target on its page.
    const counts = manifest.datasets['shop']?.counts;
    expect(counts?.['steps']).toBeGreaterThan(0);
    expect(counts).toMatchObject({
      actionRows: counts?.['steps'],
      withoutSemanticId: 0,
      skippedUntargeted: 0,
      goldTargetsCut: 0,
      goldTargetsNotOnPage: 0,
    });
    expect(manifest.datasets['films']?.counts).toBeUndefined();
    expect(manifest.choices.some((c) => c.startsWith('markov: first order'))).toBe(true);
    expect(manifest.datasets['shop']?.split).toBe('sessions');

    const second = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expect(second.computed).toBe(0);
    expect(readFileSync(join(dir, 'results', 'mixed', 'metrics.json'), 'utf8')).toBe(text);
  }, 60_000);
});
