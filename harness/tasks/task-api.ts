import type { Static, TSchema } from '@sinclair/typebox';
import type { Capability, Llm, Recommendation, Simulator, UnitContext } from '../plugin-api.js';
import type { Item, RatingsDataset, UserView } from '../data/types.js';
import type { PersonaRecord, Session, SessionsDataset } from '../data/sessions.js';
import type { Rng } from '../util/rng.js';

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

export interface MetricValue {
  readonly value: number;
  /** Units that contributed. */
  readonly n: number;
  readonly unitIds: readonly string[];
  readonly unitScores: readonly number[];
  /**
   * When the value is a weighted mean of the unit scores (pooled over pairs),
   * the weights; `transform: 'sqrt'` then gives the value (RMSE from per-user MSE).
   * The statistics layer resamples units with this same formula.
   */
  readonly unitWeights?: readonly number[];
  readonly transform?: 'sqrt';
  /**
   * When the value is an F1 pooled over units (macro over classes): each unit's
   * counts as flat (tp, fp, fn) triples, one per class. The value, and every
   * bootstrap resample, is the mean F1 of the classes present in the summed
   * counts (harness/metrics/pooled-f1.ts). `unitScores` then hold a per-unit
   * score for the paired tests that need one.
   */
  readonly pooledF1?: readonly (readonly number[])[];
  /**
   * When the value is a distance from a reference (opera-consistency's gaps to
   * the human sessions): value = scale × |mean(unitScores) − reference|. The
   * bootstrap recomputes it per resample; no paired test is made on it.
   */
  readonly gap?: { readonly reference: number; readonly scale: number };
  /** Extra aggregates (pooled/micro values). */
  readonly extra?: Readonly<Record<string, number>>;
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
  /** The config's recommenders, fitted on this dataset (empty unless the task needs them). */
  readonly recommenders: readonly FittedRecommender[];
}

export interface TaskDefinition<S extends TSchema = TSchema, G = unknown, A = unknown> {
  /** The kind of dataset the task reads (absent: ratings). */
  readonly data?: 'ratings';
  readonly name: string;
  readonly description: string;
  /** Bumped when units, scoring or metrics change; recorded in the manifest. */
  readonly version: number;
  readonly capability: Capability;
  readonly options: S;
  readonly choices: readonly string[];
  metrics(options: Static<S>): MetricSpec[];
  /**
   * Names the config's recommenders it evaluates (`recommenders` option): the
   * runner fits them on the train split and passes them in `env`.
   */
  readonly needsRecommenders?: boolean;
  /** Has an LLM judge score the answers: the runner passes the config's judge as `ctx.judge`. */
  readonly needsJudge?: boolean;
  /** The task's own prompt templates (a judge's), hashed into the manifest like a method's. */
  readonly prompts?: Readonly<Record<string, URL>>;
  /** null when the task does not apply to this dataset (the table shows n/a). */
  buildUnits(dataset: RatingsDataset, options: Static<S>, rng: Rng, env?: TaskEnv): TaskUnit<G>[] | null;
  /**
   * Calls the simulator's capability; throws UnitError when the answer is
   * unusable. `unit` is the task's own (its gold must never reach the simulator).
   */
  run(sim: Simulator, user: UserView, items: readonly Item[], ctx: TaskContext, unit?: TaskUnit<G>): Promise<A>;
  score(unit: TaskUnit<G>, answer: A): Record<string, number>;
  /** `done` are the scored units, in unit order; ids align with them. */
  aggregate(done: ReadonlyArray<ScoredUnit<G, A> & { id: string }>, options: Static<S>): Record<string, MetricValue>;
  /** Optional histograms for the report (e.g. true vs predicted ratings). */
  distributions?(done: ReadonlyArray<ScoredUnit<G, A>>): Record<string, Record<string, number>>;
}

/**
 * A task over a sessions dataset (OPeRA-style web shopping): units are
 * sessions, and `run` sees the persona and the session, never a split it
 * should not (the task itself hides the gold from the simulator).
 */
export interface SessionTaskDefinition<S extends TSchema = TSchema, G = unknown, A = unknown>
  extends Omit<TaskDefinition<S, G, A>, 'data' | 'buildUnits' | 'run'> {
  readonly data: 'sessions';
  /** null when the task does not apply to this dataset (the table shows n/a). */
  buildUnits(dataset: SessionsDataset, options: Static<S>, rng: Rng): TaskUnit<G>[] | null;
  run(
    sim: Simulator,
    persona: PersonaRecord,
    session: Session,
    ctx: TaskContext,
    unit?: TaskUnit<G>,
    dataset?: SessionsDataset,
  ): Promise<A>;
}

export type AnyTask = TaskDefinition | SessionTaskDefinition;

export function defineSessionTask<S extends TSchema, G, A>(
  t: SessionTaskDefinition<S, G, A>,
): SessionTaskDefinition<S, G, A> {
  return t;
}

export function defineTask<S extends TSchema, G, A>(t: TaskDefinition<S, G, A>): TaskDefinition<S, G, A> {
  return t;
}
