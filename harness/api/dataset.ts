/** The dataset plugin contract (type-only). */
import type { Static, TSchema } from '@sinclair/typebox';
import type { DatasetDownload } from '../datasets/download-spec.js';
import type { Dataset } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import type { BaseContext, PluginBase } from './plugin.js';

export interface DatasetContext extends BaseContext {
  readonly rng: Rng;
}

export interface DatasetPlugin<S extends TSchema = TSchema> extends PluginBase<S> {
  readonly kind: 'dataset';
  /**
   * Official files per variant (URL, checksum, licence, target folder), as
   * data: `usersim datasets fetch|list` read it without running the loader.
   * Absent for generated datasets.
   */
  readonly downloads?: readonly DatasetDownload[];
  load(options: Static<S>, ctx: DatasetContext): Promise<Dataset>;
}
