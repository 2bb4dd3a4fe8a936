import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../../harness/config/config-error.ts';
import { loadConfig } from '../../../harness/config/load.ts';
import { buildPlan } from '../../../harness/plan/build-plan.ts';
import { describePlan } from '../../../harness/plan/describe-plan.ts';
import { runCli } from '../cli/run-cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };

let n = 0;
async function plan(yaml: string, allowLocalPlugins = false) {
  const file = join(tmp, `cfg-${++n}.yaml`);
  writeFileSync(file, yaml);
  const cfg = await loadConfig(file, { env: {}, allowLocalPlugins });
  return { file, plan: () => buildPlan(cfg, { log: quiet }) };
}

async function planIssues(yaml: string, allowLocalPlugins = false): Promise<string[]> {
  const { plan: build } = await plan(yaml, allowLocalPlugins);
  const e = await build().then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return (e as ConfigError).issues.map((i) => formatIssue({ ...i, source: 'cfg' }));
}

const RATINGS = `name: p
seed: 1
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, users: 30, items: 60 }
`;

describe('buildPlan', () => {
  it('plans cells with their units, the endpoints and the fit stages, before any unit runs', async () => {
    const { plan: build } = await plan(`${RATINGS}methods:
  - { plugin: popularity }
  - { plugin: zero-shot }
  - { plugin: zero-shot, id: zs-judge-free }
tasks:
  - { task: preference-discrimination, ratios: [1, 3] }
  - { task: rating }
`);
    const p = await build();
    expect(p.cells.map((c) => `${c.task.name}/${c.method.id}`)).toEqual([
      'preference-discrimination/popularity',
      'preference-discrimination/zero-shot',
      'preference-discrimination/zs-judge-free',
      'rating/popularity',
      'rating/zero-shot',
      'rating/zs-judge-free',
    ]);
    // Units are shared by every method of a task (paired).
    expect(p.cells[0]?.units).toBe(p.cells[1]?.units);
    expect(p.cells[0]?.units?.length).toBeGreaterThan(0);
    // Two methods naming the same LLM share one endpoint.
    expect(p.endpoints).toHaveLength(1);
    expect(p.endpoints[0]?.usedBy).toEqual(['zero-shot', 'zs-judge-free']);
    expect(p.fits.map((f) => f.method)).toEqual(['popularity']);
    expect(Object.isFrozen(p)).toBe(true);
    const text = describePlan(p);
    expect(text).toContain('preference-discrimination / popularity: ');
    expect(text).toContain('offline offline-mock (offline mock)');
    expect(text).toContain('used by zero-shot, zs-judge-free');
  });

  it('refuses batch execution on a provider without a batch API, at its config line', async () => {
    const issues = await planIssues(
      RATINGS.replace('llm: { plugin: offline }', 'llm: { plugin: offline, execution: batch }') +
        'methods:\n  - { plugin: zero-shot }\ntasks:\n  - { task: rating }\n',
    );
    expect(issues).toEqual([
      'cfg:3:36: llm.execution: execution: batch needs a provider with a batch API, and offline has none: set execution: online (or use a provider with a batch API, e.g. openai)',
    ]);
  });

  it('refuses a method that can run none of the tasks, and a method listed for a task it cannot run', async () => {
    const none = await planIssues(
      `${RATINGS}methods:\n  - { plugin: popularity }\n  - { plugin: markov }\ntasks:\n  - { task: rating }\n`,
    );
    expect(none).toHaveLength(1);
    expect(none[0]).toMatch(
      /^cfg:8:5: methods\[1\]: method "markov" can run none of this config's tasks: they need rate, and markov has nextAction/,
    );

    const listed = await planIssues(
      `${RATINGS}methods:\n  - { plugin: popularity }\n  - { plugin: markov }\ntasks:\n  - { task: rating, methods: [popularity, markov] }\n`,
    );
    expect(
      listed.some((l) =>
        /tasks\[0\]\.methods\[1\]: method "markov" cannot run rating: markov has no rate capability/.test(l),
      ),
    ).toBe(true);
  });

  it('a method left out of a task\'s methods: list gets a "not asked" cell; one lacking a capability in a multi-task config gets n/a', async () => {
    const { plan: build } = await plan(`name: mixed
seed: 1
llm: { plugin: offline }
datasets:
  - { plugin: synthetic-ratings, id: films, users: 20, items: 40 }
  - { plugin: synthetic-sessions, id: shop, users: 6 }
methods:
  - { plugin: markov }
  - { plugin: popularity }
  - { plugin: zero-shot }
tasks:
  - { task: next-action, methods: [markov, zero-shot] }
  - { task: rating }
`);
    const p = await build();
    const cell = (d: string, t: string, m: string) =>
      p.cells.find((c) => c.datasetId === d && c.task.name === t && c.method.id === m);
    expect(cell('shop', 'next-action', 'popularity')?.naReason).toMatch(/^not asked/);
    expect(cell('films', 'rating', 'markov')?.naReason).toBe('markov has no rate capability');
    expect(cell('films', 'next-action', 'zero-shot')?.naReason).toMatch(/next-action reads sessions datasets/);
    expect(cell('shop', 'next-action', 'zero-shot')?.units?.length).toBeGreaterThan(0);
  });

  it('refuses a cell with no eligible unit, saying why', async () => {
    // Options that pass every check but leave the data without a unit: no user of 30 has 58 ratings above 3.
    const issues = await planIssues(
      `${RATINGS.replace('items: 60 }', 'items: 60, minLiked: 58 }')}methods:\n  - { plugin: popularity }\ntasks:\n  - { task: preference-discrimination }\n`,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^cfg:9:5: tasks\[0\]: preference-discrimination has no eligible unit on dataset "synthetic-ratings"/,
    );
    expect(issues[0]).toContain('the split agent4rec holds no valid or test interaction');
  });

  it('refuses a task that reads a kind of data no dataset of the config holds', async () => {
    const issues = await planIssues(`${RATINGS}methods:\n  - { plugin: markov }\ntasks:\n  - { task: next-action }\n`);
    expect(issues).toEqual([
      'cfg:9:13: tasks[0].task: next-action reads sessions datasets, and no dataset of this config is one: add such a dataset or remove the task',
    ]);
  });

  it('refuses a local method plugin that declares a capability its simulator does not implement', async () => {
    const plugin = join(tmp, 'half-method.ts');
    writeFileSync(
      plugin,
      `import { defineMethod, Type } from '${join(process.cwd(), 'harness/plugin-api.ts')}';
export default defineMethod({
  name: 'half',
  description: 'declares rate, implements only discriminate',
  options: Type.Object({}),
  usesLlm: false,
  capabilities: ['discriminate', 'rate'],
  async create() {
    return { async discriminate(_u, items) { return items.map((i) => ({ item: i.id, like: true })); } };
  },
});
`,
    );
    const issues = await planIssues(
      `${RATINGS}methods:\n  - { plugin: ./half-method.ts }\ntasks:\n  - { task: rating }\n`,
      true,
    );
    expect(issues).toEqual([
      'cfg:7:15: methods[0].plugin: method plugin "half" declares the rate capability, but the simulator its create() returns has no rate function: implement it or remove "rate" from capabilities',
    ]);
  });
});

describe('usersim validate (plan checks)', () => {
  it('execution: batch with the offline LLM: exit 2 and one line, no stack trace', () => {
    const r = runCli(['validate', 'configs/quickstart.yaml', '--set', 'llm.execution=batch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('llm.execution: execution: batch needs a provider with a batch API');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a method listed for a task whose capability it lacks: exit 2, no stack trace', () => {
    const r = runCli(['validate', 'configs/quickstart.yaml', '--set', 'methods.2.plugin=markov']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/methods\[2\]: method "markov" can run none of this config's tasks/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--plan prints the cells, the units per cell and the endpoints', () => {
    const r = runCli(['validate', 'configs/quickstart.yaml', '--plan']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('plan of quickstart: 6 cell(s), 6 to run, 2304 unit(s)');
    expect(r.stdout).toMatch(/synthetic \/ preference-discrimination \/ popularity: 576 unit\(s\)/);
    expect(r.stdout).toMatch(/synthetic \/ rating \/ zero-shot: 192 unit\(s\)/);
    expect(r.stdout).toContain('LLM endpoints:\n  offline offline-mock (offline mock)');
  });
});
