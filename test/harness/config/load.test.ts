import { realpathSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { BASE_YAML, configError, lines, PLUGIN_API, TempDir } from './fixtures.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

let n = 0;
/** Writes a config into the temp dir and loads it with messages relative to the temp dir. */
async function load(yaml: string, opts: Parameters<typeof loadConfig>[1] = {}) {
  const file = tmp.write(`cfg-${++n}.yaml`, yaml);
  return loadConfig(file, { displayBase: tmp.root, ...opts });
}

describe('loadConfig on a valid config', () => {
  it('applies top-level, plugin and task defaults', async () => {
    const cfg = await load(BASE_YAML);
    expect(cfg.resolved.seed).toBe(2024);
    expect(cfg.resolved.concurrency).toBe(8);
    expect(cfg.resolved.output).toBe('results');
    expect(cfg.resolved.report).toMatchObject({ formats: ['txt', 'md', 'csv', 'tex', 'html'], decimals: 3 });
    expect(cfg.seeds).toEqual([2024]);

    // Plugin option defaults land both in the runtime options and in the manifest form.
    const mf = cfg.methods.find((m) => m.id === 'mf');
    expect(mf).toBeDefined();
    expect(mf?.options).toMatchObject({ factors: 100, epochs: 20, lr: 0.005, reg: 0.02 });
    expect(cfg.resolved.methods[1]).toMatchObject({ plugin: 'mf', factors: 100, epochs: 20 });
    expect(cfg.resolved.llm).toMatchObject({ plugin: 'offline', model: 'offline-mock' });
    // Values written in the file are kept, not replaced by defaults.
    expect(cfg.datasets[0]?.options).toMatchObject({ users: 50, items: 100, genres: 12 });
    expect(cfg.tasks.map((t) => t.task.name)).toEqual(['preference-discrimination', 'rating']);
    expect(cfg.tasks[0]?.options).toMatchObject({ ratios: [1, 3, 9], itemsPerUser: 20 });
  });

  it('gives ids, plugins and the LLM to each entry', async () => {
    const cfg = await load(BASE_YAML.replace('{ plugin: popularity }', '{ plugin: popularity, id: pop-a }'));
    expect(cfg.datasets.map((d) => d.id)).toEqual(['synthetic-ratings']);
    expect(cfg.methods.map((m) => m.id)).toEqual(['pop-a', 'mf']);
    expect(cfg.methods.map((m) => m.plugin.name)).toEqual(['popularity', 'mf']);
    // Non-LLM methods get no LLM even when the config has one.
    expect(cfg.methods.every((m) => m.llm === null)).toBe(true);
    expect(cfg.layers).toEqual(['cfg-' + n + '.yaml']);
    expect(cfg.dir).toBe(realpathSync(tmp.root));
  });

  it('hands the top-level LLM to methods that use one', async () => {
    const cfg = await load(BASE_YAML.replace('{ plugin: popularity }', '{ plugin: zero-shot }'));
    const zs = cfg.methods.find((m) => m.id === 'zero-shot');
    expect(zs?.llm?.plugin.name).toBe('offline');
    expect(zs?.llm?.options).toMatchObject({ model: 'offline-mock' });
  });

  it('has a 64-hex hash that is the same when the same config is loaded twice', async () => {
    const a = await load(BASE_YAML);
    const b = await load(BASE_YAML);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
  });

  it('hash: concurrency, output, description and report do not change it; seed does', async () => {
    const base = await load(BASE_YAML);
    const conc = await load(`${BASE_YAML}concurrency: 3\n`);
    expect(conc.resolved.concurrency).toBe(3);
    expect(conc.hash).toBe(base.hash);
    const cosmetic = await load(
      `${BASE_YAML}output: elsewhere\ndescription: same run, other words\nreport: { decimals: 5, formats: [md] }\n`,
    );
    expect(cosmetic.hash).toBe(base.hash);

    const seed = await load(`${BASE_YAML}seed: 7\n`);
    expect(seed.resolved.seed).toBe(7);
    expect(seed.hash).not.toBe(base.hash);
    const seedDefault = await load(`${BASE_YAML}seed: 2024\n`);
    expect(seedDefault.hash).toBe(base.hash);
  });

  it('hash: a changed plugin option changes it; writing a default explicitly or reordering keys does not', async () => {
    const base = await load(BASE_YAML);
    const changed = await load(BASE_YAML.replace('{ plugin: mf }', '{ plugin: mf, factors: 32 }'));
    expect(changed.hash).not.toBe(base.hash);
    const explicit = await load(BASE_YAML.replace('{ plugin: mf }', '{ plugin: mf, factors: 100, epochs: 20 }'));
    expect(explicit.hash).toBe(base.hash);
    const reordered = await load(`tasks:
  - { task: preference-discrimination }
  - { task: rating }
methods:
  - { plugin: popularity }
  - { factors: 100, plugin: mf }
datasets:
  - { items: 100, users: 50, plugin: synthetic-ratings }
llm: { plugin: offline }
name: base-run
`);
    expect(reordered.hash).toBe(base.hash);
  });

  it('seeds: repeats the grid per seed', async () => {
    const cfg = await load(`${BASE_YAML}seeds: [1, 2, 3]\n`);
    expect(cfg.seeds).toEqual([1, 2, 3]);
  });
});

describe('loadConfig reports every problem at once', () => {
  const BAD = `name: bad
seed: abc
concurrancy: 4
llm: { plugin: offline }
datasets:
  - plugin: synthetic-ratings
    users: many
methods:
  - plugin: mff
  - plugin: mf
    factorz: 16
tasks:
  - task: rating
`;

  it('lists unknown key, wrong types, unknown plugin and unknown option together, with file:line:col', async () => {
    const e = await configError(load(BAD));
    const f = `cfg-${n}.yaml`;
    expect(e.issues).toHaveLength(5);
    expect(e.message).toMatch(/^5 problems in the config:\n/);
    const got = lines(e);
    expect(got[0]).toBe(`${f}:2:7: seed: must be integer (got string "abc")`);
    expect(got[1]).toMatch(
      new RegExp(
        `^${f}:3:1: concurrancy: unknown key "concurrancy"\\. Did you mean "concurrency"\\? Known keys: name, extends, .*\\bconcurrency\\b.*\\btasks\\b`,
      ),
    );
    expect(got[2]).toBe(
      `${f}:7:12: datasets[0].users: must be integer of dataset "synthetic-ratings" (got string "many")`,
    );
    expect(got[3]).toMatch(
      new RegExp(
        `^${f}:9:13: methods\\[0\\]\\.plugin: unknown method plugin "mff"\\. Did you mean "mf"\\? Available: .*\\bmf\\b`,
      ),
    );
    expect(got[3]).toContain('popularity');
    expect(got[4]).toMatch(
      new RegExp(
        `^${f}:11:5: methods\\[1\\]\\.factorz: unknown key "factorz" of method "mf"\\. Did you mean "factors"\\? Known keys: factors, epochs`,
      ),
    );
    // Every formatted line is also in the error message, indented.
    for (const l of got) expect(e.message).toContain(`  ${l}`);
  });

  it('keeps the structured issues: source, line, col, path', async () => {
    const e = await configError(load(BAD));
    expect(e.issues.map((i) => [i.source, i.line, i.col, i.path])).toEqual([
      [`cfg-${n}.yaml`, 2, 7, ['seed']],
      [`cfg-${n}.yaml`, 3, 1, ['concurrancy']],
      [`cfg-${n}.yaml`, 7, 12, ['datasets', 0, 'users']],
      [`cfg-${n}.yaml`, 9, 13, ['methods', 0, 'plugin']],
      [`cfg-${n}.yaml`, 11, 5, ['methods', 1, 'factorz']],
    ]);
  });

  it('reports missing required keys', async () => {
    const e = await configError(load('name: x\nmethods: [{ plugin: mf }]\n'));
    const msgs = e.issues.map((i) => i.message);
    expect(msgs).toContain('missing required key "datasets"');
    expect(msgs).toContain('missing required key "tasks"');
    expect(msgs).not.toContain('missing required key "methods"');
  });

  it('reports an unknown task with a suggestion and the list of tasks', async () => {
    const yaml = BASE_YAML.replace('{ task: rating }', '{ task: ratng }');
    const e = await configError(load(yaml));
    expect(lines(e)).toEqual([
      `cfg-${n}.yaml:10:13: tasks[1].task: unknown task "ratng". Did you mean "rating"? Available: human-likeness, next-action, opera-consistency, preference-discrimination, rating, recommender-evaluation`,
    ]);
  });

  it('reports an invalid task option', async () => {
    const e = await configError(
      load(
        BASE_YAML.replace('{ task: preference-discrimination }', '{ task: preference-discrimination, ratios: [0] }'),
      ),
    );
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toEqual(['tasks', 0, 'ratios', 0]);
    expect(e.issues[0]?.line).toBe(9);
    expect(e.issues[0]?.message).toContain('of task "preference-discrimination"');
  });

  it('reports a value outside a union of literals once, with the allowed values', async () => {
    const e = await configError(load(BASE_YAML.replace('users: 50', 'users: 50, split: randm')));
    expect(lines(e)).toEqual([
      `cfg-${n}.yaml:4:52: datasets[0].split: must be "agent4rec" or "random" or "leave-last-out" or "temporal" of dataset "synthetic-ratings" (got string "randm"). Did you mean "random"?`,
    ]);
  });

  it('reports duplicate method ids, a baseline that is not a method, and an LLM method without an llm', async () => {
    const yaml = `name: x
datasets: [{ plugin: synthetic-ratings }]
methods:
  - { plugin: mf }
  - { plugin: mf }
  - { plugin: zero-shot }
tasks: [{ task: rating }]
report: { baseline: zero-sho }
`;
    const e = await configError(load(yaml));
    const got = lines(e);
    expect(got).toHaveLength(3);
    expect(got[0]).toBe(
      `cfg-${n}.yaml:5:5: methods[1]: "mf" appears twice in methods: give one of them a distinct id: (e.g. id: mf-2)`,
    );
    expect(got[1]).toMatch(/:6:5: methods\[2\]: method "zero-shot" calls an LLM: add a top-level "llm:"/);
    expect(got[2]).toMatch(
      /:8:21: report\.baseline: baseline "zero-sho" is not a method id of this config\. Did you mean "zero-shot"\?$/,
    );
  });

  it('rejects a file that is not a mapping', async () => {
    const e = await configError(load('- a\n- b\n'));
    expect(lines(e)).toEqual([`cfg-${n}.yaml:1:1: (top level): the config must be a YAML mapping (key: value lines)`]);
  });

  it('rejects a missing config file', async () => {
    const e = await configError(loadConfig(tmp.path('nope.yaml'), { displayBase: tmp.root }));
    expect(lines(e)).toEqual(['nope.yaml: (top level): config file not found']);
  });
});

describe('local plugin files', () => {
  const METHOD = (api: string) => `import { defineMethod, Type } from ${JSON.stringify(api)};
export default defineMethod({
  name: 'my-method',
  description: 'a local test method',
  options: Type.Object({ k: Type.Integer({ minimum: 1, default: 3 }) }, { additionalProperties: false }),
  usesLlm: false,
  capabilities: ['rate'],
  async create(o) {
    return { async rate(_user, items) { return items.map((i) => ({ item: i.id, rating: o.k })); } };
  },
});
`;
  const withLocal = (ref: string, extra = '') =>
    BASE_YAML.replace('{ plugin: popularity }', `{ plugin: ${ref}${extra} }`);

  it('are refused without allowLocalPlugins, with a message naming --allow-local-plugins', async () => {
    tmp.write('my-method.ts', METHOD(PLUGIN_API));
    const e = await configError(load(withLocal('./my-method.ts')));
    expect(e.issues).toHaveLength(1);
    const issue = e.issues[0];
    expect(issue?.path).toEqual(['methods', 0, 'plugin']);
    expect(issue?.line).toBe(6);
    expect(issue?.message).toContain('--allow-local-plugins');
    expect(issue?.message).toContain('./my-method.ts');
  });

  it('are loaded with allowLocalPlugins, options validated and defaulted', async () => {
    tmp.write('my-method.ts', METHOD(PLUGIN_API));
    const cfg = await load(withLocal('./my-method.ts'), { allowLocalPlugins: true });
    const m = cfg.methods[0];
    expect(m?.id).toBe('my-method');
    expect(m?.plugin.kind).toBe('method');
    expect(m?.plugin.name).toBe('my-method');
    expect(m?.options).toEqual({ k: 3 });
    expect(cfg.resolved.methods[0]).toEqual({ plugin: './my-method.ts', k: 3 });

    const e = await configError(load(withLocal('./my-method.ts', ', kk: 1'), { allowLocalPlugins: true }));
    expect(lines(e)).toEqual([
      expect.stringMatching(/:6:31: methods\[0\]\.kk: unknown key "kk" of method "my-method"\. Did you mean "k"\?/),
    ]);
  });

  it('a missing local file or one of the wrong kind is reported', async () => {
    const missing = await configError(load(withLocal('./absent.ts'), { allowLocalPlugins: true }));
    expect(missing.issues[0]?.path).toEqual(['methods', 0, 'plugin']);
    expect(missing.issues[0]?.message).toMatch(/local method plugin "\.\/absent\.ts" not found/);

    tmp.write('my-method.ts', METHOD(PLUGIN_API));
    const wrongKind = await configError(
      load(BASE_YAML.replace('{ plugin: offline }', '{ plugin: ./my-method.ts }'), { allowLocalPlugins: true }),
    );
    expect(wrongKind.issues[0]?.path).toEqual(['llm', 'plugin']);
    expect(wrongKind.issues[0]?.message).toMatch(/must default-export a llm plugin made with defineLlm\(\)/);
  });
});
