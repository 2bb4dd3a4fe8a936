import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { runConfig } from '../../../harness/runner/run.js';
import { startOpenAiServer, type LlmTestServer } from '../../support/llm-servers/index.js';
import { sharedDataset } from '../../support/shared-data.js';

const SIMULATORS = ['recagent', 'agent4rec', 'simuser', 'alignuser', 'alignuser-plus'] as const;
const quiet = { info() {}, warn() {} };
const ml100k = sharedDataset('movielens-100k');

function run(name: string, body: string) {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-sims-'));
  writeFileSync(
    join(dir, 'c.yaml'),
    `name: ${name}\nseed: 5\nconcurrency: 8\ncache: { path: cache/llm.sqlite }\nreport: { B: 2000 }\n${body}`,
  );
  return { dir, file: join(dir, 'c.yaml') };
}

// Small fits keep the suite fast; the defaults are documented in each README.
const alignFit = (m: string) => (m.startsWith('alignuser') ? ', fitUsers: 6' : '');

function expectAllAnswered(m: MetricsFile, datasets: readonly string[]): void {
  for (const d of datasets) {
    for (const sim of SIMULATORS) {
      for (const task of ['preference-discrimination', 'rating']) {
        const cell = m.cells.find((c) => c.dataset === d && c.method === sim && c.task === task);
        expect(cell, `${d}/${sim}/${task}`).toBeDefined();
        expect(cell?.status, `${d}/${sim}/${task}`).toBe('ok');
        expect(cell?.units.errors, `${d}/${sim}/${task}: ${JSON.stringify(cell?.units.errorKinds)}`).toBe(0);
        expect(cell?.units.scored).toBe(cell?.units.total);
        expect(cell?.units.total).toBeGreaterThan(0);
        expect(cell?.usage.calls).toBeGreaterThan(0);
      }
    }
  }
}

describe('every simulator, both tasks, end to end through the runner', () => {
  it('offline LLM: synthetic data and MovieLens-100K', async () => {
    const ds = [
      '  - { plugin: synthetic-ratings, id: synthetic, users: 30, items: 120, minRatings: 20, maxRatings: 30, minLiked: 5 }',
      ...(ml100k ? [`  - { plugin: movielens, id: ml100k, variant: 100k, path: "${ml100k}", split: agent4rec }`] : []),
    ];
    const { dir, file } = run(
      'sims-offline',
      `llm: { plugin: offline }\ndatasets:\n${ds.join('\n')}\nmethods:\n${SIMULATORS.map((m) => `  - { plugin: ${m}${alignFit(m)} }`).join('\n')}\ntasks:\n  - { task: preference-discrimination, ratios: [1, 3], users: 6 }\n  - { task: rating, users: 6 }\n`,
    );
    const r = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expectAllAnswered(r.metrics as MetricsFile, ml100k ? ['synthetic', 'ml100k'] : ['synthetic']);
  });

  describe('real openai client against the local server', () => {
    let server: LlmTestServer;
    beforeAll(async () => {
      process.env['USERSIM_SIMS_KEY'] = 'sk-sims';
      server = await startOpenAiServer({ apiKey: 'sk-sims', record: false });
    });
    afterAll(async () => server.close());

    it('synthetic data and MovieLens-100K', async () => {
      const ds = [
        '  - { plugin: synthetic-ratings, id: synthetic, users: 30, items: 120, minRatings: 20, maxRatings: 30, minLiked: 5 }',
        ...(ml100k
          ? [`  - { plugin: movielens, id: ml100k, variant: 100k, path: "${ml100k}", split: agent4rec }`]
          : []),
      ];
      const { dir, file } = run(
        'sims-openai',
        `llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_SIMS_KEY }\ndatasets:\n${ds.join('\n')}\nmethods:\n${SIMULATORS.map((m) => `  - { plugin: ${m}${alignFit(m)} }`).join('\n')}\ntasks:\n  - { task: preference-discrimination, ratios: [1], users: 3 }\n  - { task: rating, users: 3 }\n`,
      );
      const r = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
      expectAllAnswered(r.metrics as MetricsFile, ml100k ? ['synthetic', 'ml100k'] : ['synthetic']);
      expect(server.requestCount()).toBeGreaterThan(0);
    });
  });

  // Six methods are checked at once, so each interval is at the Bonferroni level
  // 1 − 0.05/6 (≈ 99.2%): the family of checks then holds at 95% when nothing leaks.
  it('offline LLM: every LLM simulator (and zero-shot) sits at chance: the CI of accuracy at 1:1 contains 0.5', async () => {
    const { dir, file } = run(
      'sims-chance',
      `llm: { plugin: offline }\ndatasets:\n  - { plugin: synthetic-ratings, id: synthetic, users: 150, items: 300, minRatings: 20, maxRatings: 40, minLiked: 5 }\nmethods:\n${SIMULATORS.map((m) => `  - { plugin: ${m}${alignFit(m)} }`).join('\n')}\n  - { plugin: zero-shot }\n  - { plugin: popularity }\ntasks:\n  - { task: preference-discrimination, ratios: [1] }\n`,
    );
    const r = await runConfig(await loadConfig(file, { sets: [`report.level=${1 - 0.05 / 6}`] }), {
      log: quiet,
      cwd: dir,
    });
    const m = r.metrics as MetricsFile;
    for (const sim of [...SIMULATORS, 'zero-shot']) {
      const acc = m.cells.find((c) => c.method === sim)?.metrics['accuracy@1:1'];
      expect(acc?.n).toBeGreaterThan(100);
      expect(acc?.ci, sim).toBeDefined();
      expect(acc!.ci!.lo, `${sim}: ${acc?.value} [${acc?.ci?.lo}, ${acc?.ci?.hi}]`).toBeLessThanOrEqual(0.5);
      expect(acc!.ci!.hi, `${sim}: ${acc?.value} [${acc?.ci?.lo}, ${acc?.ci?.hi}]`).toBeGreaterThanOrEqual(0.5);
    }
    // The check can fail: the non-LLM reference, which uses real training signal, is far from chance.
    const pop = m.cells.find((c) => c.method === 'popularity')?.metrics['accuracy@1:1'];
    expect(pop!.ci!.lo).toBeGreaterThan(0.5);
  });
});
