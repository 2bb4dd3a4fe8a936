import { existsSync } from 'node:fs';
import { loadReported, type ReportedValues } from '../results/reported-values.js';
import { dirname, resolve } from 'node:path';
import type { DatasetPlugin } from '../api/dataset.js';
import type { LlmPlugin } from '../api/llm.js';
import type { MethodPlugin } from '../api/method.js';
import type { PluginKind } from '../api/plugin.js';
import type { RecommenderPlugin } from '../api/recommender.js';
import type { ConfigRef, TaskPlugin } from '../api/task.js';
import { loadPlugin, RegistryError } from '../registry/registry.js';
import { createConfigAjv } from '../util/ajv.js';
import { RUNTIME_KEYS, runtimeIssues } from '../llm/runtime-options.js';
import { hashJson } from '../util/hash.js';
import { didYouMean } from '../util/suggest.js';
import { ConfigError, type ConfigIssue, type PathSeg } from './config-error.js';
import { hasEnvRef } from './interpolate.js';
import { applyOverride, parseOverride, type Override } from './overrides.js';
import { ConfigSchema, UNHASHED_KEYS, type RawConfig } from './schema.js';
import { displayName, isPlainObject, locateIn, mergeLayers, readLayers, type Layer } from './yaml-layers.js';
import type { LoadedConfig, MethodUse, PluginUse, TaskUse } from './loaded-config.js';
import { withRuntimeOptions } from './llm-options.js';
import { checkUnique, collapseErrors, crossCheck, reportAjv, resolveRef, validateOptions } from './option-checks.js';
import { interpolateSecrets, registerSecretEnvOptions } from './secret-options.js';

export type { LoadedConfig, MethodUse, PluginUse, TaskUse } from './loaded-config.js';
export { splitLlmOptions } from './llm-options.js';

export interface LoadOptions {
  readonly sets?: readonly string[];
  readonly allowLocalPlugins?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Paths in messages are shown relative to this directory. */
  readonly displayBase?: string;
}

const RESERVED: Record<'dataset' | 'method' | 'llm' | 'recommender', readonly string[]> = {
  dataset: ['plugin', 'id'],
  recommender: ['plugin', 'id'],
  method: ['plugin', 'id', 'llm'],
  llm: ['plugin'],
};

/**
 * YAML → extends → --set → one validation of the whole config and of every
 * plugin's options, all problems reported at once with file:line:col.
 */
export async function loadConfig(file: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const displayBase = opts.displayBase ?? process.cwd();
  const env = opts.env ?? process.env;
  const layers = readLayers(resolve(file), displayBase);
  const data = mergeLayers(layers);
  const overrides: Override[] = (opts.sets ?? []).map(parseOverride);
  for (const o of overrides) applyOverride(data, o);

  const issues: ConfigIssue[] = [];
  const where = (path: readonly PathSeg[], key = false): Omit<ConfigIssue, 'path' | 'message'> =>
    locate(layers, overrides, displayBase, path, key);
  const report = (path: readonly PathSeg[], message: string, key = false) =>
    issues.push({ ...where(path, key), path, message });

  const secretPaths = new Set<string>();
  // Entries whose plugin could not be loaded: their options cannot be checked, so say nothing more about them.
  const unchecked = new Set<string>();
  const ajv = createConfigAjv();
  const validateTop = ajv.compile(ConfigSchema);
  validateTop(data);
  for (const e of collapseErrors(validateTop.errors ?? [])) reportAjv(e, [], report);

  const configDir = dirname(layers[0]?.file ?? resolve(file));
  // A relative path means "relative to the file that wrote it", also when that file is an extends: base.
  const baseDirOf = (path: readonly PathSeg[]): string => {
    const layer = layers.find((l) => locateIn(l, path) !== undefined);
    return layer ? dirname(layer.file) : configDir;
  };
  const resolveOptsFor = (path: readonly PathSeg[]) => ({
    baseDir: baseDirOf(path),
    allowLocalPlugins: opts.allowLocalPlugins ?? false,
  });

  type AnyUsed = DatasetPlugin | MethodPlugin | LlmPlugin | RecommenderPlugin;
  async function use(
    kind: 'dataset' | 'method' | 'llm' | 'recommender',
    entry: unknown,
    path: PathSeg[],
  ): Promise<{ plugin: AnyUsed; options: Record<string, unknown> } | null> {
    if (!isPlainObject(entry) || typeof entry['plugin'] !== 'string') return null;
    let plugin: AnyUsed;
    try {
      plugin = await loadPlugin(kind, entry['plugin'], resolveOptsFor([...path, 'plugin']));
    } catch (e) {
      if (e instanceof RegistryError) {
        report([...path, 'plugin'], e.message);
        unchecked.add(path.join('\u0000'));
        return null;
      }
      throw e;
    }
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry)) if (!RESERVED[kind].includes(k)) options[k] = v;
    // LLM entries also take the harness's runtime options (limits, retries, execution).
    const schema = kind === 'llm' ? withRuntimeOptions(plugin.options) : plugin.options;
    const before = issues.length;
    validateOptions(ajv.compile(schema), schema, options, path, report, `${kind} "${plugin.name}"`);
    // Cross-field checks read well-typed options only: after a schema error they would only repeat it.
    if (issues.length === before) {
      crossCheck(plugin.check?.bind(plugin), options, path, report);
      if (kind === 'llm') crossCheck(runtimeIssues, options, path, report);
    }
    for (const [k, v] of Object.entries(options)) entry[k] = v;
    const runtime = interpolateSecrets(plugin.options, options, path, env, report, secretPaths);
    registerSecretEnvOptions(plugin.options, options, env);
    return { plugin, options: runtime };
  }

  const cfg = data as unknown as RawConfig;
  let topLlm: PluginUse<LlmPlugin> | null = null;
  if (isPlainObject(data['llm'])) {
    const u = await use('llm', data['llm'], ['llm']);
    if (u)
      topLlm = {
        id: u.plugin.name,
        plugin: u.plugin as LlmPlugin,
        options: u.options,
        baseDir: baseDirOf(['llm']),
        path: ['llm'],
      };
  }

  let judge: PluginUse<LlmPlugin> | null = topLlm;
  if (isPlainObject(data['judge'])) {
    const u = await use('llm', data['judge'], ['judge']);
    judge = u
      ? {
          id: u.plugin.name,
          plugin: u.plugin as LlmPlugin,
          options: u.options,
          baseDir: baseDirOf(['judge']),
          path: ['judge'],
        }
      : null;
  }

  const datasets: PluginUse<DatasetPlugin>[] = [];
  for (const [i, entry] of asList(data['datasets']).entries()) {
    const u = await use('dataset', entry, ['datasets', i]);
    if (u)
      datasets.push({
        id: idOf(entry, u.plugin.name),
        plugin: u.plugin as DatasetPlugin,
        options: u.options,
        baseDir: baseDirOf(['datasets', i]),
        path: ['datasets', i],
      });
  }

  const methods: MethodUse[] = [];
  for (const [i, entry] of asList(data['methods']).entries()) {
    const u = await use('method', entry, ['methods', i]);
    if (!u) continue;
    const plugin = u.plugin as MethodPlugin;
    let llm = topLlm;
    if (isPlainObject(entry) && isPlainObject(entry['llm'])) {
      const lu = await use('llm', entry['llm'], ['methods', i, 'llm']);
      llm = lu
        ? {
            id: lu.plugin.name,
            plugin: lu.plugin as LlmPlugin,
            options: lu.options,
            baseDir: baseDirOf(['methods', i, 'llm']),
            path: ['methods', i, 'llm'],
          }
        : null;
    } else if (plugin.usesLlm && !topLlm && !isPlainObject(data['llm'])) {
      report(
        ['methods', i],
        `method "${plugin.name}" calls an LLM: add a top-level "llm:" (e.g. llm: { plugin: offline }) or one under this method`,
      );
    }
    methods.push({
      id: idOf(entry, plugin.name),
      plugin,
      options: u.options,
      llm: plugin.usesLlm ? llm : null,
      baseDir: baseDirOf(['methods', i]),
      path: ['methods', i],
    });
  }

  const recommenders: PluginUse<RecommenderPlugin>[] = [];
  for (const [i, entry] of asList(data['recommenders']).entries()) {
    const u = await use('recommender', entry, ['recommenders', i]);
    if (u)
      recommenders.push({
        id: idOf(entry, u.plugin.name),
        plugin: u.plugin as RecommenderPlugin,
        options: u.options,
        baseDir: baseDirOf(['recommenders', i]),
        path: ['recommenders', i],
      });
  }
  const recommenderIds = recommenders.map((r) => r.id);

  const tasks: TaskUse[] = [];
  const listIds: Record<ConfigRef['list'], string[]> = { recommenders: recommenderIds };
  const methodIds = methods.map((m) => m.id);
  for (const [i, entry] of asList(data['tasks']).entries()) {
    if (!isPlainObject(entry) || typeof entry['task'] !== 'string') continue;
    let task: TaskPlugin;
    try {
      task = await loadPlugin('task', entry['task'], resolveOptsFor(['tasks', i, 'task']));
    } catch (e) {
      if (e instanceof RegistryError) {
        report(['tasks', i, 'task'], e.message);
        continue;
      }
      throw e;
    }
    const options: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry)) if (k !== 'task' && k !== 'methods') options[k] = v;
    const before = issues.length;
    validateOptions(ajv.compile(task.options), task.options, options, ['tasks', i], report, `task "${task.name}"`);
    if (issues.length === before) crossCheck(task.check?.bind(task), options, ['tasks', i], report);
    for (const ref of task.needs.refs ?? []) resolveRef(ref, options, listIds[ref.list], ['tasks', i], report);
    if (task.needs.judge && !judge && !isPlainObject(data['judge']) && !isPlainObject(data['llm'])) {
      report(
        ['tasks', i],
        'this task has an LLM judge score the simulated sessions: add a top-level "judge:" (e.g. judge: { plugin: openai, model: gpt-4.1 }) or "llm:"',
      );
    }
    const only = entry['methods'];
    let taskMethods: string[] | null = null;
    if (Array.isArray(only)) {
      const picked: string[] = [];
      only.forEach((id, k) => {
        if (typeof id === 'string' && methodIds.includes(id)) picked.push(id);
        else
          report(
            ['tasks', i, 'methods', k],
            `"${String(id)}" is not a method id of this config.${didYouMean(String(id), methodIds)} Methods: ${methodIds.join(', ')}`,
          );
      });
      taskMethods = picked;
    } else if (only !== undefined) {
      report(
        ['tasks', i, 'methods'],
        'methods: must be a list of method ids (the methods this task runs; leave it out for all)',
      );
    }
    for (const [k, v] of Object.entries(options)) entry[k] = v;
    tasks.push({ task, options, methods: taskMethods, baseDir: baseDirOf(['tasks', i]), path: ['tasks', i] });
  }

  checkUnique(
    'datasets',
    datasets.map((d) => d.id),
    report,
  );
  checkUnique(
    'methods',
    methods.map((m) => m.id),
    report,
  );
  checkUnique('recommenders', recommenderIds, report);
  checkUnique(
    'tasks',
    tasks.map((t) => t.task.name),
    report,
  );
  const baseline = cfg.report?.baseline;
  if (typeof baseline === 'string' && !methods.some((m) => m.id === baseline)) {
    report(
      ['report', 'baseline'],
      `baseline "${baseline}" is not a method id of this config.${didYouMean(
        baseline,
        methods.map((m) => m.id),
      )}`,
    );
  }
  scanStrayEnvRefs(data, [], report, secretPaths, unchecked);
  const reportedRel = cfg.report?.reported;
  let reported: ReportedValues | null = null;
  const reportedPath = typeof reportedRel === 'string' ? resolve(baseDirOf(['report', 'reported']), reportedRel) : null;
  if (reportedPath !== null && !existsSync(reportedPath)) {
    report(
      ['report', 'reported'],
      `the reported-numbers file ${reportedPath} does not exist (the path is relative to the config file that names it)`,
    );
  } else if (reportedPath !== null) {
    try {
      reported = loadReported(reportedPath);
    } catch (e) {
      report(['report', 'reported'], (e as Error).message);
    }
  }

  if (issues.length > 0) throw new ConfigError(sortIssues(issues));

  const hashed = structuredClone(data);
  for (const k of UNHASHED_KEYS) delete hashed[k];
  // How LLM calls are made (limits, retries, batch) never changes what they return.
  const dropRuntime = (llm: unknown) => {
    if (isPlainObject(llm)) for (const k of RUNTIME_KEYS) delete llm[k];
  };
  dropRuntime(hashed['llm']);
  dropRuntime(hashed['judge']);
  for (const m of asList(hashed['methods'])) if (isPlainObject(m)) dropRuntime(m['llm']);
  return {
    file: layers[0]?.file ?? resolve(file),
    dir: configDir,
    layers: layers.map((l) => displayName(l, displayBase)),
    resolved: cfg,
    hash: hashJson(hashed),
    seeds: cfg.seeds ?? [cfg.seed],
    datasets,
    methods,
    recommenders,
    judge,
    tasks,
    overrides: overrides.map((o) => o.expr),
    reportedPath,
    reported,
    locate: (path, key = false) => where(path, key),
  };
}

function idOf(entry: unknown, fallback: string): string {
  const id = isPlainObject(entry) ? entry['id'] : undefined;
  return typeof id === 'string' ? id : fallback;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** ${VAR} anywhere but a secret field is an error: it would copy the environment into results. */
function scanStrayEnvRefs(
  node: unknown,
  path: PathSeg[],
  report: (p: PathSeg[], m: string) => void,
  secretOk: ReadonlySet<string>,
  unchecked: ReadonlySet<string>,
): void {
  if (unchecked.has(path.join('\u0000'))) return;
  if (hasEnvRef(node)) {
    if (!secretOk.has(path.join('\u0000'))) {
      report(
        path,
        '${...} environment interpolation is allowed only in fields a plugin declares secret (API keys); write the value itself here',
      );
    }
    return;
  }
  if (Array.isArray(node)) node.forEach((v, i) => scanStrayEnvRefs(v, [...path, i], report, secretOk, unchecked));
  else if (isPlainObject(node))
    for (const [k, v] of Object.entries(node)) scanStrayEnvRefs(v, [...path, k], report, secretOk, unchecked);
}

function locate(
  layers: readonly Layer[],
  overrides: readonly Override[],
  base: string,
  path: readonly PathSeg[],
  key: boolean,
): Omit<ConfigIssue, 'path' | 'message'> {
  const inSomeLayer = layers.some((l) => locateIn(l, path) !== undefined);
  for (const o of [...overrides].reverse()) {
    const setIsPrefix = o.path.length <= path.length && o.path.every((s, i) => String(s) === String(path[i]));
    // The --set made this value (e.g. turned an absent scalar into a mapping): no file line to blame.
    const madeBySet =
      !inSomeLayer && path.length < o.path.length && path.every((s, i) => String(s) === String(o.path[i]));
    if (setIsPrefix || madeBySet) return { source: `--set ${o.expr}` };
  }
  for (let len = path.length; len >= 0; len--) {
    const sub = path.slice(0, len);
    for (const layer of layers) {
      const pos = locateIn(layer, sub, key && len === path.length);
      if (pos) return { source: displayName(layer, base), line: pos.line, col: pos.col };
    }
  }
  const first = layers[0];
  return { source: first ? displayName(first, base) : '(config)' };
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues
    .slice()
    .sort((a, b) => a.source.localeCompare(b.source) || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

export type { PluginKind };
