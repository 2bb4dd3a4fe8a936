/** The recommender plugin contract (type-only). */
import type { Static, TSchema } from '@sinclair/typebox';
import type { TrainData } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import type { BaseContext, PluginBase } from './plugin.js';

export interface Recommendation {
  recommend(userId: string, k: number, exclude: ReadonlySet<string>): string[];
}

export interface RecommenderPlugin<S extends TSchema = TSchema> extends PluginBase<S> {
  readonly kind: 'recommender';
  fit(train: TrainData, options: Static<S>, ctx: BaseContext & { rng: Rng }): Promise<Recommendation>;
}
