import { benchRecommenderScaling } from './recommender-scaling.ts';

/** `npm run bench scaling`: how fit and generation times grow with the data. */
export async function benchScaling(): Promise<string[]> {
  return [...(await benchRecommenderScaling())];
}
