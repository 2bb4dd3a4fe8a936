import type { PluginIndex } from '../../harness/registry/plugin-index.js';

/** Built-in methods (user simulators and non-LLM references): one line each, imported only when used. */
export const methods: PluginIndex<'method'> = {
  popularity: () => import('./popularity/index.js'),
  mf: () => import('./mf/index.js'),
  'zero-shot': () => import('./zero-shot/index.js'),
  recagent: () => import('./recagent/index.js'),
  agent4rec: () => import('./agent4rec/index.js'),
  simuser: () => import('./simuser/index.js'),
  alignuser: () => import('./alignuser/index.js'),
  'alignuser-plus': () => import('./alignuser-plus/index.js'),
  markov: () => import('./markov/index.js'),
};
