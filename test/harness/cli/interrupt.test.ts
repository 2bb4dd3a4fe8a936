import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interruptHandler } from '../../../harness/cli/interrupt-handler.js';
import { cliProcess } from '../../support/cli-process.js';
import { type OpenAiTestServer, startOpenAiServer } from '../../support/llm-servers/index.js';

const KEY_ENV = 'USERSIM_TEST_INTERRUPT_KEY';
let server: OpenAiTestServer;

beforeAll(async () => {
  // Slow replies: a Ctrl-C always finds units waiting on the LLM.
  server = await startOpenAiServer({ latencyMs: 400, record: false });
});
afterAll(async () => {
  await server.close();
});

const config = (name: string) => `
name: ${name}
seed: 1
concurrency: 4
llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${server.baseURL}", apiKeyEnv: ${KEY_ENV} }
cache: { path: cache/llm.sqlite }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 20, items: 80, minRatings: 20, maxRatings: 25 }
methods:
  - { plugin: zero-shot }
tasks:
  - { task: rating }
report: { B: 100, formats: [txt] }
`;

function workspace(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'usersim-interrupt-'));
  writeFileSync(join(dir, 'c.yaml'), config(name));
  return dir;
}

describe('Ctrl-C', () => {
  it('says what happens to the units in flight: cancelled, counted, and run again on resume', async () => {
    const dir = workspace('once');
    let sent = false;
    const base = server.requestCount();
    const r = await cliProcess(['run', 'c.yaml', '--quiet'], dir, {
      env: { [KEY_ENV]: 'local' },
      started: (child) => {
        // After the preflight and a first round of units: some are saved, 4 are waiting on replies.
        const wait = () => {
          if (server.requestCount() - base >= 6 && !sent) {
            sent = true;
            child.kill('SIGINT');
          } else setTimeout(wait, 20);
        };
        wait();
      },
    });
    expect(r.status).toBe(130);
    expect(r.stderr).toContain(
      'units in flight that still wait on the LLM are cancelled and run again when you resume',
    );
    expect(r.stderr).not.toMatch(/finish(ing)? the units in flight/);
    const cancelled = Number(/(\d+) unit\(s\) in flight were cancelled and run again on resume/.exec(r.stderr)?.[1]);
    expect(cancelled).toBeGreaterThan(0);
    const saved = Number(/Interrupted: (\d+) unit\(s\) saved/.exec(r.stderr)?.[1]);
    const resumed = await cliProcess(['run', 'c.yaml', '--quiet'], dir, { env: { [KEY_ENV]: 'local' } });
    expect(resumed.status, resumed.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'results/once/predictions/syn/rating/zero-shot.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const metrics = JSON.parse(readFileSync(join(dir, 'results/once/metrics.json'), 'utf8')) as {
      cells: Array<{ units: { total: number; done: number } }>;
    };
    const total = metrics.cells[0]?.units.total ?? 0;
    expect(metrics.cells[0]?.units.done).toBe(total);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { unit: string }).unit)).size).toBe(total);
    expect(lines.length).toBe(total);
    expect(saved).toBeLessThan(total);
  }, 60_000);

  it('a second Ctrl-C quits at once, printing the command that resumes', () => {
    const said: string[] = [];
    let stops = 0;
    let exits = 0;
    const onSigint = interruptHandler({
      stop: () => stops++,
      resume: 'npx usersim run c.yaml --quiet',
      write: (t) => said.push(t),
      exit: () => exits++,
    });
    onSigint();
    expect([stops, exits]).toEqual([1, 0]);
    expect(said.join('')).toContain('Ctrl-C again to quit at once');
    onSigint();
    expect([stops, exits]).toEqual([1, 1]);
    expect(said.at(-1)).toBe('\nQuit. Resume with:\n  npx usersim run c.yaml --quiet\n');
  });
});
