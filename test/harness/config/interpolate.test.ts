import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasEnvRef, interpolateEnv } from '../../../harness/config/interpolate.js';
import { loadConfig } from '../../../harness/config/load.js';
import type { LlmProvider } from '../../../harness/plugin-api.js';
import { BASE_YAML, configError, lineOf, lines, PLUGIN_API, TempDir } from './fixtures.js';

const tmp = new TempDir();
afterAll(() => tmp.cleanup());

const SECRET = 'sk-test-123';

/** A local LLM plugin with one secret option (apiKey) and one ordinary option (model). */
const KEYED_LLM = `import { defineLlm, Type } from ${JSON.stringify(PLUGIN_API)};
export default defineLlm({
  name: 'keyed',
  description: 'test LLM that needs an API key',
  options: Type.Object(
    {
      apiKey: Type.String({ secret: true, description: 'API key' }),
      model: Type.String({ default: 'keyed-model' }),
    },
    { additionalProperties: false },
  ),
  async create(o) {
    return {
      provider: 'keyed',
      model: o.model,
      mock: true,
      identity: { provider: 'keyed', model: o.model },
      apiKeySeen: o.apiKey,
      async complete() {
        return { text: '', model: o.model, usage: { input: 0, cachedInput: 0, output: 0 } };
      },
    };
  },
});
`;

const SECRET_YAML = `name: secret-run
llm:
  plugin: ./keyed-llm.ts
  apiKey: \${MY_KEY}
datasets:
  - { plugin: synthetic-ratings, users: 20, items: 50 }
methods:
  - { plugin: zero-shot }
  - { plugin: mf }
tasks:
  - { task: rating }
`;

let secretFile = '';
beforeAll(() => {
  tmp.write('keyed-llm.ts', KEYED_LLM);
  secretFile = tmp.write('secret.yaml', SECRET_YAML);
});

const loadSecret = (env: NodeJS.ProcessEnv, file = secretFile) =>
  loadConfig(file, { displayBase: tmp.root, allowLocalPlugins: true, env });

describe('interpolateEnv / hasEnvRef', () => {
  it('replaces ${VAR} references and lists the missing or empty ones', () => {
    expect(interpolateEnv('Bearer ${A}-${B}', { A: 'x', B: 'y' })).toEqual({ value: 'Bearer x-y', missing: [] });
    expect(interpolateEnv('${A}${B}${C}', { A: 'x', B: '' })).toEqual({ value: 'x', missing: ['B', 'C'] });
    expect(interpolateEnv('no refs', {})).toEqual({ value: 'no refs', missing: [] });
  });

  it('hasEnvRef is true only for strings containing ${', () => {
    expect(hasEnvRef('${X}')).toBe(true);
    expect(hasEnvRef('key-${X}')).toBe(true);
    expect(hasEnvRef('$X')).toBe(false);
    expect(hasEnvRef(42)).toBe(false);
    expect(hasEnvRef(['${X}'])).toBe(false);
  });
});

describe('${ENV} in a config', () => {
  it('is refused in a non-secret field of a built-in plugin, at its line', async () => {
    const yaml = BASE_YAML.replace('llm: { plugin: offline }', 'llm:\n  plugin: offline\n  model: "${MY_MODEL}"');
    const file = tmp.write('stray.yaml', yaml);
    const e = await configError(loadConfig(file, { displayBase: tmp.root, env: { MY_MODEL: 'gpt' } }));
    expect(lines(e)).toEqual([
      `stray.yaml:${lineOf(yaml, 'MY_MODEL')}:10: llm.model: \${...} environment interpolation is allowed only in fields a plugin declares secret (API keys); write the value itself here`,
    ]);
  });

  it('is refused in a top-level field and in a non-secret field of a plugin that has a secret one', async () => {
    const yaml =
      SECRET_YAML.replace('  apiKey: ${MY_KEY}', '  apiKey: ${MY_KEY}\n  model: ${MY_MODEL}') +
      'description: "by ${USER}"\n';
    const file = tmp.write('stray2.yaml', yaml);
    const e = await configError(loadSecret({ MY_KEY: SECRET, MY_MODEL: 'm', USER: 'me' }, file));
    expect(e.issues.map((i) => [i.line, i.path])).toEqual([
      [lineOf(yaml, 'MY_MODEL'), ['llm', 'model']],
      [lineOf(yaml, 'description'), ['description']],
    ]);
    for (const i of e.issues) expect(i.message).toMatch(/allowed only in fields a plugin declares secret/);
  });

  it('fills a secret field for the plugin at run time, while the manifest form keeps ${VAR}', async () => {
    const cfg = await loadSecret({ MY_KEY: SECRET });
    const zs = cfg.methods.find((m) => m.id === 'zero-shot');
    expect(zs?.llm?.plugin.name).toBe('keyed');
    expect(zs?.llm?.options).toMatchObject({ apiKey: SECRET, model: 'keyed-model' });
    // the plugin itself receives the value
    const provider = (await zs!.llm!.plugin.create(zs!.llm!.options as never, {
      seed: 1,
      configDir: cfg.dir,
      log: { info: () => {}, warn: () => {} },
    })) as LlmProvider & { apiKeySeen?: string };
    expect(provider.apiKeySeen).toBe(SECRET);

    // the resolved (manifest) form keeps the reference, never the value
    expect(cfg.resolved.llm).toMatchObject({ plugin: './keyed-llm.ts', apiKey: '${MY_KEY}', model: 'keyed-model' });
    expect(JSON.stringify(cfg.resolved)).not.toContain(SECRET);
    expect(cfg.hash).not.toContain(SECRET);
  });

  it('the hash does not depend on the secret value', async () => {
    const a = await loadSecret({ MY_KEY: SECRET });
    const b = await loadSecret({ MY_KEY: 'sk-something-else-456' });
    expect(b.methods[0]?.llm?.options['apiKey']).toBe('sk-something-else-456');
    expect(b.hash).toBe(a.hash);
  });

  it('a secret field may also hold the literal value (no interpolation needed)', async () => {
    const file = tmp.write('literal.yaml', SECRET_YAML.replace('${MY_KEY}', 'literal-key'));
    const cfg = await loadSecret({}, file);
    expect(cfg.methods[0]?.llm?.options['apiKey']).toBe('literal-key');
  });

  it('a missing (or empty) environment variable is reported at the field', async () => {
    for (const env of [{}, { MY_KEY: '' }]) {
      const e = await configError(loadSecret(env));
      expect(lines(e)).toEqual([
        `secret.yaml:4:11: llm.apiKey: environment variable MY_KEY is not set: export it before running (its value is never written to results)`,
      ]);
    }
  });

  it('works for an LLM given under one method', async () => {
    const yaml = `name: per-method
datasets: [{ plugin: synthetic-ratings }]
methods:
  - plugin: zero-shot
    llm:
      plugin: ./keyed-llm.ts
      apiKey: \${MY_KEY}
tasks: [{ task: rating }]
`;
    const cfg = await loadSecret({ MY_KEY: SECRET }, tmp.write('per-method.yaml', yaml));
    expect(cfg.methods[0]?.llm?.options['apiKey']).toBe(SECRET);
    expect(cfg.resolved.methods[0]?.llm).toMatchObject({ apiKey: '${MY_KEY}' });
    expect(JSON.stringify(cfg.resolved)).not.toContain(SECRET);

    const e = await configError(loadSecret({}, tmp.path('per-method.yaml')));
    expect(e.issues.map((i) => [i.line, i.path])).toEqual([[7, ['methods', 0, 'llm', 'apiKey']]]);
  });
});
