import { benchGeneratorScaling, benchSessionsScaling } from './generator-scaling.ts';
import { benchRecommenderScaling } from './recommender-scaling.ts';

/** `npm run bench scaling`: how fit and generation times grow with the data. */
export async function benchScaling(): Promise<string[]> {
  return [
    'scaling',
    ...(await benchRecommenderScaling()),
    ...(await benchGeneratorScaling()),
    ...benchSessionsScaling(),
  ];
}
