/**
 * The task plugin contract (type-only). A task turns a dataset into units,
 * runs a simulator capability on each, scores the answers and aggregates them
 * into metrics. Core reads only what a task declares in `needs`.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { PersonaRecord, Session, SessionsDataset } from '../data/sessions.js';
import type { DatasetKind, Item, RatingsDataset, UserView } from '../data/types.js';
import type { MetricValue } from '../results/metric-value.js';
import type { Rng } from '../util/rng.js';
import type { Capability, Llm, Simulator, UnitContext } from './method.js';
import type { PluginBase } from './plugin.js';
import type { Recommendation } from './recommender.js';

export type { MetricValue } from '../results/metric-value.js';
export type { EstimatorName } from '../results/metric-value.js';

export type Direction = 'higher' | 'lower';

export interface MetricSpec {
  /** Key in metrics.json, e.g. "accuracy@1:3". */
  readonly key: string;
  /** Column header. */
  readonly label: string;
  readonly direction: Direction;
  /** What one unit's score is for this metric (paired tests use it). */
  readonly unitScore: string;
  /**
   * Columns of one group (e.g. one recommender) stay together when a wide
   * table is split for reading; ungrouped columns form their own part.
   */
  readonly group?: string;
  /** What one value counts, for the report's notes (e.g. "liked items per user"). */
  readonly unit?: string;
  /** An LLM judge gives this metric's unit scores: the report labels the column when the judge is a mock. */
  readonly judged?: boolean;
}

/** One unit of work: a user and the items they are asked about, with the gold the task keeps. */
export interface TaskUnit<G = unknown> {
  /** Stable within (task, dataset, split, seed): e.g. "196|1:3". */
  readonly key: string;
  readonly user: string;
  readonly items: readonly string[];
  readonly gold: G;
}

/** A finished unit as stored in predictions/*.jsonl (minus bookkeeping). */
export interface ScoredUnit<G = unknown, A = unknown> {
  readonly unit: TaskUnit<G>;
  readonly answer: A;
  readonly scores: Readonly<Record<string, number>>;
}

/** An option of the task whose value names entries of another config list (checked and resolved by core). */
export interface ConfigRef {
  /** The task option holding the id(s). */
  readonly option: string;
  /** The top-level config list the ids come from. */
  readonly list: 'recommenders';
  /** A list of ids (null: every entry of the list) rather than one id (null: none). */
  readonly many: boolean;
}

/**
 * What a task needs from the config and the run. The plan checks all of it
 * before any unit runs; the runner provides it.
 */
export interface TaskNeeds {
  /** The kind of dataset the task reads; other datasets show n/a. */
  readonly data: DatasetKind;
  /** Simulator capabilities the task calls; a method without them shows n/a. */
  readonly capabilities: readonly Capability[];
  /** An LLM judge scores the answers: the runner passes the config's `judge:` (or `llm:`) as `ctx.judge`. */
  readonly judge?: boolean;
  /** Options naming other config entries. When any names a recommender, the runner fits it on the train split and passes it in `env`. */
  readonly refs?: readonly ConfigRef[];
  /** The task's units need a rating scale (datasets without one show n/a). */
  readonly ratingScale?: boolean;
}

/**
 * What a task's `run` gets: the unit's context, plus the judge for tasks that
 * need one. A task hands the simulator a UnitContext without the judge.
 */
export interface TaskContext extends UnitContext {
  readonly judge?: Llm | null;
  /** The task's prompt templates, read from disk. */
  readonly prompts?: Readonly<Record<string, string>>;
  /** The config's recommenders fitted on this dataset, when a task needs them. */
  readonly env?: TaskEnv;
}

/** A recommender fitted on the dataset's train split, under its config id. */
export interface FittedRecommender {
  readonly id: string;
  readonly recommendation: Recommendation;
}

/** What the runner gives `buildUnits` beyond the dataset. */
export interface TaskEnv {
  /** The config's recommenders, fitted on this dataset (empty unless the task names some). */
  readonly recommenders: readonly FittedRecommender[];
}

interface TaskBase<S extends TSchema, G, A> extends PluginBase<S> {
  readonly kind: 'task';
  /** Bumped when units, scoring or metrics change; recorded in the manifest. */
  readonly version: number;
  readonly needs: TaskNeeds;
  readonly choices: readonly string[];
  metrics(options: Static<S>): MetricSpec[];
  /** The task's own prompt templates (a judge's), hashed into the manifest like a method's. */
  readonly prompts?: Readonly<Record<string, URL>>;
  score(unit: TaskUnit<G>, answer: A): Record<string, number>;
  /** `done` are the scored units, in unit order; ids align with them. */
  aggregate(done: ReadonlyArray<ScoredUnit<G, A> & { id: string }>, options: Static<S>): Record<string, MetricValue>;
  /** Optional histograms for the report (e.g. true vs predicted ratings). */
  distributions?(done: ReadonlyArray<ScoredUnit<G, A>>): Record<string, Record<string, number>>;
}

/**
 * How the humans themselves did the task's units: a reference row of the
 * table (e.g. "Human (OPeRA)"), scored and aggregated like a method's cell but
 * made by the task from its own data, never by a method, and never tested.
 */
export interface TaskReference<G, A, D> {
  /** Row label, e.g. "Human (OPeRA)". */
  readonly label: string;
  /** The unit's answer as the human gave it (a judge may be called through ctx.judge). */
  run(unit: TaskUnit<G>, dataset: D, ctx: TaskContext): Promise<A>;
}

/** A task over a ratings dataset: units are users (with items), `run` sees the user's training view. */
export interface RatingsTask<S extends TSchema = TSchema, G = unknown, A = unknown> extends TaskBase<S, G, A> {
  readonly needs: TaskNeeds & { readonly data: 'ratings' };
  /**
   * null when the task does not apply to this dataset (the table shows n/a);
   * an empty list is a configuration error, explained by `noUnits`.
   */
  buildUnits(dataset: RatingsDataset, options: Static<S>, rng: Rng, env?: TaskEnv): TaskUnit<G>[] | null;
  /** Why `buildUnits` found no eligible unit, in terms of the options to change. */
  noUnits?(dataset: RatingsDataset, options: Static<S>): string;
  /**
   * Calls the simulator's capability; throws UnitError when the answer is
   * unusable. `unit` is the task's own (its gold must never reach the simulator).
   */
  run(sim: Simulator, user: UserView, items: readonly Item[], ctx: TaskContext, unit?: TaskUnit<G>): Promise<A>;
  readonly reference?: TaskReference<G, A, RatingsDataset>;
}

/**
 * A task over a sessions dataset (OPeRA-style web shopping): units are
 * sessions, and `run` sees the persona and the session, never a split it
 * should not (the task itself hides the gold from the simulator).
 */
export interface SessionsTask<S extends TSchema = TSchema, G = unknown, A = unknown> extends TaskBase<S, G, A> {
  readonly needs: TaskNeeds & { readonly data: 'sessions' };
  buildUnits(dataset: SessionsDataset, options: Static<S>, rng: Rng, env?: TaskEnv): TaskUnit<G>[] | null;
  noUnits?(dataset: SessionsDataset, options: Static<S>): string;
  run(
    sim: Simulator,
    persona: PersonaRecord,
    session: Session,
    ctx: TaskContext,
    unit?: TaskUnit<G>,
    dataset?: SessionsDataset,
  ): Promise<A>;
  readonly reference?: TaskReference<G, A, SessionsDataset>;
}

export type TaskPlugin<S extends TSchema = TSchema, G = unknown, A = unknown> =
  | RatingsTask<S, G, A>
  | SessionsTask<S, G, A>;
