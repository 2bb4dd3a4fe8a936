import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { ConfigError } from '../../../harness/config/config-error.js';
import { runConfig } from '../../../harness/runner/run.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { startOpenAiServer, startSloppyServer } from '../../support/llm-servers/index.js';

const quiet = { info() {}, warn() {} };
const CONFIG = `
name: consistency
seed: 4
concurrency: 4
llm: { plugin: offline }
judge: { plugin: offline, model: judge-mock }
datasets:
  - { plugin: synthetic-sessions, id: shop, users: 16, minSessions: 3, maxSessions: 5 }
methods:
  - { plugin: markov }
  - { plugin: zero-shot }
tasks:
  - { task: opera-consistency, maxSteps: 8 }
report: { baseline: markov, B: 500 }
`;

describe('an opera-consistency run', () => {
  let saved: string | undefined;
  let dir: string;
  beforeAll(() => {
    saved = process.env['USERSIM_DATASETS_DIR'];
    dir = mkdtempSync(join(tmpdir(), 'usersim-consistency-'));
    process.env['USERSIM_DATASETS_DIR'] = join(dir, 'datasets');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
    else process.env['USERSIM_DATASETS_DIR'] = saved;
  });

  it('simulates sessions in the text shop, judges them with the configured judge, compares with the humans; a rerun reproduces metrics.json', async () => {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, CONFIG);
    const first = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expect(first.unitErrors).toBe(0);
    const out = join(dir, 'results', 'consistency');
    const text = readFileSync(join(out, 'metrics.json'), 'utf8');
    const m = JSON.parse(text) as MetricsFile;
    const cell = (method: string) => m.cells.find((c) => c.method === method);
    for (const method of ['markov', 'zero-shot']) {
      const c = cell(method);
      expect(c?.status).toBe('ok');
      expect(Object.keys(c?.metrics ?? {})).toEqual([
        'thought-action',
        'persona-behaviour',
        'pages-gap',
        'purchase-gap',
      ]);
      const gap = c?.metrics['purchase-gap'];
      expect(gap?.value).toBeCloseTo(
        Math.abs((gap?.extra?.['simulated'] as number) - (gap?.extra?.['human'] as number)),
        9,
      );
      expect(gap?.ci).toBeDefined();
    }
    // One judge call per session, counted in the cell's usage (markov makes no call of its own).
    expect(cell('markov')?.usage.calls).toBe(cell('markov')?.units.done);
    expect(cell('markov')?.units.done).toBeGreaterThan(2);
    // Gaps are not tested against the baseline; the judged shares are.
    expect(cell('zero-shot')?.metrics['pages-gap']?.comparison).toBeUndefined();
    expect(cell('zero-shot')?.metrics['thought-action']?.comparison?.baseline).toBe('markov');

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      prompts: Record<string, Record<string, string>>;
      llms: Record<string, { model: string }>;
      choices: string[];
    };
    expect(Object.keys(manifest.prompts['task:opera-consistency'] ?? {})).toEqual([
      'judgeSystem',
      'judge',
      'humanLikeSystem',
      'humanLike',
    ]);
    expect(manifest.llms['(judge)']?.model).toBe('judge-mock');
    expect(manifest.choices.some((c) => c.startsWith('text shop (ours)'))).toBe(true);

    const again = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expect(again.computed).toBe(0);
    expect(readFileSync(join(out, 'metrics.json'), 'utf8')).toBe(text);
  }, 60_000);

  it("a configured recommender ranks the shop's search results; an unknown one is a config error", async () => {
    const file = join(dir, 'ranked.yaml');
    const text = CONFIG.replace('name: consistency', 'name: ranked')
      .replace('tasks:\n', 'recommenders:\n  - { plugin: pop }\n  - { plugin: itemknn }\ntasks:\n')
      .replace(
        '{ task: opera-consistency, maxSteps: 8 }',
        '{ task: opera-consistency, maxSteps: 8, recommender: itemknn }',
      );
    writeFileSync(file, text);
    const logged: string[] = [];
    const r = await runConfig(await loadConfig(file), {
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(m) },
      cwd: dir,
    });
    expect(r.unitErrors).toBe(0);
    expect(logged).toContain('fitting recommender itemknn on shop');
    writeFileSync(file, text.replace('recommender: itemknn }', 'recommender: itemnn }'));
    const e = await loadConfig(file).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(
      /tasks\[0\]\.recommender: "itemnn" is not a recommender id of this config\. Did you mean "itemknn"\?/,
    );
  }, 60_000);

  it('a config with neither judge: nor llm: is refused with the fix', async () => {
    const file = join(dir, 'nojudge.yaml');
    writeFileSync(
      file,
      CONFIG.replace('llm: { plugin: offline }\n', '')
        .replace('judge: { plugin: offline, model: judge-mock }\n', '')
        .replace('  - { plugin: zero-shot }\n', ''),
    );
    const e = await loadConfig(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toMatch(
      /tasks\[0\]: this task has an LLM judge score the simulated sessions: add a top-level "judge:"/,
    );
  });

  it("a real judge's answers go into the cache even when no method calls an LLM; a --cache-only replay makes no request", async () => {
    process.env['USERSIM_TEST_JUDGE_KEY'] = 'sk-judge-test';
    const server = await startOpenAiServer({ apiKey: 'sk-judge-test', record: false });
    try {
      const text = CONFIG.replace('llm: { plugin: offline }\n', '')
        .replace(
          'judge: { plugin: offline, model: judge-mock }',
          `judge: { plugin: openai, model: gpt-4.1, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_TEST_JUDGE_KEY }\ncache: { path: cache/llm.sqlite }`,
        )
        .replace('  - { plugin: zero-shot }\n', '');
      const a = join(dir, 'judged-a');
      mkdirSync(a, { recursive: true });
      writeFileSync(join(a, 'config.yaml'), text);
      const first = await runConfig(await loadConfig(join(a, 'config.yaml')), { log: quiet, cwd: a });
      expect(first.unitErrors).toBe(0);
      const calls = server.stats().total;
      expect(calls).toBeGreaterThan(0);
      const b = join(dir, 'judged-b');
      mkdirSync(join(b, 'cache'), { recursive: true });
      writeFileSync(join(b, 'config.yaml'), text);
      copyFileSync(join(a, 'cache', 'llm.sqlite'), join(b, 'cache', 'llm.sqlite'));
      const replay = await runConfig(await loadConfig(join(b, 'config.yaml')), { log: quiet, cwd: b, cacheOnly: true });
      expect(replay.unitErrors).toBe(0);
      expect(server.stats().total).toBe(calls);
      expect(readFileSync(join(b, 'results', 'consistency', 'metrics.json'), 'utf8')).toBe(
        readFileSync(join(a, 'results', 'consistency', 'metrics.json'), 'utf8'),
      );
    } finally {
      await server.close();
    }
  }, 60_000);

  it('humanLikeness: one more judge call per session, a Human-like column for every method and the Human (OPeRA) row, the method never named', async () => {
    process.env['USERSIM_TEST_HL_KEY'] = 'sk-hl-test';
    const server = await startOpenAiServer({ apiKey: 'sk-hl-test' });
    try {
      const file = join(dir, 'hl.yaml');
      writeFileSync(
        file,
        CONFIG.replace('name: consistency', 'name: hl')
          .replace(
            'judge: { plugin: offline, model: judge-mock }',
            `judge: { plugin: openai, model: gpt-4.1, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_TEST_HL_KEY }`,
          )
          .replace(
            '{ task: opera-consistency, maxSteps: 8 }',
            '{ task: opera-consistency, maxSteps: 8, humanLikeness: true }',
          ),
      );
      const r = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
      expect(r.unitErrors).toBe(0);
      const m = JSON.parse(readFileSync(join(dir, 'results', 'hl', 'metrics.json'), 'utf8')) as MetricsFile;
      const cells = m.cells.filter((c) => c.task === 'opera-consistency');
      const human = cells.find((c) => c.reference);
      expect(human?.reference?.label).toBe('Human (OPeRA)');
      for (const c of cells) {
        const v = c.metrics['human-likeness'];
        expect(v?.value, c.method).toBeGreaterThanOrEqual(1);
        expect(v?.value, c.method).toBeLessThanOrEqual(5);
        expect(v?.n).toBe(c.units.done);
      }
      expect(human?.metrics['thought-action']?.value ?? Number.NaN).toBeNaN();
      // markov calls no LLM: per session, the consistency judgement and the human-likeness one.
      const markov = cells.find((c) => c.method === 'markov');
      expect(markov?.usage.calls).toBe(2 * (markov?.units.done ?? 0));
      const judged = server.requests
        .map((q) => JSON.stringify((q.body as { messages?: unknown }).messages ?? ''))
        .filter((t) => t.includes('most like an AI'));
      // Every simulated session and every human one, once.
      expect(judged).toHaveLength(2 * (markov?.units.done ?? 0) + (human?.units.done ?? 0));
      for (const t of judged) expect(t).not.toMatch(/markov|zero-shot|Human \(OPeRA\)/i);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('humanLikeness with a judge answering like a small open model: slips mended or repaired, every session judged or its error kept', async () => {
    process.env['USERSIM_TEST_HL_SLOPPY'] = 'local';
    const server = await startSloppyServer({
      record: false,
      rates: {
        fenced: 0.1,
        prose: 0.1,
        trailingText: 0.05,
        trailingComma: 0.1,
        singleQuotes: 0.03,
        comment: 0.03,
        missingField: 0.08,
        truncated: 0.02,
        persistent: 0.03,
        repairRepeats: 0.3,
      },
    });
    try {
      const file = join(dir, 'hl-sloppy.yaml');
      writeFileSync(
        file,
        CONFIG.replace('name: consistency', 'name: hl-sloppy')
          .replace('users: 16, minSessions: 3, maxSessions: 5', 'users: 60, minSessions: 3, maxSessions: 5')
          .replace(
            'judge: { plugin: offline, model: judge-mock }',
            `judge: { plugin: openai, model: sloppy-7b, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_TEST_HL_SLOPPY, backoffBaseMs: 1, backoffCapMs: 5 }\nmaxErrorRate: 1`,
          )
          .replace('  - { plugin: zero-shot }\n', '')
          .replace(
            '{ task: opera-consistency, maxSteps: 8 }',
            '{ task: opera-consistency, maxSteps: 8, humanLikeness: true }',
          ),
      );
      const r = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
      expect(server.counts.firstMalformed).toBeGreaterThan(0);
      expect(server.counts.repairs).toBeGreaterThan(0);
      const m = JSON.parse(readFileSync(join(dir, 'results', 'hl-sloppy', 'metrics.json'), 'utf8')) as MetricsFile;
      for (const c of m.cells.filter((x) => x.task === 'opera-consistency')) {
        expect(c.units.done, c.method).toBe(c.units.total);
        // What the judge could not answer is a unit error of a reply kind, never a crash.
        for (const kind of Object.keys(c.units.errorKinds)) expect(['parse', 'truncated']).toContain(kind);
        const v = c.metrics['human-likeness'];
        expect(v?.value, c.method).toBeGreaterThanOrEqual(1);
        expect(v?.value, c.method).toBeLessThanOrEqual(5);
        expect(v?.n, c.method).toBe(c.units.done - c.units.errors);
      }
      expect(r.replies?.libraryRepairs ?? 0).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 60_000);
});
