import type { PluginIndex } from '../../harness/registry/plugin-index.js';

/** Built-in dataset plugins: one line each, imported only when used. */
export const datasets: PluginIndex<'dataset'> = {
  'synthetic-ratings': () => import('./synthetic-ratings/index.js'),
  movielens: () => import('./movielens/index.js'),
  'amazon-books': () => import('./amazon-books/index.js'),
  steam: () => import('./steam/index.js'),
  'agent4rec-ml1m': () => import('./agent4rec-ml1m/index.js'),
  opera: () => import('./opera/index.js'),
  'synthetic-sessions': () => import('./synthetic-sessions/index.js'),
};
