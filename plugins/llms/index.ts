import type { PluginIndex } from '../../harness/registry/plugin-index.js';

/** Built-in LLM plugins: one line each, imported only when used. */
export const llms: PluginIndex<'llm'> = {
  offline: () => import('./offline/index.js'),
  openai: () => import('./openai/index.js'),
  anthropic: () => import('./anthropic/index.js'),
  replay: () => import('./replay/index.js'),
};
