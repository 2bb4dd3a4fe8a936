import type { DatasetPlugin, LlmPlugin, MethodPlugin, PluginKind, RecommenderPlugin } from '../plugin-api.js';

export interface PluginByKind {
  dataset: DatasetPlugin;
  recommender: RecommenderPlugin;
  llm: LlmPlugin;
  method: MethodPlugin;
}

/** One kind's index file: name → lazy import of the plugin module (default export). */
export type PluginIndex<K extends PluginKind> = Readonly<Record<string, () => Promise<{ default: PluginByKind[K] }>>>;
