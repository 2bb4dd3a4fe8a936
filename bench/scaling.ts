import { benchGeneratorScaling, benchSessionsScaling } from './generator-scaling.ts';
import { benchRecommenderScaling } from './recommender-scaling.ts';
import { benchRunScaling } from './run-scaling.ts';

/** `npm run bench scaling`: how whole runs, fits and generation grow with the data. */
export async function benchScaling(): Promise<string[]> {
  return [
    'scaling',
    ...(await benchRunScaling()),
    ...(await benchRecommenderScaling()),
    ...(await benchGeneratorScaling()),
    ...benchSessionsScaling(),
  ];
}
