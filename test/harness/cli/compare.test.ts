import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from '../../../harness/report/compare-runs.js';
import type { Cell, CellMetric, MetricsFile } from '../../../harness/results/metrics-file.js';
import { type LlmTestServer, startOpenAiServer } from '../../support/llm-servers/index.js';
import { PROJECT_ROOT } from '../../support/project.js';
import { usersim } from './in-process.js';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-compare-'));
const KEY = 'sk-test-compare';
// A real provider (the openai SDK against a local server): the offline mock is never cached, so it cannot be replayed.
let server: LlmTestServer;
beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: KEY });
  process.env['USERSIM_TEST_COMPARE_KEY'] = KEY;
});
afterAll(async () => {
  await server.close();
  delete process.env['USERSIM_TEST_COMPARE_KEY'];
  rmSync(tmp, { recursive: true, force: true });
});

const QUICK = join(PROJECT_ROOT, 'configs', 'quickstart.yaml');
const small = (output: string) => [
  '--set',
  `llm={plugin: openai, model: gpt-4.1-mini, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_TEST_COMPARE_KEY}`,
  '--set',
  'datasets.0.users=30',
  '--set',
  'datasets.0.items=100',
  '--set',
  'report.B=200',
  '--set',
  `output=${join(tmp, output)}`,
  '--set',
  `cache.path=${join(tmp, 'llm.sqlite')}`,
  '--quiet',
];

describe('usersim compare', () => {
  it('a run and its --cache-only replay: exit 0; two seeds: exit 1, naming the cells and the config hash', async () => {
    expect((await usersim(['run', QUICK, ...small('a')])).status).toBe(0);
    const before = server.stats().total;
    expect((await usersim(['run', QUICK, ...small('replay'), '--cache-only'])).status).toBe(0);
    expect(server.stats().total).toBe(before);
    expect((await usersim(['run', QUICK, ...small('seed7'), '--set', 'seed=7'])).status).toBe(0);
    const a = join(tmp, 'a', 'quickstart');

    const same = await usersim(['compare', a, join(tmp, 'replay', 'quickstart')]);
    expect(same.status, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toContain('Same config hash, models, statistics, dataset checksums and prompts.');
    expect(same.stdout).toMatch(/\b(\d+) value\(s\): \1 identical, 0 within 0, 0 different\./);

    const other = await usersim(['compare', a, join(tmp, 'seed7', 'quickstart', 'metrics.json')]);
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/^DIFFERENT seeds: 2024 \(A\) vs 7 \(B\)$/m);
    expect(other.stdout).toMatch(/^DIFFERENT config hash: [0-9a-f]+ \(A\) vs [0-9a-f]+ \(B\)$/m);
    expect(other.stdout).toMatch(
      /^ {2}synthetic \/ rating \/ mf \/ RMSE: [\d.]+ \(A\) vs [\d.]+ \(B\): differs by [-+][\d.e-]+/m,
    );
    expect(other.stdout).toMatch(/intervals (do NOT )?overlap/);
  }, 60_000);
});

describe('compareRuns', () => {
  const metric = (value: number | null, lo: number, hi: number, n = 10): CellMetric => ({
    label: 'M',
    direction: 'higher',
    unitScore: 's',
    estimator: 'mean',
    value,
    n,
    unitIds: [],
    unitKeys: [],
    unitScores: [],
    ...(value === null ? {} : { ci: { lo, hi, level: 0.95, method: 'p' } }),
  });
  const cell = (method: string, m: CellMetric, over: Partial<Cell> = {}): Cell =>
    ({
      dataset: 'd',
      task: 't',
      method,
      seed: 1,
      status: 'ok',
      llm: null,
      units: { total: 10, done: 10, scored: 10, errors: 0, errorKinds: {} },
      usage: {
        calls: 0,
        input: 0,
        cachedInput: 0,
        output: 0,
        costUsd: 0,
        perUnit: { calls: 0, input: 0, output: 0, costUsd: 0 },
        perCallCostUsd: 0,
      },
      metrics: { m: m },
      ...over,
    }) as Cell;
  const file = (cells: Cell[], hash = 'h'): MetricsFile =>
    ({
      formatVersion: 1,
      name: 'r',
      configHash: hash,
      columns: [],
      datasets: ['d'],
      methods: [],
      seeds: [1],
      cells,
      usage: cells[0]?.usage,
    }) as MetricsFile;

  it('identical, within the tolerance, or different by how much and whether the intervals overlap', () => {
    const a = file([
      cell('x', metric(0.5, 0.4, 0.6)),
      cell('y', metric(0.5, 0.4, 0.6)),
      cell('z', metric(0.5, 0.45, 0.55)),
    ]);
    const b = file([
      cell('x', metric(0.5, 0.4, 0.6)),
      cell('y', metric(0.5004, 0.4003, 0.6002)),
      cell('z', metric(0.7, 0.65, 0.75)),
    ]);
    const r = compareRuns({ metrics: a, manifest: null }, { metrics: b, manifest: null }, 0.001);
    expect(r.values.map((v) => [v.method, v.verdict])).toEqual([
      ['x', 'identical'],
      ['y', 'within-tolerance'],
      ['z', 'different'],
    ]);
    expect(r.values[2]?.overlap).toBe(false);
    expect(r.values[2]?.why).toBe('differs by +0.200, intervals do NOT overlap');
    expect(r.flags).toEqual([]);
    // Without a tolerance the tiny difference counts.
    expect(compareRuns({ metrics: a, manifest: null }, { metrics: b, manifest: null }, 0).counts.different).toBe(2);
  });

  it('flags another config hash and model, a different n, an n/a on one side and a missing cell', () => {
    const llm = { provider: 'openai', model: 'gpt-4.1-mini', mock: false };
    const a = file([
      cell('x', metric(0.5, 0.4, 0.6)),
      cell('y', metric(0.5, 0.4, 0.6)),
      cell('w', metric(0.1, 0, 0.2)),
    ]);
    const b = file(
      [
        cell('x', metric(0.5, 0.4, 0.6, 9), { llm }),
        cell('y', metric(null, 0, 0), {
          status: 'n/a',
          naKind: 'no-capability',
          reason: 'y has no rate capability',
          metrics: {},
        }),
      ],
      'other',
    );
    const r = compareRuns({ metrics: a, manifest: null }, { metrics: b, manifest: null }, 0);
    expect(r.flags.map((f) => f.what)).toEqual(['config hash', 'model of x']);
    expect(r.values.map((v) => [v.method, v.verdict, v.why])).toEqual([
      ['x', 'different', 'same value, n 10 vs 9, intervals overlap'],
      ['y', 'different', 'n/a in one run only'],
      ['w', 'different', 'only in A'],
    ]);
  });
});
