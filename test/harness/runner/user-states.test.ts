import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.ts';
import type { MetricsFile } from '../../../harness/results/metrics-file.ts';
import { runConfig } from '../../../harness/runner/run.ts';
import { Rng } from '../../../harness/util/rng.ts';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-user-states-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };

// Methods that build per-user state with LLM calls (persona, memory, taste).
const METHODS = ['simuser', 'alignuser', 'alignuser-plus', 'recagent', 'agent4rec'];

const yaml = (variant: string) => `name: states
seed: 11
concurrency: 4
output: ${join(tmp, variant)}
cache: { path: ${join(tmp, `${variant}.sqlite`)} }
llm: { plugin: offline }
datasets:
  # 120 items: synthetic users rate 30–60 each, and distractors must be training items they never rated
  - { plugin: synthetic-ratings, id: films, users: 30, items: 120 }
methods:
${METHODS.map((m) => `  - { plugin: ${m}${m.startsWith('alignuser') ? ', fitUsers: 6, pagesPerUser: 1' : ''} }`).join('\n')}
tasks:
  - { task: preference-discrimination, ratios: [1, 3], users: 20 }
  - { task: rating, users: 20, maxItemsPerUser: 4 }
report: { B: 100 }
`;

async function config(name: string) {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, yaml(name));
  return loadConfig(file, { env: {} });
}

const metricsOf = (dir: string) => readFileSync(join(dir, 'metrics.json'), 'utf8');

describe('per-user state is charged once, however the run is cut', () => {
  it('an uninterrupted run, a run stopped 10 times and resumed, and 2 shards merged write the same metrics.json, usage included', async () => {
    const whole = await runConfig(await config('whole'), { log: quiet, fresh: true });
    const expected = metricsOf(whole.dir);
    const usage = (JSON.parse(expected) as MetricsFile).cells.map((c) => [c.method, c.task, c.usage.calls]);
    // State calls are in the usage: simuser's persona alone makes several calls per user.
    expect(usage.find(([m, t]) => m === 'simuser' && t === 'preference-discrimination')?.[2]).toBeGreaterThan(40);

    const cutCfg = await config('cut');
    const rng = new Rng('cuts');
    let stops = 0;
    let finished = false;
    for (let round = 0; round < 40 && !finished; round++) {
      const stop = new AbortController();
      // Stop after a random number of milliseconds, as a kill would: units in flight are dropped.
      const timer = stops < 10 ? setTimeout(() => stop.abort(), 5 + rng.int(100)) : null;
      const out = await runConfig(cutCfg, { log: quiet, fresh: round === 0, signal: stop.signal });
      if (timer) clearTimeout(timer);
      if (out.interrupted) stops++;
      finished = !out.interrupted;
      if (finished) expect(metricsOf(out.dir)).toBe(expected);
    }
    expect(finished).toBe(true);
    expect(stops).toBeGreaterThanOrEqual(5);

    const shardCfg = await config('sharded');
    await runConfig(shardCfg, { log: quiet, fresh: true, shard: { index: 1, count: 2 } });
    await runConfig(shardCfg, { log: quiet, shard: { index: 2, count: 2 } });
    const merged = await runConfig(shardCfg, { log: quiet });
    expect(merged.computed).toBe(0);
    expect(metricsOf(merged.dir)).toBe(expected);
  });
});
