import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicServer, startOpenAiServer, type LlmTestServer } from '../../support/llm-servers/index.js';
import { cliProcess } from '../../support/cli-process.js';

// Two keys: the one the 401 run sends (refused, echoed back), and the accepted one (echoed in 400s, headers and replies).
const WRONG = 'sk-wrong-7d2c9e41b3a85f06e1c4aa';
const RIGHT = 'sk-right-3b8e1f9a6c2d7045b9ee51';
const ENV = { USERSIM_REDACT_WRONG_KEY: WRONG, USERSIM_REDACT_KEY: RIGHT };

/** Every piece of either key a leak could show: the whole key and each 8-character fragment. */
const FRAGMENTS = [WRONG, RIGHT].flatMap((k) => Array.from({ length: k.length - 7 }, (_, i) => k.slice(i, i + 8)));

function leaksIn(text: string): string[] {
  return FRAGMENTS.filter((f) => text.includes(f));
}

function cli(args: string[], cwd: string) {
  return cliProcess(args, cwd, { env: ENV });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every cell of every row of every table of a SQLite file, as text. */
function sqliteText(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return tables
      .flatMap((t) =>
        (db.prepare(`SELECT * FROM "${t.name}"`).all() as Array<Record<string, unknown>>).map((r) => JSON.stringify(r)),
      )
      .join('\n');
  } finally {
    db.close();
  }
}

function config(name: string, openaiURL: string, anthropicURL: string, keyEnv: string): string {
  return `
name: ${name}
seed: 3
concurrency: 4
cache: { path: cache/llm.sqlite }
report: { B: 200 }
datasets:
  - { plugin: synthetic-ratings, id: syn, users: 8, items: 60, minRatings: 20, maxRatings: 25, minLiked: 5 }
methods:
  - plugin: zero-shot
    id: via-openai
    llm: { plugin: openai, model: gpt-4.1-mini, baseURL: "${openaiURL}", apiKeyEnv: ${keyEnv}, maxAttempts: 2, backoffBaseMs: 5, backoffCapMs: 10 }
  - plugin: zero-shot
    id: via-anthropic
    llm: { plugin: anthropic, model: claude-3-7-sonnet-20250219, baseURL: "${anthropicURL}", apiKeyEnv: ${keyEnv}, maxAttempts: 2, backoffBaseMs: 5, backoffCapMs: 10 }
tasks:
  - { task: rating }
`;
}

let openai: LlmTestServer;
let anthropic: LlmTestServer;
// Now and then the "model" itself repeats the key in its reply (not valid JSON: the repair turn follows).
let replies = 0;
const echoingReply = () => (++replies % 5 === 0 ? `I may not answer with key ${RIGHT} here.` : undefined);

beforeAll(async () => {
  const common = { apiKey: RIGHT, echoKey: true, reply: echoingReply, faults: { badRequest: 0.25 } } as const;
  openai = await startOpenAiServer(common);
  anthropic = await startAnthropicServer(common);
});
afterAll(async () => {
  await openai.close();
  await anthropic.close();
});

describe('an endpoint that echoes the API key', () => {
  it('the key reaches no results file, cache row, export, stdout or stderr, whole or as an 8-character fragment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usersim-redact-'));
    writeFileSync(
      join(dir, 'unauthorized.yaml'),
      config('unauthorized', openai.baseURL, anthropic.baseURL, 'USERSIM_REDACT_WRONG_KEY'),
    );
    writeFileSync(
      join(dir, 'refused.yaml'),
      config('refused', openai.baseURL, anthropic.baseURL, 'USERSIM_REDACT_KEY'),
    );

    // Every call gets 401, whose body quotes the wrong key.
    const unauthorized = await cli(['run', 'unauthorized.yaml'], dir);
    // The accepted key: a quarter of the calls get a 400 quoting it, every response has it in a header, some replies repeat it.
    const refused = await cli(['run', 'refused.yaml'], dir);
    const exported = await cli(
      ['cache', 'export', 'results/refused', 'shipped.sqlite', '--cache', 'cache/llm.sqlite'],
      dir,
    );
    // Exit 1: the refused requests' keys are in cache-keys.txt but, being errors, not in the cache.
    expect(exported.stdout, exported.stderr).toMatch(/^wrote [1-9]\d* entries/);

    // The endpoints really did echo the keys: without the redactor these places would hold them.
    const predictions = filesUnder(join(dir, 'results'))
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(predictions).toContain('[redacted USERSIM_REDACT_KEY]');
    // The refused key stops the run before any unit (preflight), naming the variable; the echoed body is redacted.
    expect(unauthorized.status).toBe(2);
    expect(unauthorized.stderr).toMatch(/USERSIM_REDACT_WRONG_KEY/);
    expect(unauthorized.stderr).toMatch(/HTTP 401/);
    // A reply that repeated the key is cached (and shipped) with the marker in its place.
    expect(sqliteText(join(dir, 'cache/llm.sqlite'))).toContain('[redacted USERSIM_REDACT_KEY]');
    expect(sqliteText(join(dir, 'shipped.sqlite'))).toContain('[redacted USERSIM_REDACT_KEY]');

    const places: Array<[string, string]> = [
      ...filesUnder(join(dir, 'results')).map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ['cache rows', sqliteText(join(dir, 'cache/llm.sqlite'))],
      ['export rows', sqliteText(join(dir, 'shipped.sqlite'))],
      ...filesUnder(join(dir, 'cache'))
        .filter((f) => !/\.sqlite(-wal|-shm)?$/.test(f))
        .map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
      ['stdout (401 run)', unauthorized.stdout],
      ['stderr (401 run)', unauthorized.stderr],
      ['stdout (400 run)', refused.stdout],
      ['stderr (400 run)', refused.stderr],
      ['stdout (export)', exported.stdout],
      ['stderr (export)', exported.stderr],
    ];
    expect(places.length).toBeGreaterThan(12);
    expect(places.some(([p]) => p.endsWith('leaderboard.html'))).toBe(true);
    const leaks = places.flatMap(([where, text]) => leaksIn(text).map((f) => `${where}: ${f}`));
    expect(leaks).toEqual([]);
    // The cache files in raw bytes too (WAL, journal, pages): nothing hides in unparsed storage.
    for (const f of filesUnder(dir).filter((p) => /\.sqlite(-wal|-shm)?$/.test(p)))
      expect(leaksIn(readFileSync(f, 'latin1')), f).toEqual([]);
  }, 120_000);
});
