import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { runConfig } from '../../../harness/runner/run.js';
import { startAnthropicServer, startOpenAiServer, type LlmTestServer } from '../../support/llm-servers/index.js';

const quiet = { info() {}, warn() {} };
const KEY = 'sk-test-canary-4f1d9c2e7b';

function config(name: string, llm: string, extra = ''): string {
  return `
name: ${name}
seed: 11
concurrency: 16
${llm}
cache: { path: cache/llm.sqlite }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 60, items: 200, minRatings: 20, maxRatings: 30, minLiked: 5 }
methods:
  - { plugin: zero-shot }
tasks:
  - { task: preference-discrimination, ratios: [1, 3] }
  - { task: rating }
${extra}`;
}

function workspace(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-llm-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

let openai: LlmTestServer;
let anthropic: LlmTestServer;

beforeAll(async () => {
  process.env['USERSIM_TEST_OPENAI_KEY'] = KEY;
  process.env['USERSIM_TEST_ANTHROPIC_KEY'] = KEY;
  openai = await startOpenAiServer({ apiKey: KEY, record: true });
  anthropic = await startAnthropicServer({ apiKey: KEY, record: true });
});
afterAll(async () => {
  await openai.close();
  await anthropic.close();
});

describe.each([
  [
    'openai',
    () =>
      `llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${openai.baseURL}", apiKeyEnv: USERSIM_TEST_OPENAI_KEY }`,
    () => openai,
  ],
  [
    'anthropic',
    () =>
      `llm: { plugin: anthropic, model: claude-3-7-sonnet-20250219, baseURL: "${anthropic.baseURL}", apiKeyEnv: USERSIM_TEST_ANTHROPIC_KEY }`,
    () => anthropic,
  ],
] as const)('%s: the real SDK against the local server', (provider, llm, server) => {
  it('completes a run; a --cache-only replay makes zero HTTP requests and writes byte-identical metrics.json', async () => {
    const { dir, file } = workspace(config(`run-${provider}`, llm()));
    server().reset();
    const first = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expect(first.unitErrors).toBe(0);
    expect(server().requestCount()).toBeGreaterThan(0);
    const m = first.metrics as MetricsFile;
    expect(m.cells.every((c) => c.units.errors === 0 && c.units.scored === c.units.total)).toBe(true);
    expect(m.usage.costUsd).toBeGreaterThan(0);
    const metrics1 = readFileSync(join(first.dir, 'metrics.json'), 'utf8');

    // A reviewer: a fresh folder with the same config and the shipped cache, no key, no server traffic.
    const reviewer = mkdtempSync(join(tmpdir(), 'usersim-reviewer-'));
    mkdirSync(join(reviewer, 'cache'));
    copyFileSync(join(dir, 'cache/llm.sqlite'), join(reviewer, 'cache/llm.sqlite'));
    copyFileSync(file, join(reviewer, 'config.yaml'));
    server().reset();
    const saved = process.env[provider === 'openai' ? 'USERSIM_TEST_OPENAI_KEY' : 'USERSIM_TEST_ANTHROPIC_KEY'];
    delete process.env[provider === 'openai' ? 'USERSIM_TEST_OPENAI_KEY' : 'USERSIM_TEST_ANTHROPIC_KEY'];
    try {
      const replay = await runConfig(await loadConfig(join(reviewer, 'config.yaml')), {
        log: quiet,
        cwd: reviewer,
        cacheOnly: true,
      });
      expect(replay.unitErrors).toBe(0);
      expect(server().requestCount()).toBe(0);
      const metrics2 = readFileSync(join(replay.dir, 'metrics.json'), 'utf8');
      expect(metrics2).toBe(metrics1);
      const manifest = JSON.parse(readFileSync(join(replay.dir, 'manifest.json'), 'utf8')) as {
        llmUsage: { cacheHits: number; calls: number; spentUsd: number };
      };
      expect(manifest.llmUsage.cacheHits).toBe(manifest.llmUsage.calls);
      expect(manifest.llmUsage.spentUsd).toBe(0);
    } finally {
      if (saved !== undefined)
        process.env[provider === 'openai' ? 'USERSIM_TEST_OPENAI_KEY' : 'USERSIM_TEST_ANTHROPIC_KEY'] = saved;
    }
  });
});

describe('cost limit and cache export', () => {
  it("costLimitUsd stops the run cleanly; raising it resumes; cache export ships exactly the run's entries", async () => {
    const { dir, file } = workspace(
      config(
        'costly',
        `llm: { plugin: openai, model: gpt-4.1, baseURL: "${openai.baseURL}", apiKeyEnv: USERSIM_TEST_OPENAI_KEY, maxConcurrency: 2 }`,
        'costLimitUsd: 0.01',
      ),
    );
    const stopped = await runConfig(await loadConfig(file, { sets: ['concurrency=2'] }), { log: quiet, cwd: dir });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.stopReason).toMatch(/cost limit reached/);
    const manifest = JSON.parse(readFileSync(join(stopped.dir, 'manifest.json'), 'utf8')) as {
      status: string;
      llmUsage: { spentUsd: number };
    };
    expect(manifest.status).toBe('stopped');
    // A call is sent only when its worst case fits: the run stops just short of the limit, never past it.
    expect(manifest.llmUsage.spentUsd).toBeGreaterThan(0);
    expect(manifest.llmUsage.spentUsd).toBeLessThanOrEqual(0.01);
    const resumed = await runConfig(await loadConfig(file, { sets: ['costLimitUsd=100'] }), { log: quiet, cwd: dir });
    expect(resumed.interrupted).toBe(false);
    expect(resumed.skipped).toBe(stopped.computed);

    const { cacheCommand } = await import('../../../harness/cli/commands/cache.js');
    const { parseArgv } = await import('../../../harness/cli/args.js');
    const out = join(dir, 'shipped.sqlite');
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(
        await cacheCommand(parseArgv(['cache', 'export', resumed.dir, out, '--cache', join(dir, 'cache/llm.sqlite')])),
      ).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const keys = readFileSync(join(resumed.dir, 'cache-keys.txt'), 'utf8').split('\n').filter(Boolean);
    const { LlmCache } = await import('../../../harness/llm/cache.js');
    const shipped = new LlmCache(out, true);
    expect(shipped.stats().entries).toBe(keys.length);
    shipped.close();
  });
});

describe('faults', () => {
  it('under 20% 429 (Retry-After), 5% 5xx, 2% timeouts, 5% malformed bodies and 5% schema-invalid replies the run finishes and counts every outcome', async () => {
    const server = await startOpenAiServer({
      apiKey: KEY,
      seed: 7,
      faults: {
        rateLimit: 0.2,
        retryAfterSeconds: 0.02,
        serverError: 0.05,
        timeout: 0.02,
        malformedJson: 0.05,
        schemaInvalid: 0.05,
      },
    });
    try {
      const { dir, file } = workspace(
        config(
          'faults',
          `llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_TEST_OPENAI_KEY, timeoutMs: 400, maxAttempts: 4, backoffBaseMs: 10, backoffCapMs: 50 }`,
          // On a loaded machine the 400 ms timeouts can fail many units: this test counts them, it must not stop.
          'maxErrorRate: 1',
        ),
      );
      const r = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
      const m = r.metrics as MetricsFile;
      for (const c of m.cells) expect(c.units.done).toBe(c.units.total);
      const errors = m.cells.reduce((s, c) => s + c.units.errors, 0);
      expect(r.unitErrors).toBe(errors);
      const injected = server.stats();
      expect(injected.faults['rateLimit'] ?? 0).toBeGreaterThan(10);
      expect(injected.faults['timeout'] ?? 0).toBeGreaterThan(0);
      // Retries absorb almost all faults; whatever remains is recorded per unit, with its kind.
      const lines = allFiles(join(r.dir, 'predictions')).flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { error: { kind: string } | null; answer: unknown }),
      );
      expect(lines.every((l) => (l.error === null) !== (l.answer === null))).toBe(true);
      expect(lines.filter((l) => l.error).length).toBe(errors);
    } finally {
      await server.close();
    }
  });
});

describe('secrets', () => {
  it('the API key appears nowhere: cache, results, manifest, logs, error messages', async () => {
    const { dir, file } = workspace(
      config(
        'secret',
        `llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${openai.baseURL}", apiKeyEnv: USERSIM_TEST_OPENAI_KEY, maxAttempts: 1 }`,
      ),
    );
    const logs: string[] = [];
    const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) };
    await runConfig(await loadConfig(file), { log, cwd: dir, limit: 5 });
    // A wrong key: the run stops (exit 2) with a 401 message that must not echo either key.
    process.env['USERSIM_TEST_OPENAI_KEY'] = `${KEY}-wrong`;
    let refused = '';
    try {
      refused = await runConfig(await loadConfig(file, { sets: ['name=secret-bad', 'seed=12'] }), {
        log,
        cwd: dir,
        limit: 3,
      }).then(
        () => '',
        (e: unknown) => (e as Error).message,
      );
    } finally {
      process.env['USERSIM_TEST_OPENAI_KEY'] = KEY;
    }
    expect(refused).toMatch(/HTTP 401/);
    expect(refused).toContain('USERSIM_TEST_OPENAI_KEY');
    expect(refused.includes(KEY)).toBe(false);
    const files = allFiles(dir).filter((f) => statSync(f).isFile());
    expect(files.some((f) => f.endsWith('llm.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('manifest.json'))).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(f).toString('latin1');
      expect(bytes.includes(KEY), `${f} contains the key`).toBe(false);
    }
    expect(logs.join('\n').includes(KEY)).toBe(false);
  });
});

describe('batch execution', () => {
  it('submits pending requests as a batch, survives a stop while it is pending, resumes by id and finishes from the cache', async () => {
    const server = await startOpenAiServer({ apiKey: KEY, batchPolls: Number.POSITIVE_INFINITY });
    try {
      const { dir, file } = workspace(
        config(
          'batch',
          `llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${server.baseURL}", apiKeyEnv: USERSIM_TEST_OPENAI_KEY, execution: batch, batchPollMs: 20 }`,
        ),
      );
      const stop = new AbortController();
      const running = runConfig(await loadConfig(file), { log: quiet, cwd: dir, signal: stop.signal });
      const ledger = join(dir, 'results/batch/batches.json');
      const started = Date.now();
      while (!existsSync(ledger) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 20));
      stop.abort();
      const stopped = await running;
      expect(stopped.interrupted).toBe(true);
      const pending = JSON.parse(readFileSync(ledger, 'utf8')) as Array<{ id: string; status: string }>;
      expect(pending.map((b) => b.status)).toEqual(['submitted']);
      // Only the preflight probe goes online; every unit's call waits for the batch.
      const chatCalls = server.requests.filter(
        (r) => r.path.endsWith('/chat/completions') && !JSON.stringify(r.body).includes('Preflight check'),
      ).length;
      expect(chatCalls).toBe(0);

      // The provider finishes the batch while nothing runs; the next run polls it by id
      // (and later stages' batches are finished by the "provider" as they come).
      server.completeBatches();
      const provider = setInterval(() => server.completeBatches(), 30);
      const resumed = await runConfig(await loadConfig(file), { log: quiet, cwd: dir }).finally(() =>
        clearInterval(provider),
      );
      expect(resumed.interrupted).toBe(false);
      const m = resumed.metrics as MetricsFile;
      for (const c of m.cells) expect(c.units.scored).toBe(c.units.total);
      const batches = JSON.parse(readFileSync(ledger, 'utf8')) as Array<{ id: string; status: string }>;
      expect(batches[0]).toMatchObject({ id: pending[0]?.id, status: 'ingested' });
      expect(batches.every((b) => b.status === 'ingested')).toBe(true);
      // The second run's probe came from the cache: the only online call is still the first run's probe.
      expect(server.requests.filter((r) => r.path.endsWith('/chat/completions')).length).toBe(1);
    } finally {
      await server.close();
    }
  });
});
