import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionLine } from '../../../harness/results/prediction-line.js';
import { startSloppyServer, type SloppyServer } from '../../support/llm-servers/index.js';
import { CLI, PROJECT_ROOT } from '../../support/project.js';

const KEY_ENV = 'USERSIM_TEST_SLOPPY_CLI_KEY';

/** The CLI in a child process, without blocking this one (it serves the child's LLM calls). */
function cli(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The tsx loader by absolute URL: the child runs in a temp folder, where a bare 'tsx' does not resolve.
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), CLI, ...args], {
      cwd: opts.cwd ?? PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function config(name: string, baseURL: string, keyEnv = KEY_ENV): string {
  return `
name: ${name}
seed: 5
concurrency: 8
llm: { plugin: openai, model: sloppy-7b, baseURL: "${baseURL}", apiKeyEnv: ${keyEnv}, backoffBaseMs: 1, backoffCapMs: 5 }
cache: { path: cache/llm.sqlite }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 30, items: 120, minRatings: 20, maxRatings: 30, minLiked: 5 }
methods:
  - { plugin: zero-shot }
tasks:
  - { task: rating, users: 24 }
report: { B: 200, formats: [txt] }
`;
}

let server: SloppyServer;
beforeAll(async () => {
  server = await startSloppyServer({ record: false, rates: { persistent: 0.2, missingField: 0.2 } });
});
afterAll(async () => {
  await server.close();
});

describe('the CLI on a sloppy model', () => {
  it('exit 1 with the errors listed per method; inspect on a parse-error unit shows its raw reply and stage; progress lines when not on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-cli-real-'));
    writeFileSync(join(dir, 'config.yaml'), config('sloppy', server.baseURL));
    const run = await cli(['run', 'config.yaml'], { cwd: dir, env: { [KEY_ENV]: 'local' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^progress: 0\/24 units/m);
    expect(run.stderr).toMatch(/Errors by method:\nzero-shot: \d+ unit error\(s\)\n {2}\d+× parse: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);

    const lines = readFileSync(join(dir, 'results/sloppy/predictions/syn/rating/zero-shot.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as PredictionLine);
    const bad = lines.find((l) => l.error?.kind === 'parse') as PredictionLine;
    const shown = await cli(['inspect', 'results/sloppy', '--errors', '--unit', bad.id], { cwd: dir });
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain(`unit ${bad.id} · zero-shot / rating on syn`);
    expect(shown.stdout).toMatch(/call 2 · [a-z_]+ · called, attempt 0, repair turn, json: invalid/);
    expect(shown.stdout).toContain(`stage: ${bad.error?.stage}`);
    expect(shown.stdout).toContain('raw reply:');
    expect(shown.stdout).toContain((bad.error?.reply ?? '').split('\n')[0]);
    expect(shown.stdout).toMatch(/- user:\n/);
  }, 60_000);

  it('a missing key: exit 2 before any unit, one line naming the variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-cli-real-'));
    writeFileSync(join(dir, 'config.yaml'), config('nokey', server.baseURL, 'USERSIM_TEST_NEVER_SET'));
    const before = server.requestCount();
    const run = await cli(['run', 'config.yaml'], { cwd: dir, env: { USERSIM_TEST_NEVER_SET: undefined } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usersim run: USERSIM_TEST_NEVER_SET is not set/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(server.requestCount()).toBe(before);
  }, 60_000);

  it('a key revoked mid-run: exit 2, naming the variable and the endpoint', async () => {
    const revoking = await startSloppyServer({ record: false, revokeKeyAfter: 15 });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'usersim-cli-real-'));
      writeFileSync(join(dir, 'config.yaml'), config('revoked', revoking.baseURL));
      const run = await cli(['run', 'config.yaml'], { cwd: dir, env: { [KEY_ENV]: 'local' } });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(revoking.baseURL);
      expect(run.stderr).toContain(KEY_ENV);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await revoking.close();
    }
  }, 60_000);
});
