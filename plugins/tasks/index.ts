import type { PluginIndex } from '../../harness/registry/plugin-index.js';

/** Built-in tasks: one line each, imported only when used. */
export const tasks: PluginIndex<'task'> = {
  'preference-discrimination': () => import('./preference-discrimination/index.js'),
  rating: () => import('./rating/index.js'),
  'next-action': () => import('./next-action/index.js'),
  'recommender-evaluation': () => import('./recommender-evaluation/index.js'),
  'opera-consistency': () => import('./opera-consistency/index.js'),
  'human-likeness': () => import('./human-likeness/index.js'),
};
