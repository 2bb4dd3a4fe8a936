import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { LlmCache } from '../../../harness/llm/cache.js';
import type { Manifest } from '../../../harness/results/manifest.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import type { PredictionLine } from '../../../harness/results/prediction-line.js';
import { RunError } from '../../../harness/runner/run-error.js';
import { sampleBrowserHtml } from '../../../harness/report/sample-browser.js';
import { runConfig } from '../../../harness/runner/run.js';
import { startSloppyServer, type SloppyServer } from '../../support/llm-servers/index.js';

const quiet = { info() {}, warn() {} };
const KEY_ENV = 'USERSIM_TEST_SLOPPY_KEY';

/** A small grid on a sloppy model: a fit-heavy method, a plain LLM method and a non-LLM reference. */
function config(name: string, baseURL: string, extra = '', tasks = '  - { task: rating, users: 24 }'): string {
  return `
name: ${name}
seed: 5
concurrency: 8
llm: { plugin: openai, model: sloppy-7b, baseURL: "${baseURL}", apiKeyEnv: ${KEY_ENV}, backoffBaseMs: 1, backoffCapMs: 5 }
cache: { path: cache/llm.sqlite }
prices: { sloppy-7b: { input: 1, output: 2 } }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 30, items: 120, minRatings: 20, maxRatings: 30, minLiked: 5 }
methods:
  - { plugin: alignuser, training: in-context, fitUsers: 6, pagesPerUser: 1 }
  - { plugin: zero-shot }
  - { plugin: popularity }
tasks:
${tasks}
report: { B: 200, formats: [txt] }
# Far sloppier than a real model, and AlignUSER makes three structured calls per unit.
maxErrorRate: 0.6
${extra}`;
}

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'usersim-real-'));
}

function write(dir: string, text: string, file = 'config.yaml'): string {
  const p = join(dir, file);
  writeFileSync(p, text);
  return p;
}

const readLines = (path: string): PredictionLine[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PredictionLine);

/** What a reviewer gets: the run's own export, in a fresh folder with no artifacts and no server. */
function exportTo(from: string, name: string, to: string): void {
  const keys = readFileSync(join(from, 'results', name, 'cache-keys.txt'), 'utf8')
    .split('\n')
    .filter(Boolean);
  mkdirSync(join(to, 'cache'), { recursive: true });
  const c = new LlmCache(join(from, 'cache/llm.sqlite'), true);
  const r = c.exportKeys(keys, join(to, 'cache/llm.sqlite'));
  c.close();
  expect(r.missing).toEqual([]);
}

async function replayMatches(dir: string, name: string, text: string): Promise<void> {
  const fresh = workspace();
  exportTo(dir, name, fresh);
  expect(existsSync(join(fresh, 'cache/artifacts'))).toBe(false);
  const file = write(fresh, text);
  const before = server.requestCount();
  const replay = await runConfig(await loadConfig(file), { log: quiet, cwd: fresh, cacheOnly: true });
  expect(server.requestCount()).toBe(before);
  expect(replay.interrupted).toBe(false);
  for (const f of ['metrics.json', 'comparisons.json']) {
    if (process.env['DBG_REPLAY']) {
      writeFileSync(`/tmp/replay-${name}-${f}`, readFileSync(join(fresh, 'results', name, f), 'utf8'));
      writeFileSync(`/tmp/orig-${name}-${f}`, readFileSync(join(dir, 'results', name, f), 'utf8'));
    }
    expect(readFileSync(join(fresh, 'results', name, f), 'utf8')).toBe(
      readFileSync(join(dir, 'results', name, f), 'utf8'),
    );
  }
}

let server: SloppyServer;

beforeAll(async () => {
  process.env[KEY_ENV] = 'local';
  // Much sloppier than a real small model, so that a small grid meets every kind of slip.
  server = await startSloppyServer({
    record: false,
    rates: {
      fenced: 0.06,
      prose: 0.05,
      trailingText: 0.04,
      trailingComma: 0.06,
      singleQuotes: 0.02,
      comment: 0.02,
      missingField: 0.05,
      truncated: 0.01,
      persistent: 0.05,
      repairRepeats: 0.4,
    },
  });
});
afterAll(async () => {
  await server.close();
});

describe('runs against a sloppy model', () => {
  it('survive its replies: every method scored, bad replies kept with stage and raw text, fit items left out and counted, fit calls in the rows; the export replays byte-identically, also for a second config reusing the fit; --retry-errors on a clean model ends with 0 errors', async () => {
    server.setClean(false);
    const dir = workspace();
    const text = config('sloppy', server.baseURL);
    const first = await runConfig(await loadConfig(write(dir, text)), { log: quiet, cwd: dir });
    expect(first.interrupted).toBe(false);
    const m = first.metrics as MetricsFile;
    for (const method of ['alignuser', 'zero-shot', 'popularity']) {
      const cell = m.cells.find((c) => c.method === method);
      expect(cell?.units.scored, method).toBeGreaterThan(0);
    }
    expect(first.unitErrors).toBeGreaterThan(0);
    expect(first.replies?.libraryRepairs).toBeGreaterThan(0);
    expect(first.replies?.repairs).toBeGreaterThan(0);

    // A parse error keeps the raw reply, the stage and the validation error; its calls are listed.
    const lines = readLines(join(dir, 'results/sloppy/predictions/syn/rating/zero-shot.jsonl'));
    const bad = lines.find((l) => l.error?.kind === 'parse');
    expect(bad?.error?.reply).toBeTruthy();
    expect(bad?.error?.stage).toBeTruthy();
    expect(bad?.error?.validation).toMatch(/schema|not JSON/);
    expect(bad?.calls?.some((c) => c.repair && c.json === 'invalid')).toBe(true);

    // The fit: its items attempted / succeeded / failed, its calls in the alignuser row.
    const manifest = JSON.parse(readFileSync(join(dir, 'results/sloppy/manifest.json'), 'utf8')) as Manifest;
    const fit = manifest.fits?.find((f) => f.method === 'alignuser');
    // A persona and a transition for each of the 6 fit users.
    expect(fit?.items.attempted).toBe(12);
    expect(fit?.items.succeeded).toBeGreaterThan(0);
    expect(fit?.usage.calls).toBeGreaterThan(20);
    const au = m.cells.find((c) => c.method === 'alignuser');
    expect(au?.usage.fit?.calls).toBe(fit?.usage.calls);
    expect(au?.usage.total?.calls).toBe((au?.usage.calls ?? 0) + (fit?.usage.calls ?? 0));
    expect(m.usage.total?.calls).toBeGreaterThan(m.usage.calls);
    expect(manifest.invocations).toHaveLength(1);

    // The HTML report's sample browser: a few units per cell, errors first, with prompts and replies.
    const html = sampleBrowserHtml(join(dir, 'results/sloppy'), { manifest });
    const zs = html.slice(html.indexOf('zero-shot / rating on syn'));
    expect(zs).toMatch(/^zero-shot \/ rating on syn <small>24 units with LLM calls, [1-9]\d* with an error; 3 shown/);
    expect(zs.indexOf('error</span>')).toBeLessThan(zs.indexOf('<summary>unit', zs.indexOf('<summary>unit') + 1));
    expect(zs).toContain('Rate each of the following');
    expect(zs).toContain('reply (invalid)');

    await replayMatches(dir, 'sloppy', text);

    // Another config in the same checkout reuses alignuser's fit artifact: its export still replays.
    const text2 = config(
      'sloppy-pref',
      server.baseURL,
      '',
      '  - { task: preference-discrimination, ratios: [1], users: 24 }',
    );
    const before = server.requestCount();
    const second = await runConfig(await loadConfig(write(dir, text2, 'config2.yaml')), { log: quiet, cwd: dir });
    expect(second.interrupted).toBe(false);
    const m2 = second.metrics as MetricsFile;
    expect(m2.cells.find((c) => c.method === 'alignuser')?.usage.fit?.calls).toBe(fit?.usage.calls);
    expect(server.requestCount()).toBeGreaterThan(before);
    await replayMatches(dir, 'sloppy-pref', text2);

    // The model now answers cleanly: --retry-errors asks again under the next attempt, and nothing fails.
    server.setClean(true);
    const retried = await runConfig(await loadConfig(write(dir, text)), { log: quiet, cwd: dir, retryErrors: true });
    expect(retried.unitErrors).toBe(0);
    const after = readLines(join(dir, 'results/sloppy/predictions/syn/rating/zero-shot.jsonl'));
    expect(after.find((l) => l.id === bad?.id)?.calls?.[0]?.attempt).toBe(1);
    // ... and that retried run replays too, attempts and all.
    await replayMatches(dir, 'sloppy', text);
    server.setClean(false);
  }, 120_000);

  it('an interrupted and resumed run replays byte-identically from its export', async () => {
    server.setClean(false);
    const dir = workspace();
    const text = config('resumed', server.baseURL);
    const file = write(dir, text);
    const part = await runConfig(await loadConfig(file), { log: quiet, cwd: dir, limit: 7 });
    expect(part.computed).toBe(21);
    const ctl = new AbortController();
    const stopped = runConfig(await loadConfig(file), { log: quiet, cwd: dir, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 150);
    expect((await stopped).interrupted).toBe(true);
    const done = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
    expect(done.interrupted).toBe(false);
    const manifest = JSON.parse(readFileSync(join(dir, 'results/resumed/manifest.json'), 'utf8')) as Manifest;
    expect(manifest.invocations?.length).toBe(3);
    expect(manifest.totals?.calls).toBe(manifest.invocations?.reduce((s, i) => s + i.calls, 0));
    await replayMatches(dir, 'resumed', text);
  }, 120_000);
});

describe('setup errors stop the run before any unit (exit 2), naming what to fix', () => {
  it('a missing key variable', async () => {
    const dir = workspace();
    const text = config('nokey', server.baseURL).replace(KEY_ENV, 'USERSIM_TEST_UNSET_KEY');
    delete process.env['USERSIM_TEST_UNSET_KEY'];
    const before = server.requestCount();
    const err = await runConfig(await loadConfig(write(dir, text)), { log: quiet, cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect((err as Error).message).toMatch(/USERSIM_TEST_UNSET_KEY is not set.*local .*server.* accepts any value/);
    expect(server.requestCount()).toBe(before);
    expect(existsSync(join(dir, 'results/nokey/predictions'))).toBe(false);
  });

  it('a server that rejects json_schema: the structured modes to try', async () => {
    const strict = await startSloppyServer({ rejectResponseFormats: ['json_schema'], record: false });
    try {
      const dir = workspace();
      const err = await runConfig(await loadConfig(write(dir, config('nojs', strict.baseURL))), {
        log: quiet,
        cwd: dir,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunError);
      expect((err as Error).message).toMatch(/preflight: .*rejected structured: json-schema \(HTTP 400/);
      expect((err as Error).message).toMatch(/json-object \| instructions .*--set llm\.structured=json-object/);
      expect(strict.requestCount()).toBe(1);
      // With the mode it names, the same server runs the config.
      const ok = await runConfig(
        await loadConfig(write(dir, config('nojs', strict.baseURL)), { sets: ['llm.structured=json-object'] }),
        { log: quiet, cwd: dir, fresh: true },
      );
      expect(ok.metrics?.cells.every((c) => c.units.scored > 0)).toBe(true);
    } finally {
      await strict.close();
    }
  }, 60_000);

  it('a key refused in the middle of the run stops it, naming the variable and the endpoint', async () => {
    const revoking = await startSloppyServer({ revokeKeyAfter: 40, record: false });
    try {
      const dir = workspace();
      const err = await runConfig(await loadConfig(write(dir, config('revoked', revoking.baseURL))), {
        log: quiet,
        cwd: dir,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunError);
      expect((err as Error).message).toContain(revoking.baseURL);
      expect((err as Error).message).toContain(KEY_ENV);
      expect((err as Error).message).toMatch(/HTTP 401/);
      // Only the calls in flight when the key was refused came back refused: no unit recorded the 401.
      const manifest = JSON.parse(readFileSync(join(dir, 'results/revoked/manifest.json'), 'utf8')) as Manifest;
      expect(manifest.status).toBe('stopped');
      expect(revoking.requestCount()).toBeLessThan(40 + 20);
    } finally {
      await revoking.close();
    }
  }, 60_000);
});

describe('stopping', () => {
  it('costLimitUsd covers the whole run: stopped, then resumed twice with the same limit, it never spends more', async () => {
    server.setClean(false);
    const dir = workspace();
    // $1 in / $0.10 out per million tokens: the whole run costs several times the limit.
    const text = config('capped', server.baseURL, 'costLimitUsd: 0.02').replace(
      'sloppy-7b: { input: 1, output: 2 }',
      'sloppy-7b: { input: 1, output: 0.1 }',
    );
    const file = write(dir, text);
    const spent: number[] = [];
    for (let k = 0; k < 3; k++) {
      const r = await runConfig(await loadConfig(file), { log: quiet, cwd: dir });
      expect(r.stopKind).toBe('cost-limit');
      const manifest = JSON.parse(readFileSync(join(dir, 'results/capped/manifest.json'), 'utf8')) as Manifest;
      spent.push(manifest.totals?.spentUsd ?? Number.NaN);
    }
    expect(spent[0]).toBeGreaterThan(0.01);
    for (const s of spent) expect(s).toBeLessThanOrEqual(0.02);
    // A raised limit continues the run.
    const more = await runConfig(await loadConfig(file, { sets: ['costLimitUsd=1'] }), { log: quiet, cwd: dir });
    expect(more.stopKind ?? null).toBeNull();
    expect(more.metrics).not.toBeNull();
  }, 60_000);

  it('maxErrorRate: a cell failing past it stops the run cleanly, naming its top errors', async () => {
    const broken = await startSloppyServer({ rates: { persistent: 1 }, record: false });
    try {
      const dir = workspace();
      const text = config('doomed', broken.baseURL)
        .replace('  - { plugin: alignuser, training: in-context, fitUsers: 6, pagesPerUser: 1 }\n', '')
        .replace('maxErrorRate: 0.6\n', '');
      const r = await runConfig(await loadConfig(write(dir, text)), { log: quiet, cwd: dir });
      expect(r.stopKind).toBe('error-rate');
      expect(r.stopReason).toMatch(
        /of 2\d units of zero-shot \/ rating on syn ended in an error, more than maxErrorRate 0\.25/,
      );
      expect(r.stopReason).toMatch(/\d+× parse: .*\(e\.g\. unit [0-9a-f]{20}\)/);
      expect(r.computed).toBeLessThan(24);
    } finally {
      await broken.close();
    }
  }, 60_000);
});
