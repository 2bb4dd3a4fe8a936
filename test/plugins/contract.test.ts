/**
 * The contract every registered plugin keeps, checked over the registry with
 * no hard-coded list: a newly registered plugin is covered without editing
 * this file.
 * - every dataset loads its fixture (test/fixtures/datasets/<name>.ts);
 * - every task builds units on the fixtures of its kind and scores them;
 * - every method answers each capability it declares, on a tiny dataset,
 *   with the offline LLM, through the real runner;
 * - every recommender fits and ranks.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { TSchema } from '@sinclair/typebox';
import type { Capability, Dataset, DatasetPlugin, TaskPlugin } from '../../harness/plugin-api.ts';
import { loadConfig } from '../../harness/config/load.ts';
import { unitsFor } from '../../harness/plan/dataset-kinds.ts';
import { trainDataOf } from '../../harness/data/train-view.ts';
import { loadPlugin, pluginNames } from '../../harness/registry/registry.ts';
import type { MetricsFile } from '../../harness/results/metrics-file.ts';
import { readFileSync } from 'node:fs';
import { runConfig } from '../../harness/runner/run.ts';
import { createConfigAjv } from '../../harness/util/ajv.ts';
import { Rng } from '../../harness/util/rng.ts';
import { PROJECT_ROOT } from '../support/project.ts';

const tmp = mkdtempSync(join(tmpdir(), 'usersim-contract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };
const opts = { baseDir: PROJECT_ROOT, allowLocalPlugins: false };

function withDefaults(schema: TSchema, options: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(options);
  const validate = createConfigAjv().compile(schema);
  if (!validate(copy)) throw new Error(`fixture options invalid: ${JSON.stringify(validate.errors)}`);
  return copy;
}

const loaded = new Map<string, Dataset>();
async function fixtureDataset(name: string): Promise<Dataset> {
  const known = loaded.get(name);
  if (known) return known;
  const file = join(PROJECT_ROOT, 'test/fixtures/datasets', `${name}.ts`);
  if (!existsSync(file))
    throw new Error(
      `dataset plugin "${name}" has no fixture: add test/fixtures/datasets/${name}.ts exporting fixture(dir)`,
    );
  const mod = (await import(pathToFileURL(file).href)) as {
    fixture: (dir: string) => Promise<Record<string, unknown>>;
  };
  const dir = mkdtempSync(join(tmp, `${name}-`));
  const plugin: DatasetPlugin = await loadPlugin('dataset', name, opts);
  const options = withDefaults(plugin.options, await mod.fixture(dir));
  const d = await plugin.load(options as never, { seed: 1, rng: new Rng(1), configDir: dir, log: quiet });
  loaded.set(name, d);
  return d;
}

describe('every dataset plugin loads its fixture', () => {
  for (const name of pluginNames('dataset')) {
    it(name, async () => {
      const d = await fixtureDataset(name);
      expect(d.name).toBeTruthy();
      expect(Object.keys(d.checksums).length).toBeGreaterThan(0);
      if (d.kind === 'ratings') {
        expect(d.users.length).toBeGreaterThan(0);
        expect(d.items.length).toBeGreaterThan(0);
        expect(d.split.train.length).toBeGreaterThan(0);
        expect(d.split.valid.length + d.split.test.length).toBeGreaterThan(0);
        const items = new Set(d.items.map((i) => i.id));
        for (const x of d.split.train) expect(items.has(x.item)).toBe(true);
      } else {
        expect(d.users.length).toBeGreaterThan(0);
        expect(d.sessions.some((s) => s.split === 'test' && s.steps.length > 0)).toBe(true);
        expect(d.sessions.some((s) => s.split === 'train')).toBe(true);
      }
    });
  }
});

describe('every task builds units on the fixtures of its kind', () => {
  for (const name of pluginNames('task')) {
    it(name, async () => {
      const task: TaskPlugin = await loadPlugin('task', name, opts);
      expect(task.kind).toBe('task');
      expect(Number.isInteger(task.version) && task.version >= 1, 'a protocol version (a whole number ≥ 1)').toBe(true);
      expect(task.needs.capabilities.length).toBeGreaterThan(0);
      const options = withDefaults(task.options, {});
      let built = 0;
      for (const dn of pluginNames('dataset')) {
        const d = await fixtureDataset(dn);
        if (d.kind !== task.needs.data) {
          expect(unitsFor(task, d, options, new Rng(1))).toBeNull();
          continue;
        }
        // Tasks that rank recommenders need fitted ones; the runner gives them, here a trivial one.
        const env = {
          recommenders: (task.needs.refs ?? []).some((r) => r.list === 'recommenders')
            ? [
                {
                  id: 'first',
                  recommendation: {
                    recommend: (_u: string, k: number) =>
                      d.kind === 'ratings' ? d.items.slice(0, k).map((i) => i.id) : [],
                  },
                },
              ]
            : [],
        };
        const withRefs = { ...options };
        for (const r of task.needs.refs ?? []) if (r.many && withRefs[r.option] == null) withRefs[r.option] = ['first'];
        const units = unitsFor(task, d, withRefs, new Rng(1), env);
        if (units === null) continue;
        built += units.length;
        const keys = new Set(units.map((u) => u.key));
        expect(keys.size).toBe(units.length);
        for (const u of units) expect(typeof u.user).toBe('string');
      }
      expect(built).toBeGreaterThan(0);
      expect(task.metrics(options as never).length).toBeGreaterThan(0);
    });
  }
});

/** The tasks that call a capability, and what a config needs around them. */
async function tasksFor(cap: Capability): Promise<TaskPlugin[]> {
  const out: TaskPlugin[] = [];
  for (const name of pluginNames('task')) {
    const t: TaskPlugin = await loadPlugin('task', name, opts);
    if (t.needs.capabilities.includes(cap)) out.push(t);
  }
  return out;
}

describe('every method answers each capability it declares (offline LLM, real runner)', () => {
  for (const name of pluginNames('method')) {
    it(name, async () => {
      const m = await loadPlugin('method', name, opts);
      expect(Number.isInteger(m.version) && m.version >= 1, 'a protocol version (a whole number ≥ 1)').toBe(true);
      expect(m.capabilities.length).toBeGreaterThan(0);
      const tasks: TaskPlugin[] = [];
      for (const cap of m.capabilities) {
        const ts = await tasksFor(cap);
        expect(ts.length, `no registered task calls ${cap}`).toBeGreaterThan(0);
        for (const t of ts) if (!tasks.includes(t)) tasks.push(t);
      }
      const small: Record<string, string> = {
        'preference-discrimination': '{ task: preference-discrimination, ratios: [1], users: 4 }',
        rating: '{ task: rating, users: 4, maxItemsPerUser: 5 }',
        'next-action': '{ task: next-action, sessions: 2 }',
        'recommender-evaluation': '{ task: recommender-evaluation, users: 3, maxPages: 2, pageSize: 3 }',
        'opera-consistency': '{ task: opera-consistency, sessions: 2, maxSteps: 4 }',
      };
      const dir = mkdtempSync(join(tmp, `${name}-`));
      const file = join(dir, 'config.yaml');
      writeFileSync(
        file,
        `name: contract-${name}
seed: 5
output: ${join(dir, 'results')}
cache: { path: ${join(dir, 'llm.sqlite')} }
llm: { plugin: offline }
datasets:
  # 120 items: synthetic users rate 30–60 each, and distractors must be training items they never rated
  - { plugin: synthetic-ratings, id: films, users: 16, items: 120 }
  - { plugin: synthetic-sessions, id: shop, users: 4 }
recommenders: [{ plugin: pop }]
methods:
  - { plugin: ${name} }
tasks:
${tasks.map((t) => `  - ${small[t.name] ?? `{ task: ${t.name} }`}`).join('\n')}
report: { B: 100 }
`,
      );
      const cfg = await loadConfig(file, { env: {} });
      const out = await runConfig(cfg, { log: quiet, fresh: true });
      const metrics = JSON.parse(readFileSync(join(out.dir, 'metrics.json'), 'utf8')) as MetricsFile;
      for (const cap of m.capabilities) {
        const cells = metrics.cells.filter((c) =>
          tasks.find((t) => t.name === c.task)?.needs.capabilities.includes(cap),
        );
        const ran = cells.filter((c) => c.status !== 'n/a');
        expect(ran.length, `${name}: no cell ran ${cap}`).toBeGreaterThan(0);
        for (const c of ran) {
          expect(c.status, `${name} ${c.dataset}/${c.task}`).toBe('ok');
          expect(c.units.errors, `${name} ${c.dataset}/${c.task}: ${JSON.stringify(c.units.errorKinds)}`).toBe(0);
          expect(c.units.scored).toBe(c.units.total);
        }
      }
    });
  }
});

describe('every recommender fits and ranks', () => {
  for (const name of pluginNames('recommender')) {
    it(name, async () => {
      const r = await loadPlugin('recommender', name, opts);
      const d = await fixtureDataset('synthetic-ratings');
      if (d.kind !== 'ratings') throw new Error('synthetic-ratings is a ratings dataset');
      const rec = await r.fit(trainDataOf(d), withDefaults(r.options, {}) as never, {
        seed: 1,
        configDir: tmp,
        log: quiet,
        rng: new Rng(1),
      });
      const user = d.users[0]?.id as string;
      const top = rec.recommend(user, 5, new Set());
      expect(top.length).toBe(5);
      expect(new Set(top).size).toBe(5);
      const items = new Set(d.items.map((i) => i.id));
      for (const i of top) expect(items.has(i)).toBe(true);
    });
  }
});
