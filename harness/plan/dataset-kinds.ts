import type { FitContext, Simulator } from '../api/method.js';
import type { RatingsTask, SessionsTask, TaskContext, TaskEnv, TaskPlugin, TaskUnit } from '../api/task.js';
import { type PersonaRecord, type Session, type SessionsDataset, sessionsTrainOf } from '../data/sessions.js';
import { trainDataOf, UserViews } from '../data/train-view.js';
import type { Dataset, DatasetKind, Item, RatingsDataset, TrainData } from '../data/types.js';
import { shopTrainData } from '../shop/shop-train-data.js';
import type { Rng } from '../util/rng.js';

const readsRatings = (t: TaskPlugin): t is RatingsTask => t.needs.data === 'ratings';
const readsSessions = (t: TaskPlugin): t is SessionsTask => t.needs.data === 'sessions';

/** Runs a task's `run` on one unit of a loaded dataset, with the inputs the task's kind gets. */
export type UnitInvoker = (task: TaskPlugin, sim: Simulator, unit: TaskUnit, ctx: TaskContext) => Promise<unknown>;

/**
 * What the run does differently per kind of dataset, in one place: how its
 * split is named, what a simulator's fit and a recommender see of it, and
 * what a task's `run` is handed for a unit. Only the train split ever reaches
 * a simulator or a recommender.
 */
interface DatasetKindSpec<D extends Dataset> {
  splitName(d: D): string;
  /** The data recommenders are fitted on (a sessions dataset as implicit feedback on its products). */
  recommenderTrain(d: D): TrainData;
  /** Whether the simulator fits on this kind of data. */
  fits(sim: Simulator): boolean;
  fit(sim: Simulator, d: D, ctx: FitContext): Promise<void>;
  buildUnits(task: TaskPlugin, d: D, options: Record<string, unknown>, rng: Rng, env: TaskEnv): TaskUnit[] | null;
  noUnits(task: TaskPlugin, d: D, options: Record<string, unknown>): string | null;
  invoker(d: D, env: TaskEnv): UnitInvoker;
}

const ratings: DatasetKindSpec<RatingsDataset> = {
  splitName: (d) => d.split.name,
  recommenderTrain: trainDataOf,
  fits: (sim) => typeof sim.fit === 'function',
  fit: async (sim, d, ctx) => sim.fit?.(trainDataOf(d), ctx),
  buildUnits: (task, d, options, rng, env) =>
    readsRatings(task) ? task.buildUnits(d, options as never, rng, env) : null,
  noUnits: (task, d, options) => (readsRatings(task) ? (task.noUnits?.(d, options as never) ?? null) : null),
  invoker(d, env) {
    const views = new UserViews(trainDataOf(d));
    const items = new Map(d.items.map((i) => [i.id, i]));
    return (task, sim, unit, ctx) => {
      if (!readsRatings(task)) throw new Error(`${task.name} reads sessions, but ${d.name} holds ratings`);
      return task.run(
        sim,
        views.view(unit.user),
        unit.items.map((i) => items.get(i) as Item),
        { ...ctx, env },
        unit,
      );
    };
  },
};

const sessions: DatasetKindSpec<SessionsDataset> = {
  splitName: () => 'sessions',
  recommenderTrain: shopTrainData,
  fits: (sim) => typeof sim.fitSessions === 'function',
  fit: async (sim, d, ctx) => sim.fitSessions?.(sessionsTrainOf(d), ctx),
  buildUnits: (task, d, options, rng, env) =>
    readsSessions(task) ? task.buildUnits(d, options as never, rng, env) : null,
  noUnits: (task, d, options) => (readsSessions(task) ? (task.noUnits?.(d, options as never) ?? null) : null),
  invoker(d, env) {
    const personas = new Map<string, PersonaRecord>(d.users.map((u) => [u.id, u]));
    const byId = new Map<string, Session>(d.sessions.map((s) => [s.id, s]));
    return (task, sim, unit, ctx) => {
      if (!readsSessions(task)) throw new Error(`${task.name} reads ratings, but ${d.name} holds sessions`);
      const session = byId.get(unit.key);
      if (!session) throw new Error(`${d.name}: unit ${unit.key} names no session`);
      // A shopper without a survey row is shown as a blank persona rather than dropped: the loader already warned.
      const persona = personas.get(unit.user) ?? { id: unit.user, attributes: {}, persona: '' };
      return task.run(sim, persona, session, { ...ctx, env }, unit, d);
    };
  },
};

const KINDS: { readonly [K in DatasetKind]: DatasetKindSpec<Extract<Dataset, { kind: K }>> } = { ratings, sessions };

/** The kind table entry of a loaded dataset. */
export function kindOf(d: Dataset): DatasetKindSpec<Dataset> {
  return KINDS[d.kind] as unknown as DatasetKindSpec<Dataset>;
}

/** Runs a task's reference (the humans) on one unit of a loaded dataset. */
export function runReference(task: TaskPlugin, d: Dataset, unit: TaskUnit, ctx: TaskContext): Promise<unknown> {
  if (readsRatings(task) && d.kind === 'ratings' && task.reference) return task.reference.run(unit, d, ctx);
  if (readsSessions(task) && d.kind === 'sessions' && task.reference) return task.reference.run(unit, d, ctx);
  throw new Error(`${task.name} has no reference for ${d.name}`);
}

/** Why a task shows n/a on a dataset, or null when it applies. */
export function notApplicable(task: TaskPlugin, d: Dataset): string | null {
  if (task.needs.data !== d.kind) return `${task.name} reads ${task.needs.data} datasets; ${d.name} holds ${d.kind}`;
  if (task.needs.ratingScale && d.kind === 'ratings' && d.scale === null)
    return `${task.name} needs rated interactions; ${d.name} is implicit feedback (no rating scale)`;
  return null;
}

/** The task's units on this dataset, or null when the task does not apply to it. */
export function unitsFor(
  task: TaskPlugin,
  dataset: Dataset,
  options: Record<string, unknown>,
  rng: Rng,
  env: TaskEnv = { recommenders: [] },
): TaskUnit[] | null {
  if (notApplicable(task, dataset) !== null) return null;
  return kindOf(dataset).buildUnits(task, dataset, options, rng, env);
}
