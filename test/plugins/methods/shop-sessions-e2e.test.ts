import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import type { MetricsFile } from '../../../harness/results/metrics-file.js';
import { runConfig } from '../../../harness/runner/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-shop-sims-'));
const saved = process.env['USERSIM_DATASETS_DIR'];
process.env['USERSIM_DATASETS_DIR'] = join(tmp, 'datasets');
afterAll(() => {
  if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
  else process.env['USERSIM_DATASETS_DIR'] = saved;
  rmSync(tmp, { recursive: true, force: true });
});
const quiet = { info() {}, warn() {} };

// Simulators whose session modules are adaptations of ratings-only papers (see their READMEs).
const SIMULATORS = ['agent4rec', 'simuser'] as const;

const yaml = (variant: string) => `name: shop-sims
seed: 7
concurrency: 4
output: ${join(tmp, variant)}
cache: { path: ${join(tmp, `${variant}.sqlite`)} }
llm: { plugin: offline }
judge: { plugin: offline }
datasets:
  - { plugin: synthetic-sessions, id: shop, users: 10, minSessions: 3, maxSessions: 5 }
methods:
  - { plugin: markov }
${SIMULATORS.map((m) => `  - { plugin: ${m} }`).join('\n')}
tasks:
  - { task: next-action }
  - { task: opera-consistency, maxSteps: 6 }
report: { baseline: markov, B: 200 }
`;

async function config(name: string) {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, yaml(name));
  return loadConfig(file, { env: {} });
}

describe('agent4rec and simuser on shopping sessions, end to end through the runner (offline LLM)', () => {
  it('answer every unit of next-action and opera-consistency; 2 shards merged write the same metrics.json, usage included', async () => {
    const whole = await runConfig(await config('whole'), { log: quiet, fresh: true });
    const text = readFileSync(join(whole.dir, 'metrics.json'), 'utf8');
    const m = JSON.parse(text) as MetricsFile;
    for (const sim of SIMULATORS) {
      for (const task of ['next-action', 'opera-consistency']) {
        const cell = m.cells.find((c) => c.dataset === 'shop' && c.method === sim && c.task === task);
        expect(cell?.status, `${sim}/${task}`).toBe('ok');
        expect(cell?.units.errors, `${sim}/${task}: ${JSON.stringify(cell?.units.errorKinds)}`).toBe(0);
        expect(cell?.units.total).toBeGreaterThan(0);
        expect(cell?.units.scored).toBe(cell?.units.total);
        for (const v of Object.values(cell?.metrics ?? {})) expect(Number.isFinite(v.value)).toBe(true);
      }
    }
    // Per step: agent4rec 1 call plus a share of reflections, simuser a selection and a refinement; per shopper their state.
    const na = (sim: string) => m.cells.find((c) => c.method === sim && c.task === 'next-action')!;
    expect(na('simuser').usage.calls).toBeGreaterThan(na('agent4rec').usage.calls);

    const shardCfg = await config('sharded');
    await runConfig(shardCfg, { log: quiet, fresh: true, shard: { index: 1, count: 2 } });
    await runConfig(shardCfg, { log: quiet, shard: { index: 2, count: 2 } });
    const merged = await runConfig(shardCfg, { log: quiet });
    expect(merged.computed).toBe(0);
    expect(readFileSync(join(merged.dir, 'metrics.json'), 'utf8')).toBe(text);
  });
});
