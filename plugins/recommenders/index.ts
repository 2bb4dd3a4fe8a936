import type { PluginIndex } from '../../harness/registry/plugin-index.js';

/** Built-in recommender plugins: one line each, imported only when used. */
export const recommenders: PluginIndex<'recommender'> = {
  random: () => import('./random/index.js'),
  pop: () => import('./pop/index.js'),
  itemknn: () => import('./itemknn/index.js'),
  'bpr-mf': () => import('./bpr-mf/index.js'),
  ease: () => import('./ease/index.js'),
};
