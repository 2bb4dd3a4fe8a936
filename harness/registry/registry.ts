import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { datasets } from '../../plugins/datasets/index.js';
import { llms } from '../../plugins/llms/index.js';
import { methods } from '../../plugins/methods/index.js';
import { recommenders } from '../../plugins/recommenders/index.js';
import { tasks } from '../../plugins/tasks/index.js';
import type { PluginKind } from '../api/plugin.js';
import { didYouMean } from '../util/suggest.js';
import type { PluginByKind, PluginIndex } from './plugin-index.js';

const INDEXES: { [K in PluginKind]: PluginIndex<K> } = {
  dataset: datasets,
  recommender: recommenders,
  llm: llms,
  method: methods,
  task: tasks,
};

export const KIND_PLURAL: Record<PluginKind, string> = {
  dataset: 'datasets',
  recommender: 'recommenders',
  llm: 'llms',
  method: 'methods',
  task: 'tasks',
};

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

export function pluginNames(kind: PluginKind): string[] {
  return Object.keys(INDEXES[kind]).sort();
}

export function isLocalPluginRef(name: string): boolean {
  return name.startsWith('./') || name.startsWith('../') || isAbsolute(name);
}

export interface ResolveOptions {
  /** Directory that relative local plugin paths resolve against. */
  readonly baseDir: string;
  readonly allowLocalPlugins: boolean;
}

/** Imports a plugin by name, or a local plugin file when allowed. */
export async function loadPlugin<K extends PluginKind>(
  kind: K,
  name: string,
  opts: ResolveOptions,
): Promise<PluginByKind[K]> {
  if (isLocalPluginRef(name)) return loadLocal(kind, name, opts);
  const index = INDEXES[kind] as PluginIndex<K>;
  const loader = index[name];
  if (!loader) throw new RegistryError(unknownPluginMessage(kind, name));
  const mod = await loader();
  return mod.default;
}

export function unknownPluginMessage(kind: PluginKind, name: string): string {
  const names = pluginNames(kind);
  return `unknown ${kind === 'task' ? 'task' : `${kind} plugin`} "${name}".${didYouMean(name, names)} Available: ${names.join(', ')}`;
}

async function loadLocal<K extends PluginKind>(kind: K, ref: string, opts: ResolveOptions): Promise<PluginByKind[K]> {
  if (!opts.allowLocalPlugins) {
    throw new RegistryError(
      `"${ref}" is a local plugin file; a config may run local code only when you pass --allow-local-plugins to the CLI (check the file first: it runs with your permissions)`,
    );
  }
  const path = resolve(opts.baseDir, ref);
  if (!existsSync(path)) throw new RegistryError(`local ${kind} plugin "${ref}" not found at ${path}`);
  const mod = (await import(pathToFileURL(path).href)) as { default?: PluginByKind[K] };
  const plugin = mod.default;
  if (!plugin || typeof plugin !== 'object' || plugin.kind !== kind) {
    throw new RegistryError(
      `local plugin ${path} must default-export a ${kind} plugin made with define${kind[0]?.toUpperCase()}${kind.slice(1)}()`,
    );
  }
  return plugin;
}
