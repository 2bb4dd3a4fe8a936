/**
 * The only core module a plugin imports. Plugins are plain objects made with
 * the define* functions below; their options are JSON Schemas (TypeBox, so the
 * TypeScript type is derived from the schema) that the config loader validates
 * with ajv and fills with defaults before the plugin sees them.
 */
import type { TSchema } from '@sinclair/typebox';
import type { DatasetPlugin } from './api/dataset.js';
import type { LlmPlugin } from './api/llm.js';
import type { MethodPlugin } from './api/method.js';
import type { RecommenderPlugin } from './api/recommender.js';
import type { RatingsTask, SessionsTask, TaskPlugin } from './api/task.js';

export { Type } from '@sinclair/typebox';
export type { Static, TSchema } from '@sinclair/typebox';
export type * from './data/types.js';
export type * from './data/sessions.js';
export {
  ACTION_TYPES,
  CLICK_TYPES,
  sessionsTrainOf,
  observationTargets,
  testSessionsOf,
  actionText,
} from './data/sessions.js';
export type * from './llm/types.js';
export { Rng } from './util/rng.js';
export { sha256, canonicalJson, hashJson } from './util/hash.js';
export { renderTemplate } from './util/template.js';
export { DataError } from './data/data-error.js';
export { splitRatings, SPLIT_NAMES } from './data/splits.js';
export type { SplitOptions, SplitName } from './data/splits.js';
export { UserViews } from './data/train-view.js';

export type * from './api/plugin.js';
export type * from './api/dataset.js';
export type * from './api/recommender.js';
export type * from './api/llm.js';
export type * from './api/method.js';
export type * from './api/task.js';

export function defineDataset<S extends TSchema>(p: Omit<DatasetPlugin<S>, 'kind'>): DatasetPlugin<S> {
  return { ...p, kind: 'dataset' };
}

export function defineRecommender<S extends TSchema>(p: Omit<RecommenderPlugin<S>, 'kind'>): RecommenderPlugin<S> {
  return { ...p, kind: 'recommender' };
}

export function defineLlm<S extends TSchema>(p: Omit<LlmPlugin<S>, 'kind'>): LlmPlugin<S> {
  return { ...p, kind: 'llm' };
}

export function defineMethod<S extends TSchema>(p: Omit<MethodPlugin<S>, 'kind'>): MethodPlugin<S> {
  return { ...p, kind: 'method' };
}

/** A task over a ratings dataset (`needs.data: 'ratings'`). */
export function defineTask<S extends TSchema, G, A>(t: Omit<RatingsTask<S, G, A>, 'kind'>): RatingsTask<S, G, A> {
  return { ...t, kind: 'task' };
}

/** A task over a sessions dataset (`needs.data: 'sessions'`). */
export function defineSessionTask<S extends TSchema, G, A>(
  t: Omit<SessionsTask<S, G, A>, 'kind'>,
): SessionsTask<S, G, A> {
  return { ...t, kind: 'task' };
}

export type AnyPlugin = DatasetPlugin | RecommenderPlugin | LlmPlugin | MethodPlugin | TaskPlugin;

export { splitOptionProperties, splitByOptions, splitOptionIssues, splitDataIssues } from './data/split-options.js';
export { itemLine, attributesText, splitHistory } from './data/user-text.js';
export type { HistorySplit } from './data/user-text.js';
export { UnitError, LlmParseError } from './llm/errors.js';
export { BatchPending } from './llm/batch-pending.js';
export { ProviderError, retryAfterFromHeaders } from './llm/provider-error.js';
export { schemaInstruction, withSchemaInstruction } from './llm/schema-instruction.js';
export { endpointIdentity } from './llm/identity.js';
export { apiKeyFrom } from './llm/api-key.js';
export { cacheKey, cacheKeyMaterial } from './llm/cache-key.js';
export type { DatasetDownload, DownloadFile, PinnedChecksum } from './datasets/download-spec.js';
export { datasetFolder } from './datasets/local-copy.js';
export { noteDataFolder } from './datasets/data-folders.js';
export { forEachLine, isGzip } from './data/line-reader.js';
export type { LineReadResult } from './data/line-reader.js';
export { parsePythonLiteral, PythonLiteralError } from './data/python-literal.js';
export type { PythonValue } from './data/python-literal.js';
export { InteractionTable } from './data/interaction-table.js';
export { kCore } from './data/k-core.js';
export { LexicalIndex } from './retrieval/lexical-index.js';
export type { Doc, Hit } from './retrieval/lexical-index.js';
export type { ArtifactStore } from './artifacts/artifact-store.js';
export { fitItems } from './artifacts/fit-items.js';
export { forEachRecord, parseRecordLine, stringField, numberField } from './data/record-lines.js';
export type { RecordObject } from './data/record-lines.js';
export { nodeFetch } from './llm/node-fetch.js';
export { datasetsCacheDir } from './datasets/cache-dir.js';
export { forEachLineBytes } from './data/line-bytes.js';
export { sdkErrorToProviderError } from './llm/sdk-error.js';
export type { SdkErrorClasses } from './llm/sdk-error.js';
export { renderPage } from './shop/shop-pages.js';
export type { Page, PageKind, PageState, Target, Effect } from './shop/shop-pages.js';
export { slugOf } from './shop/shop-product.js';
export type { Product } from './shop/shop-product.js';
export { observationFromHtml, observe, DEFAULT_OBSERVATION_CHARS } from './shop/observation.js';
export type { Observation, ObservationCut, ObservationOptions } from './shop/observation.js';
export { TextShop, catalogOf, countPages, SHOP_CHOICES } from './shop/text-shop.js';
export type { ShopItem, ShopRanker, TextShopOptions, ShopStep } from './shop/text-shop.js';
export { IMPLICIT_RATING_SCALE } from './data/implicit-scale.js';
export { thresholdIssues } from './data/scale-checks.js';
export { binaryPrf, prfFromCounts } from './metrics/index.js';
export { classCounts, pooledF1 } from './metrics/pooled-f1.js';
export type { F1Average } from './metrics/pooled-f1.js';
export { offlineEval } from './recommenders/offline-eval.js';
export { kendallTauB } from './stats/kendall-tau.js';
export { compareIds } from './data/splits.js';
