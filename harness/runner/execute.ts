import { basename, join } from 'node:path';
import type { Logger } from '../api/plugin.js';
import type { TaskUnit } from '../api/task.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Simulator } from '../api/method.js';
import { BatchPending } from '../llm/batch-pending.js';
import type { CallRecord } from '../llm/call-record.js';
import type { LlmCache } from '../llm/cache.js';
import { CostLimitStop } from '../llm/door.js';
import { LlmAuthError, LlmParseError, UnitError } from '../llm/errors.js';
import { emptyTotals } from '../llm/usage-meter.js';
import { kindOf, runReference, type UnitInvoker } from '../plan/dataset-kinds.js';
import type { Plan, PlannedCell } from '../plan/plan.js';
import type { PredictionLine, UnitErrorRecord } from '../results/prediction-line.js';
import { PredictionStore } from '../results/prediction-store.js';
import { type StateRecord, stateFileOf, stateGroup } from '../results/state-record.js';
import { hashJson } from '../util/hash.js';
import { heapBound } from '../util/heap-bound.js';
import { Rng } from '../util/rng.js';
import type { BatchLedger } from './batch-ledger.js';
import type { Doors } from './doors.js';
import { runPool } from './pool.js';
import { distinctErrors, formatErrors } from './error-summary.js';
import { Progress, type ProgressMode } from './progress.js';
import { settleBatches } from './settle-batches.js';
import { inShard, type Shard, shardFilesOf, shardPath } from './shard.js';
import { Simulators } from './simulators.js';
import { UserStates } from './user-states.js';

export interface ExecuteOptions {
  readonly dir: string;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly doors: Doors;
  readonly cache: LlmCache | null;
  readonly ledger: BatchLedger;
  readonly artifacts: ArtifactStore;
  readonly limit?: number | null;
  readonly retryErrors?: boolean;
  readonly progress?: ProgressMode;
  readonly shard?: Shard;
  /** Stop the run once a cell's share of unit errors passes this, after 20 of its units (fit errors excepted). */
  readonly maxErrorRate?: number;
  /** Called once when the run must stop: the key was refused (auth) or a cell is failing (error-rate). */
  readonly onStop: (kind: 'auth' | 'error-rate', reason: string) => void;
}

/** A cell is judged for maxErrorRate only once this many of its units are done. */
export const ERROR_RATE_MIN_UNITS = 20;

export interface Executed {
  /** Every cell's prediction lines by unit key (closed stores: read-only). */
  readonly lines: ReadonlyMap<PlannedCell, ReadonlyMap<string, PredictionLine>>;
  /** Per-user state records by `stateGroup(cell)`, by key. */
  readonly states: ReadonlyMap<string, ReadonlyMap<string, StateRecord>>;
  readonly computed: number;
  /** Units in flight when the run stopped that could not finish: not recorded, so a resume runs them again. */
  readonly cancelled: number;
  readonly skipped: number;
  readonly unitErrors: number;
  /** The fits this invocation made. */
  readonly fits: Simulators['records'];
  /** Wall-clock seconds per method in this invocation (its fits and its units). */
  readonly methodSeconds: Readonly<Record<string, number>>;
}

/**
 * Runs the plan's pending units: each cell's prediction file is resumed
 * (done units are skipped), shard files are merged in, and every finished
 * unit is appended at once (with its LLM answers flushed to the cache first).
 * Batch execution runs in stages: units whose calls wait for a batch are
 * deferred, the batch is settled, and they run again from the cache.
 */
export async function executePlan(plan: Plan, o: ExecuteOptions): Promise<Executed> {
  const { log, signal, doors, cache, shard } = o;
  const stores = new Map<PlannedCell, PredictionStore>();
  const pendingOf = new Map<PlannedCell, TaskUnit[]>();
  let skipped = 0;
  let pendingTotal = 0;
  for (const cell of plan.cells) {
    if (!cell.units) continue;
    const merged = join(o.dir, cell.file);
    const path = shard ? shardPath(merged, shard) : merged;
    const store = new PredictionStore(path);
    if (store.repaired.torn > 0)
      log.warn(`${path}: cut off a torn last line (a unit interrupted mid-write); it will run again`);
    if (!shard) {
      const added = mergeShards(store, path, new Set(cell.units.map((u) => u.key)));
      if (added > 0) {
        store.compact(cell.units.map((u) => u.key));
        log.info(`${path}: merged ${added} unit(s) from shard files`);
      }
    }
    stores.set(cell, store);
    const mine = cell.units.filter((_, k) => inShard(shard, k));
    const todo = mine.filter((u) => {
      // Asking `has` first: a rerun with nothing to do never parses its lines.
      if (!store.done.has(u.key)) return true;
      return o.retryErrors === true && store.done.get(u.key)?.error !== null;
    });
    const pending = o.limit ? todo.slice(0, o.limit) : todo;
    skipped += mine.length - todo.length;
    pendingTotal += pending.length;
    pendingOf.set(cell, pending);
  }
  if (skipped > 0)
    log.info(`resuming: ${skipped} unit${skipped === 1 ? '' : 's'} already done, ${pendingTotal} to run`);

  const simulators = new Simulators(plan, { log, signal, artifacts: o.artifacts, dir: o.dir });
  const progress = new Progress(
    pendingTotal,
    { usage: () => doors.totals(), fit: () => simulators.activeFit() },
    o.progress ?? 'off',
  );
  const maxErrorRate = o.maxErrorRate ?? 0.25;
  const attempts = o.retryErrors === true ? ('retry' as const) : ('follow' as const);
  const invokers = new Map<string, UnitInvoker>();
  const judgeDoor = doors.of(plan.judgeEndpoint);
  const userStates = new Map<string, UserStates>();
  const stateStores = new Map<string, PredictionStore<StateRecord>>();
  const statesOf = (cell: PlannedCell, door: ReturnType<Doors['of']>): UserStates => {
    const group = stateGroup(cell);
    let states = userStates.get(group);
    if (!states) {
      const merged = join(o.dir, stateFileOf(cell.datasetId, basename(cell.file)));
      const store = new PredictionStore<StateRecord>(shard ? shardPath(merged, shard) : merged);
      if (!shard) mergeShards(store, merged, null);
      stateStores.set(group, store);
      states = new UserStates(store, door, signal, attempts);
      userStates.set(group, states);
    }
    return states;
  };
  let computed = 0;
  let cancelled = 0;
  let unitErrors = 0;
  const methodSeconds: Record<string, number> = {};

  try {
    for (const cell of plan.cells) {
      const pending = pendingOf.get(cell) ?? [];
      const store = stores.get(cell);
      if (pending.length === 0 || !store) continue;
      if (signal.aborted) break;
      const cellStarted = performance.now();
      const timed = () => {
        methodSeconds[cell.method.id] = (methodSeconds[cell.method.id] ?? 0) + (performance.now() - cellStarted) / 1000;
      };
      const door = doors.of(plan.methodEndpoint.get(cell.method.id));
      // Errors that count against maxErrorRate: a fit error is decided already, not a sign of a doomed run.
      const tally = { done: 0, errors: 0 };
      tally.done = store.done.size;
      for (const line of store.done.withErrors()) if (line.error && line.error.kind !== 'fit') tally.errors++;
      const record = (line: PredictionLine) => {
        const before = store.done.get(line.unit);
        if (before) {
          tally.done--;
          if (before.error && before.error.kind !== 'fit') tally.errors--;
        }
        // The unit's answers reach the cache file before its line is recorded.
        cache?.flush();
        store.append(line);
        computed++;
        tally.done++;
        if (line.error) {
          unitErrors++;
          if (line.error.kind !== 'fit') tally.errors++;
        }
        progress.tick(line.error !== null);
        heapBound.tick();
        if (tally.done >= ERROR_RATE_MIN_UNITS && tally.errors / tally.done > maxErrorRate && !signal.aborted) {
          const top = formatErrors(distinctErrors(store.done.withErrors()), 3, '    ');
          o.onStop(
            'error-rate',
            `${tally.errors} of ${tally.done} units of ${cell.method.id} / ${cell.task.name} on ${cell.datasetId} ended in an error, more than maxErrorRate ${maxErrorRate}; the most frequent:\n${top}`,
          );
        }
      };
      let sim: Simulator;
      try {
        sim = cell.reference ? {} : await simulators.for(cell, door);
      } catch (e) {
        if (signal.aborted || e instanceof CostLimitStop) break;
        if (e instanceof LlmAuthError) {
          o.onStop('auth', e.message);
          break;
        }
        if (!(e instanceof UnitError) || e.kind !== 'fit') throw e;
        // Only this method's cells fail; every other cell still runs and is scored.
        for (const unit of pending)
          record({
            id: unitId(cell, unit),
            unit: unit.key,
            user: unit.user,
            items: unit.items,
            gold: unit.gold,
            answer: null,
            scores: null,
            error: { kind: 'fit', message: e.message },
            usage: emptyTotals(),
          });
        store.compact(cell.units?.map((u) => u.key) ?? []);
        timed();
        continue;
      }
      const inputsKey = `${cell.seed}|${cell.datasetId}`;
      const pd = plan.datasets.find((d) => d.seed === cell.seed && d.id === cell.datasetId);
      const env = pd?.env ?? { recommenders: [] };
      let invoke = invokers.get(inputsKey);
      if (!invoke) {
        invoke = kindOf(cell.dataset).invoker(cell.dataset, env);
        invokers.set(inputsKey, invoke);
      }
      if (cell.reference) invoke = (task, _sim, unit, ctx) => runReference(task, cell.dataset, unit, { ...ctx, env });
      const prompts = plan.promptTexts.get(`task:${cell.task.name}`) ?? {};
      const states = statesOf(cell, door);
      const perUser = states.get.bind(states);
      let toRun: readonly TaskUnit[] = pending;
      for (let round = 1; toRun.length > 0 && !signal.aborted; round++) {
        const deferred: TaskUnit[] = [];
        await runPool(toRun, plan.cfg.resolved.concurrency, signal, async (unit) => {
          const id = unitId(cell, unit);
          const usage = emptyTotals();
          const calls: CallRecord[] = [];
          const llm = door ? door.meter(usage, signal, { calls, attempts }) : null;
          // The judge's calls count against the unit too: they are part of what the cell costs.
          // They go online even in batch mode: the stage loop settles only the method's batches.
          const judge =
            judgeDoor && cell.task.needs.judge
              ? judgeDoor.meter(usage, signal, { online: true, calls, stage: 'judge', attempts })
              : null;
          let line: PredictionLine;
          const base = { id, unit: unit.key, user: unit.user, items: unit.items, gold: unit.gold };
          try {
            const answer = await invoke(cell.task, sim, unit, {
              rng: Rng.derive(cell.seed, 'unit', id),
              llm,
              signal,
              judge,
              prompts,
              perUser,
            });
            line = {
              ...base,
              answer,
              scores: cell.task.score(unit, answer),
              error: null,
              usage,
              ...(calls.length > 0 ? { calls } : {}),
            };
          } catch (e) {
            if (signal.aborted || e instanceof CostLimitStop) {
              cancelled++;
              return;
            }
            if (e instanceof BatchPending) {
              deferred.push(unit);
              return;
            }
            if (e instanceof LlmAuthError) {
              o.onStop('auth', e.message);
              return;
            }
            line = {
              ...base,
              answer: null,
              scores: null,
              error: errorRecord(e),
              usage,
              ...(calls.length > 0 ? { calls } : {}),
            };
          }
          if (signal.aborted && line.error) {
            cancelled++;
            return;
          }
          record(line);
        });
        if (deferred.length === 0 || signal.aborted || !door) break;
        log.info(
          `${cell.method.id} / ${cell.task.name}: ${deferred.length} unit(s) wait for batch answers (stage ${round})`,
        );
        const failures = await settleBatches(door, doors.idOf(door), o.ledger, log, signal).catch((e: unknown) => {
          if (signal.aborted) return new Map<string, string>();
          throw e;
        });
        for (const [k, m] of failures) door.batchFailures.set(k, m);
        toRun = deferred;
      }
      store.compact(cell.units?.map((u) => u.key) ?? []);
      timed();
    }
  } finally {
    for (const s of stores.values()) s.close();
    for (const s of userStates.values()) s.close();
    const summary = progress.stop();
    if (pendingTotal > 0) log.info(summary);
  }
  const lines = new Map<PlannedCell, ReadonlyMap<string, PredictionLine>>();
  for (const [cell, store] of stores) lines.set(cell, store.done);
  // State records of groups this run did not open (every unit already done) are read from disk.
  for (const cell of plan.cells) {
    const group = stateGroup(cell);
    if (!cell.units || stateStores.has(group)) continue;
    const merged = join(o.dir, stateFileOf(cell.datasetId, basename(cell.file)));
    const store = new PredictionStore<StateRecord>(merged);
    if (!shard) mergeShards(store, merged, null);
    store.close();
    stateStores.set(group, store);
  }
  const states = new Map<string, ReadonlyMap<string, StateRecord>>();
  for (const [group, store] of stateStores) states.set(group, store.done);
  return { lines, states, computed, cancelled, skipped, unitErrors, fits: simulators.records, methodSeconds };
}

/** What a unit's line keeps of its error: kind and message, and for a refused reply its stage, raw text and validation error. */
function errorRecord(e: unknown): UnitErrorRecord {
  if (e instanceof LlmParseError && e.failure)
    return {
      kind: e.kind,
      message: e.message,
      stage: e.failure.stage,
      reply: e.failure.reply,
      validation: e.failure.validation,
    };
  if (e instanceof UnitError) return { kind: e.kind, message: e.message };
  return { kind: 'method', message: `${(e as Error).name}: ${(e as Error).message}` };
}

/**
 * Adds to a cell's merged store the lines of its shard files (units it does
 * not hold yet), appending them to the merged file; compaction then puts them
 * in unit order, so merged shards leave the same file as one unsharded run.
 */
function mergeShards<L extends PredictionLine | StateRecord>(
  store: PredictionStore<L>,
  path: string,
  keys: ReadonlySet<string> | null,
): number {
  let added = 0;
  for (const file of shardFilesOf(path)) {
    const part = new PredictionStore<L>(file);
    part.close();
    for (const [key, line] of part.done) {
      if ((keys && !keys.has(key)) || store.done.has(key)) continue;
      store.append(line);
      added++;
    }
  }
  return added;
}

/** Stable id of a unit's prediction: the same for the same task, dataset, split, method, seed and unit. */
export function unitId(cell: PlannedCell, unit: TaskUnit): string {
  return hashJson({
    task: cell.task.name,
    dataset: cell.datasetId,
    split: kindOf(cell.dataset).splitName(cell.dataset),
    method: cell.method.id,
    seed: cell.seed,
    unit: unit.key,
  }).slice(0, 20);
}
