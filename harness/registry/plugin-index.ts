import type { DatasetPlugin } from '../api/dataset.js';
import type { LlmPlugin } from '../api/llm.js';
import type { MethodPlugin } from '../api/method.js';
import type { PluginKind } from '../api/plugin.js';
import type { RecommenderPlugin } from '../api/recommender.js';
import type { TaskPlugin } from '../api/task.js';

export interface PluginByKind {
  dataset: DatasetPlugin;
  recommender: RecommenderPlugin;
  llm: LlmPlugin;
  method: MethodPlugin;
  task: TaskPlugin;
}

/** One kind's index file: name → lazy import of the plugin module (default export). */
export type PluginIndex<K extends PluginKind> = Readonly<Record<string, () => Promise<{ default: PluginByKind[K] }>>>;
