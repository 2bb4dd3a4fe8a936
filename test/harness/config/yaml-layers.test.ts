import { realpathSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/config/load.js';
import { locateIn, mergeLayers, readLayers } from '../../../harness/config/yaml-layers.js';
import { BASE_YAML, configError, configErrorSync, lineOf, lines, TempDir } from './fixtures.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const load = (file: string) => loadConfig(file, { displayBase: tmp.root });

describe('YAML parsing', () => {
  it('rejects a duplicate top-level key with its line number', async () => {
    const yaml = `${BASE_YAML}seed: 1\nseed: 2\n`;
    const file = tmp.write('dup-top.yaml', yaml);
    const e = await configError(load(file));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.line).toBe(lineOf(yaml, 'seed: 2'));
    expect(lines(e)[0]).toMatch(
      /^dup-top\.yaml:12:1: \(top level\): YAML: Map keys must be unique \(each key may appear once in a mapping\)$/,
    );
  });

  it('rejects a duplicate key inside a nested mapping with its line number', async () => {
    const yaml = BASE_YAML.replace('  - { plugin: mf }', '  - plugin: mf\n    factors: 8\n    factors: 16');
    const file = tmp.write('dup-nested.yaml', yaml);
    const e = await configError(load(file));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.line).toBe(lineOf(yaml, 'factors: 16'));
    expect(e.issues[0]?.message).toContain('each key may appear once');
  });

  it('reports a syntax error with a line number and without running validation', async () => {
    const yaml = 'name: x\nmethods: [ { plugin: mf }\ntasks: []\n';
    const file = tmp.write('syntax.yaml', yaml);
    const e = await configError(load(file));
    expect(e.issues.length).toBeGreaterThan(0);
    for (const i of e.issues) {
      expect(i.message).toMatch(/^YAML: /);
      expect(i.line).toBeGreaterThanOrEqual(2);
    }
  });

  it('rejects a "billion laughs" alias bomb quickly with a clear message', async () => {
    const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    let yaml = `name: bomb\n${levels[0]}: &${levels[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
    for (let k = 1; k < levels.length; k++) {
      const prev = levels[k - 1] as string;
      yaml += `${levels[k]}: &${levels[k]} [${Array(10).fill(`*${prev}`).join(',')}]\n`;
    }
    const file = tmp.write('bomb.yaml', yaml);
    const t0 = performance.now();
    const e = await configError(load(file));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2000);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.source).toBe('bomb.yaml');
    expect(e.issues[0]?.message).toMatch(/alias/i);
    expect(e.issues[0]?.message).toMatch(/resource exhaustion|limited to \d+ expansions/);
  });

  it('rejects an alias bomb in an extended base file, naming that file', async () => {
    let base = 'x0: &x0 [1,1,1,1,1,1,1,1,1,1]\n';
    for (let k = 1; k < 8; k++)
      base += `x${k}: &x${k} [${Array(10)
        .fill(`*x${k - 1}`)
        .join(',')}]\n`;
    tmp.write('bomb-ext/base.yaml', base);
    const file = tmp.write('bomb-ext/derived.yaml', `extends: base.yaml\n${BASE_YAML}`);
    const e = await configError(load(file));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.source).toBe('bomb-ext/base.yaml');
    expect(e.issues[0]?.message).toMatch(/alias/i);
  });

  it('still accepts a few ordinary aliases', async () => {
    const yaml = BASE_YAML.replace(
      '{ task: preference-discrimination }',
      '{ task: preference-discrimination, ratios: &r [1, 3] }',
    ).replace('{ plugin: mf }', '{ plugin: mf, factors: &f 12, epochs: *f }');
    const cfg = await load(tmp.write('alias-ok.yaml', yaml));
    expect(cfg.resolved.methods[1]).toMatchObject({ factors: 12, epochs: 12 });
    expect(cfg.tasks[0]?.options['ratios']).toEqual([1, 3]);
  });
});

describe('extends:', () => {
  const BASE = `name: base
seed: 11
llm:
  plugin: offline
  model: base-model
datasets:
  - { plugin: synthetic-ratings, users: 50 }
methods:
  - { plugin: popularity }
  - { plugin: mf, factors: 8 }
tasks:
  - task: rating
  - task: preference-discrimination
    ratios: [1, 2]
report:
  decimals: 2
  formats: [md]
`;

  it('resolves a relative path, deep-merges mappings, replaces lists, and the derived file wins', async () => {
    tmp.write('ext/sub/base.yaml', BASE);
    const file = tmp.write(
      'ext/derived.yaml',
      `extends: sub/base.yaml
name: derived
methods:
  - { plugin: mf, factors: 4 }
report:
  decimals: 4
llm:
  model: derived-model
`,
    );
    const cfg = await load(file);
    expect(cfg.layers).toEqual(['ext/derived.yaml', 'ext/sub/base.yaml']);
    expect(cfg.resolved.name).toBe('derived');
    expect(cfg.resolved.seed).toBe(11); // from the base
    // mapping keys merge, derived wins per key
    expect(cfg.resolved.report).toMatchObject({ decimals: 4, formats: ['md'] });
    expect(cfg.resolved.llm).toMatchObject({ plugin: 'offline', model: 'derived-model' });
    // lists are replaced, not concatenated or merged by index
    expect(cfg.methods.map((m) => m.id)).toEqual(['mf']);
    expect(cfg.methods[0]?.options['factors']).toBe(4);
    // a list only in the base is kept as is
    expect(cfg.tasks.map((t) => t.task.name)).toEqual(['rating', 'preference-discrimination']);
    expect(cfg.tasks[1]?.options['ratios']).toEqual([1, 2]);
    // extends: itself is not part of the resolved config
    expect('extends' in (cfg.resolved as object)).toBe(false);
  });

  it('an extended config hashes like the same config written out in one file', async () => {
    tmp.write('flat/sub/base.yaml', BASE);
    const derived = await load(tmp.write('flat/derived.yaml', 'extends: ./sub/base.yaml\nname: flat\nseed: 12\n'));
    const flat = await load(
      tmp.write('flat/flat.yaml', BASE.replace('name: base', 'name: flat').replace('seed: 11', 'seed: 12')),
    );
    expect(derived.hash).toBe(flat.hash);
    expect(derived.resolved).toEqual(flat.resolved);
  });

  it('follows a chain of three files, ../ paths included', async () => {
    tmp.write('chain/root.yaml', BASE);
    tmp.write('chain/mid/mid.yaml', 'extends: ../root.yaml\nseed: 12\nconcurrency: 3\n');
    const file = tmp.write('chain/mid/leaf/leaf.yaml', 'extends: ../mid.yaml\nname: leaf\nconcurrency: 5\n');
    const cfg = await load(file);
    expect(cfg.layers).toEqual(['chain/mid/leaf/leaf.yaml', 'chain/mid/mid.yaml', 'chain/root.yaml']);
    expect(cfg.resolved).toMatchObject({ name: 'leaf', seed: 12, concurrency: 5 });
    expect(cfg.dir).toBe(realpathSync(tmp.path('chain/mid/leaf')));
  });

  it('locates each error in the file that defined the key', async () => {
    const base = `name: base
llm:
  plugin: offline
  model: 5
datasets:
  - { plugin: synthetic-ratings, userz: 50 }
methods:
  - { plugin: popularity }
tasks:
  - task: rating
`;
    tmp.write('loc/sub/base.yaml', base);
    const derived = `extends: ./sub/base.yaml
name: derived
seed: x
llm:
  plugin: offline
`;
    const e = await configError(load(tmp.write('loc/derived.yaml', derived)));
    expect(lines(e)).toEqual([
      'loc/derived.yaml:3:7: seed: must be integer (got string "x")',
      'loc/sub/base.yaml:4:10: llm.model: must be string of llm "offline" (got number 5)',
      expect.stringMatching(
        /^loc\/sub\/base\.yaml:6:34: datasets\[0\]\.userz: unknown key "userz" of dataset "synthetic-ratings"\. Did you mean "users"\?/,
      ),
    ]);
  });

  it('a key set in both files is located in the derived file', async () => {
    tmp.write('both/base.yaml', BASE.replace('  model: base-model', '  model: 7'));
    const e = await configError(
      load(tmp.write('both/derived.yaml', 'extends: base.yaml\nname: d\nllm:\n  model: 8\n')),
    );
    expect(lines(e)).toEqual(['both/derived.yaml:4:10: llm.model: must be string of llm "offline" (got number 8)']);
  });

  it('detects a cycle a → b → a and names the chain', async () => {
    tmp.write('cyc/a.yaml', 'extends: b.yaml\nname: a\n');
    tmp.write('cyc/b.yaml', 'extends: a.yaml\nname: b\n');
    const e = await configError(load(tmp.path('cyc/a.yaml')));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toEqual(['extends']);
    expect(lines(e)).toEqual([
      'cyc/b.yaml:1:10: extends: cycle: cyc/a.yaml → cyc/b.yaml → cyc/a.yaml: remove one of these extends:',
    ]);
  });

  it('detects a file extending itself', async () => {
    const e = await configError(load(tmp.write('cyc/self.yaml', 'extends: ./self.yaml\nname: a\n')));
    expect(e.issues[0]?.message).toBe('cycle: cyc/self.yaml → cyc/self.yaml: remove one of these extends:');
  });

  it('detects a longer cycle that does not include the first file', async () => {
    tmp.write('cyc3/b.yaml', 'extends: c.yaml\n');
    tmp.write('cyc3/c.yaml', 'extends: b.yaml\n');
    const e = await configError(load(tmp.write('cyc3/a.yaml', 'extends: b.yaml\nname: a\n')));
    expect(e.issues[0]?.message).toBe(
      'cycle: cyc3/a.yaml → cyc3/b.yaml → cyc3/c.yaml → cyc3/b.yaml: remove one of these extends:',
    );
  });

  it('reports a missing extends file at the extends: line that names it', async () => {
    const e = await configError(load(tmp.write('miss/derived.yaml', 'extends: nope.yaml\nname: a\n')));
    expect(lines(e)).toEqual([
      'miss/derived.yaml:1:10: extends: miss/nope.yaml does not exist (the path is relative to miss/derived.yaml): fix the path or remove extends:',
    ]);
  });

  it('rejects an extends: that is not a string, at its line', async () => {
    const e = await configError(load(tmp.write('ext-list.yaml', 'name: a\nextends: [a.yaml, b.yaml]\n')));
    expect(lines(e)).toEqual(['ext-list.yaml:2:10: extends: extends: must be a relative path to another config file']);
  });
});

describe('readLayers / mergeLayers / locateIn', () => {
  it('mergeLayers merges nested mappings, replaces lists and scalars, and drops extends', () => {
    tmp.write('unit/base.yaml', 'a: { x: 1, y: { p: 1, q: 2 } }\nl: [1, 2, 3]\ns: base\nonly: base\n');
    const file = tmp.write(
      'unit/top.yaml',
      'extends: base.yaml\na: { y: { q: 20, r: 30 } }\nl: [9]\ns: { now: mapping }\n',
    );
    const layers = readLayers(file, tmp.root);
    expect(layers.map((l) => l.file)).toEqual([realpathSync(file), realpathSync(tmp.path('unit/base.yaml'))]);
    const merged = mergeLayers(layers);
    expect(merged).toEqual({ a: { x: 1, y: { p: 1, q: 20, r: 30 } }, l: [9], s: { now: 'mapping' }, only: 'base' });
    // merging does not modify the layers themselves
    expect(layers[1]?.data['l']).toEqual([1, 2, 3]);
    merged['only'] = 'changed';
    expect(layers[1]?.data['only']).toBe('base');
  });

  it('locateIn finds a key or its value, in maps and lists, and nothing for absent paths', () => {
    const text = 'name: x\nmethods:\n  - plugin: mf\n    factors: 8\n';
    const [layer] = readLayers(tmp.write('unit/locate.yaml', text), tmp.root);
    if (!layer) throw new Error('no layer');
    expect(locateIn(layer, ['methods', 0, 'factors'])).toEqual({ line: 4, col: 14 });
    expect(locateIn(layer, ['methods', 0, 'factors'], true)).toEqual({ line: 4, col: 5 });
    expect(locateIn(layer, ['methods', 0])).toEqual({ line: 3, col: 5 });
    expect(locateIn(layer, ['methods', 1])).toBeUndefined();
    expect(locateIn(layer, ['nope'])).toBeUndefined();
    expect(locateIn(layer, ['name', 'deeper'])).toBeUndefined();
  });

  it('readLayers throws a ConfigError for a missing file', () => {
    const e = configErrorSync(() => readLayers(tmp.path('unit/absent.yaml'), tmp.root));
    expect(lines(e)).toEqual(['unit/absent.yaml: (top level): config file not found']);
  });
});
