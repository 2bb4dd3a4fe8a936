/** The method (user simulator) plugin contract (type-only). */
import type { Static, TSchema } from '@sinclair/typebox';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { PredictedAction, SessionsTrainData, StepContext } from '../data/sessions.js';
import type { Item, TrainData, UserView } from '../data/types.js';
import type { LlmRequest, LlmResponse } from '../llm/types.js';
import type { Rng } from '../util/rng.js';
import type { BaseContext, PluginBase } from './plugin.js';

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
  /**
   * Per-user state shared by every unit of a user (a seeded memory, a taste
   * summary, a persona): built once by the first unit that asks (the others
   * wait for it), with its LLM calls charged to the state's own record rather
   * than to a unit, so usage does not depend on how the run was cut. A failed
   * build is shared too: the user's units fail with its error, once charged.
   * Absent outside the runner (unit tests): use plugin-side memoisation then.
   */
  readonly perUser?: <T>(user: string, name: string, build: (llm: Llm | null) => Promise<T>) => Promise<T>;
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
  /**
   * Items of this page the user says fit their taste, watched or not
   * (Agent4Rec's per-item ALIGN yes). Absent when the simulator makes no such
   * judgement; recommender evaluation then counts the watched items it rated highly.
   */
  readonly liked?: readonly string[];
  /** Whether the user left after this page. */
  readonly exit: boolean;
}

/** A closed-loop visit (the recommender-evaluation task): the pages seen, in order, and the exit interview. */
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
  /** The next action of a web-shopping session and its rationale (the next-action task). */
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
  /**
   * The protocol version: bumped when what the method asks, shows or decides
   * changes (docs/protocols.md records each step); recorded in the manifest.
   */
  readonly version: number;
  /** Whether the method calls an LLM (then the config must give one). */
  readonly usesLlm: boolean;
  readonly capabilities: readonly Capability[];
  /** Template files, hashed into the manifest. */
  readonly prompts?: Readonly<Record<string, URL>>;
  create(options: Static<S>, ctx: MethodCreateContext): Promise<Simulator>;
}
