import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PluginKind } from '../../../harness/plugin-api.js';
import {
  isLocalPluginRef,
  KIND_PLURAL,
  loadPlugin,
  pluginNames,
  RegistryError,
  unknownPluginMessage,
} from '../../../harness/registry/registry.js';
import { PROJECT_ROOT } from '../../support/project.js';

const KINDS: PluginKind[] = ['dataset', 'recommender', 'llm', 'method'];
const builtIn = { baseDir: PROJECT_ROOT, allowLocalPlugins: false };

const tmp = mkdtempSync(join(tmpdir(), 'usersim-registry-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function registryError(p: Promise<unknown>): Promise<RegistryError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(RegistryError);
  return caught as RegistryError;
}

describe('pluginNames', () => {
  it('lists the built-in plugins of each kind, sorted', () => {
    expect(pluginNames('method')).toEqual(expect.arrayContaining(['mf', 'popularity', 'zero-shot']));
    expect(pluginNames('llm')).toEqual(expect.arrayContaining(['offline']));
    expect(pluginNames('dataset')).toEqual(expect.arrayContaining(['synthetic-ratings', 'movielens']));
    expect(pluginNames('recommender')).toEqual(expect.arrayContaining(['random', 'pop']));
    for (const kind of KINDS) {
      const names = pluginNames(kind);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('has a plural for every kind', () => {
    expect(KIND_PLURAL).toEqual({
      dataset: 'datasets',
      recommender: 'recommenders',
      llm: 'llms',
      method: 'methods',
      task: 'tasks',
    });
  });
});

describe('loadPlugin', () => {
  it('every listed built-in loads, has the right kind, its own name, a description and an options schema', async () => {
    for (const kind of KINDS) {
      for (const name of pluginNames(kind)) {
        const p = await loadPlugin(kind, name, builtIn);
        expect(p.kind, `${kind}:${name}`).toBe(kind);
        expect(p.name, `${kind}:${name}`).toBe(name);
        expect(p.description.length, `${kind}:${name}`).toBeGreaterThan(10);
        expect((p.options as { type?: string }).type, `${kind}:${name}`).toBe('object');
      }
    }
  });

  it('an unknown name gives a suggestion and the list of available plugins', async () => {
    const e = await registryError(loadPlugin('method', 'mff', builtIn));
    expect(e.message).toBe(
      `unknown method plugin "mff". Did you mean "mf"? Available: ${pluginNames('method').join(', ')}`,
    );
    const e2 = await registryError(loadPlugin('llm', 'ofline', builtIn));
    expect(e2.message).toMatch(/^unknown llm plugin "ofline"\. Did you mean "offline"\? Available: .*offline/);
  });

  it('a name far from every plugin gets the list but no suggestion', () => {
    const msg = unknownPluginMessage('dataset', 'qqqqqqqqqqqq');
    expect(msg).toBe(`unknown dataset plugin "qqqqqqqqqqqq". Available: ${pluginNames('dataset').join(', ')}`);
    expect(msg).not.toContain('Did you mean');
  });

  it('a plugin of another kind is not found under this kind', async () => {
    const e = await registryError(loadPlugin('llm', 'mf', builtIn));
    expect(e.message).toMatch(/^unknown llm plugin "mf"\./);
  });
});

describe('local plugin files', () => {
  it('isLocalPluginRef: ./, ../ and absolute paths only', () => {
    expect(isLocalPluginRef('./x.ts')).toBe(true);
    expect(isLocalPluginRef('../x.ts')).toBe(true);
    expect(isLocalPluginRef('/abs/x.ts')).toBe(true);
    expect(isLocalPluginRef('mf')).toBe(false);
    expect(isLocalPluginRef('zero-shot')).toBe(false);
  });

  it('are refused unless allowed, naming --allow-local-plugins', async () => {
    const e = await registryError(loadPlugin('method', './my-method.ts', { baseDir: tmp, allowLocalPlugins: false }));
    expect(e.message).toContain('"./my-method.ts" is a local plugin file');
    expect(e.message).toContain('--allow-local-plugins');
  });

  it('are loaded when allowed, relative to baseDir', async () => {
    const api = join(PROJECT_ROOT, 'harness/plugin-api.ts');
    writeFileSync(
      join(tmp, 'rec.ts'),
      `import { defineRecommender, Type } from ${JSON.stringify(api)};
export default defineRecommender({
  name: 'local-rec',
  description: 'local test recommender',
  options: Type.Object({}, { additionalProperties: false }),
  async fit() { return { recommend: () => [] }; },
});
`,
    );
    const p = await loadPlugin('recommender', './rec.ts', { baseDir: tmp, allowLocalPlugins: true });
    expect(p.kind).toBe('recommender');
    expect(p.name).toBe('local-rec');
    const abs = await loadPlugin('recommender', join(tmp, 'rec.ts'), { baseDir: '/', allowLocalPlugins: true });
    expect(abs.name).toBe('local-rec');

    const wrong = await registryError(loadPlugin('method', './rec.ts', { baseDir: tmp, allowLocalPlugins: true }));
    expect(wrong.message).toMatch(/must default-export a method plugin made with defineMethod\(\)/);
  });

  it('a missing file or one without a plugin default export is reported', async () => {
    const missing = await registryError(loadPlugin('method', './absent.ts', { baseDir: tmp, allowLocalPlugins: true }));
    expect(missing.message).toBe(`local method plugin "./absent.ts" not found at ${join(tmp, 'absent.ts')}`);
    writeFileSync(join(tmp, 'nodefault.ts'), 'export const x = 1;\n');
    const nodefault = await registryError(
      loadPlugin('llm', './nodefault.ts', { baseDir: tmp, allowLocalPlugins: true }),
    );
    expect(nodefault.message).toMatch(/must default-export a llm plugin made with defineLlm\(\)/);
  });
});
