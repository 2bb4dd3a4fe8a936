/**
 * The only core module a plugin imports. Plugins are plain objects made with
 * the define* functions below; their options are JSON Schemas (TypeBox, so the
 * TypeScript type is derived from the schema) that the config loader validates
 * with ajv and fills with defaults before the plugin sees them.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { Dataset, Item, TrainData, UserView } from './data/types.js';
import type { PredictedAction, SessionsTrainData, StepContext } from './data/sessions.js';
import type { LlmRequest, LlmResponse, LlmProvider } from './llm/types.js';
import type { Rng } from './util/rng.js';
import type { ArtifactStore } from './artifacts/artifact-store.js';
import type { DatasetDownload } from './datasets/download-spec.js';

export { Type } from '@sinclair/typebox';
export type { Static, TSchema } from '@sinclair/typebox';
export type * from './data/types.js';
export type * from './data/sessions.js';
export { ACTION_TYPES, CLICK_TYPES, sessionsTrainOf, observationTargets } from './data/sessions.js';
export type * from './llm/types.js';
export { Rng } from './util/rng.js';
export { sha256, canonicalJson, hashJson } from './util/hash.js';
export { renderTemplate } from './util/template.js';
export { DataError } from './data/data-error.js';
export { splitRatings, SPLIT_NAMES } from './data/splits.js';
export type { SplitOptions, SplitName } from './data/splits.js';
export { UserViews } from './data/train-view.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface BaseContext {
  /** The run seed (or the current seed of a multi-seed run). */
  readonly seed: number;
  /** Directory of the config file: relative paths in options resolve against it. */
  readonly configDir: string;
  readonly log: Logger;
}

interface PluginBase<S extends TSchema> {
  readonly name: string;
  readonly description: string;
  readonly options: S;
  /** Choices the plugin makes that the papers leave open (DESIGN.md "ours"). */
  readonly choices?: readonly string[];
}

// ---------------------------------------------------------------- datasets

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

export function defineDataset<S extends TSchema>(p: Omit<DatasetPlugin<S>, 'kind'>): DatasetPlugin<S> {
  return { ...p, kind: 'dataset' };
}

// ---------------------------------------------------------------- recommenders

export interface Recommendation {
  recommend(userId: string, k: number, exclude: ReadonlySet<string>): string[];
}

export interface RecommenderPlugin<S extends TSchema = TSchema> extends PluginBase<S> {
  readonly kind: 'recommender';
  fit(train: TrainData, options: Static<S>, ctx: BaseContext & { rng: Rng }): Promise<Recommendation>;
}

export function defineRecommender<S extends TSchema>(p: Omit<RecommenderPlugin<S>, 'kind'>): RecommenderPlugin<S> {
  return { ...p, kind: 'recommender' };
}

// ---------------------------------------------------------------- LLMs

export interface LlmPlugin<S extends TSchema = TSchema> extends PluginBase<S> {
  readonly kind: 'llm';
  create(options: Static<S>, ctx: BaseContext): Promise<LlmProvider>;
}

export function defineLlm<S extends TSchema>(p: Omit<LlmPlugin<S>, 'kind'>): LlmPlugin<S> {
  return { ...p, kind: 'llm' };
}

// ---------------------------------------------------------------- methods

/**
 * The door to the model, as a method sees it. Every call is counted against
 * the unit (or fit stage) that made it.
 */
export interface Llm {
  readonly model: string;
  readonly mock: boolean;
  complete(request: LlmRequest): Promise<LlmResponse>;
  /**
   * A structured reply, parsed and validated against `request.schema`; one
   * repair turn quotes the validation error, then an LlmParseError is thrown.
   */
  json<T>(request: LlmRequest & { schema: Record<string, unknown> }): Promise<T>;
}

export interface UnitContext {
  /** Seeded from the run seed and the unit's stable id. */
  readonly rng: Rng;
  /** null for methods that do not use an LLM. */
  readonly llm: Llm | null;
  readonly signal: AbortSignal;
}

export interface FitContext extends BaseContext {
  readonly rng: Rng;
  readonly llm: Llm | null;
  /** Content-addressed store: `memo(key, make)` runs `make` only when no artifact has that key. */
  readonly artifacts: ArtifactStore;
  /** Directory where a method may write files for users (e.g. fine-tuning exports). */
  readonly outputDir: string;
}

export interface Judgement {
  readonly item: string;
  readonly like: boolean;
  readonly reason?: string;
}

export interface RatingPrediction {
  readonly item: string;
  readonly rating: number;
  readonly reason?: string;
}

/** One page of a recommender's ranking, as the simulated user is shown it. */
export interface BrowsePage {
  /** 1-based. */
  readonly number: number;
  readonly items: readonly Item[];
}

export interface PageOutcome {
  /** Items of this page the user chose to watch (or open), with the rating they gave after; null when they gave none. */
  readonly watched: readonly { readonly item: string; readonly rating: number | null }[];
  /** Whether the user left after this page. */
  readonly exit: boolean;
}

/** A closed-loop visit (DESIGN.md §6 recommender-evaluation): the pages seen, in order, and the exit interview. */
export interface BrowseOutcome {
  /** One entry per page seen, in order; the visit ends at the first page with `exit` (or when the pages run out). */
  readonly pages: readonly PageOutcome[];
  /** Satisfaction on 1–10 from an exit interview, when the simulator has one. */
  readonly satisfaction?: number | null;
}

/**
 * A user simulator. Each capability is optional; a task needing one the method
 * lacks shows n/a. Candidate items carry no label: the types give a simulator
 * no way to reach held-out data.
 */
export interface Simulator {
  fit?(train: TrainData, ctx: FitContext): Promise<void>;
  discriminate?(user: UserView, items: readonly Item[], ctx: UnitContext): Promise<readonly Judgement[]>;
  rate?(user: UserView, items: readonly Item[], ctx: UnitContext): Promise<readonly RatingPrediction[]>;
  /** Fit on a sessions dataset's train split (OPeRA-style data); `fit` is for ratings datasets. */
  fitSessions?(train: SessionsTrainData, ctx: FitContext): Promise<void>;
  /** The next action of a web-shopping session and its rationale (DESIGN.md §6 next-action). */
  nextAction?(step: StepContext, ctx: UnitContext): Promise<PredictedAction>;
  /** Browse the pages of a recommender's ranking in order, watching, rating, leaving (closed loop). */
  browse?(user: UserView, pages: readonly BrowsePage[], ctx: UnitContext): Promise<BrowseOutcome>;
}

export interface MethodCreateContext extends BaseContext {
  /** Prompt templates declared in `prompts`, read from disk. */
  readonly prompts: Readonly<Record<string, string>>;
}

export type Capability = 'discriminate' | 'rate' | 'nextAction' | 'browse';

export interface MethodPlugin<S extends TSchema = TSchema> extends PluginBase<S> {
  readonly kind: 'method';
  /** Whether the method calls an LLM (then the config must give one). */
  readonly usesLlm: boolean;
  readonly capabilities: readonly Capability[];
  /** Template files, hashed into the manifest. */
  readonly prompts?: Readonly<Record<string, URL>>;
  create(options: Static<S>, ctx: MethodCreateContext): Promise<Simulator>;
}

export function defineMethod<S extends TSchema>(p: Omit<MethodPlugin<S>, 'kind'>): MethodPlugin<S> {
  return { ...p, kind: 'method' };
}

export type AnyPlugin = DatasetPlugin | RecommenderPlugin | LlmPlugin | MethodPlugin;
export type PluginKind = AnyPlugin['kind'];

export { splitOptionProperties } from './data/split-options.js';
export { itemLine, attributesText, splitHistory } from './data/user-text.js';
export type { HistorySplit } from './data/user-text.js';
export { UnitError, LlmParseError } from './llm/errors.js';
export { ProviderError, retryAfterFromHeaders } from './llm/provider-error.js';
export { schemaInstruction, withSchemaInstruction } from './llm/schema-instruction.js';
export { endpointIdentity } from './llm/identity.js';
export { apiKeyFrom } from './llm/api-key.js';
export { cacheKey, cacheKeyMaterial } from './llm/cache-key.js';
export type { DatasetDownload, DownloadFile, PinnedChecksum } from './datasets/download-spec.js';
export { datasetFolder } from './datasets/local-copy.js';
export { forEachLine, isGzip } from './data/line-reader.js';
export type { LineReadResult } from './data/line-reader.js';
export { parsePythonLiteral, PythonLiteralError } from './data/python-literal.js';
export type { PythonValue } from './data/python-literal.js';
export { InteractionTable } from './data/interaction-table.js';
export { kCore } from './data/k-core.js';
export { LexicalIndex } from './retrieval/lexical-index.js';
export type { Doc, Hit } from './retrieval/lexical-index.js';
export type { ArtifactStore } from './artifacts/artifact-store.js';
export { forEachRecord, parseRecordLine, stringField, numberField } from './data/record-lines.js';
export type { RecordObject } from './data/record-lines.js';
export { nodeFetch } from './llm/node-fetch.js';
export { datasetsCacheDir } from './datasets/cache-dir.js';
export { forEachLineBytes } from './data/line-bytes.js';
export {
  codeItems,
  itemsBlock,
  itemQuery,
  ratingSchema,
  snapRating,
  needLlm,
  keyedObject,
  askJson,
} from './methods/structured-calls.js';
export type { CallSettings } from './methods/structured-calls.js';
export { sdkErrorToProviderError } from './llm/sdk-error.js';
export type { SdkErrorClasses } from './llm/sdk-error.js';
export { actionText, historyBlock, actionSchema, actionFromReply } from './methods/session-actions.js';
export type { ActionReply } from './methods/session-actions.js';
export { browseByJudgement } from './methods/browse-by-judgement.js';
export { renderPage } from './shop/shop-pages.js';
export type { Page, PageKind, PageState, Target, Effect } from './shop/shop-pages.js';
export { slugOf } from './shop/shop-product.js';
export type { Product } from './shop/shop-product.js';
export { observationFromHtml, DEFAULT_OBSERVATION_CHARS } from './shop/observation.js';
export type { ObservationOptions } from './shop/observation.js';
export { TextShop, catalogOf, countPages, SHOP_CHOICES } from './shop/text-shop.js';
export type { ShopItem, ShopRanker, TextShopOptions, ShopStep } from './shop/text-shop.js';
export { IMPLICIT_RATING_SCALE } from './data/implicit-scale.js';
