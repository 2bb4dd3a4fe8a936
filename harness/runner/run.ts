import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ArtifactStore } from '../artifacts/artifact-store.js';
import { withStatistics } from '../stats/table-statistics.js';
import { splitLlmOptions, type LoadedConfig, type MethodUse, type PluginUse } from '../config/load.js';
import { BatchPending } from '../llm/batch-pending.js';
import { LlmCache } from '../llm/cache.js';
import { loadPriceTable } from '../llm/prices.js';
import { BatchLedger } from './batch-ledger.js';
import { settleBatches } from './settle-batches.js';
import { trainDataOf } from '../data/train-view.js';
import { sessionsTrainOf } from '../data/sessions.js';
import { shopTrainData } from '../shop/shop-train-data.js';
import type { Dataset } from '../data/types.js';
import { unitInputsOf, unitsFor, type UnitInputs } from './unit-inputs.js';
import { LlmDoor } from '../llm/door.js';
import { UnitError } from '../llm/errors.js';
import { emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import type { LlmPlugin, Logger, Simulator } from '../plugin-api.js';
import type { AnyTask, TaskEnv, TaskUnit } from '../tasks/task-api.js';
import { hashJson, sha256 } from '../util/hash.js';
import { Rng } from '../util/rng.js';
import { baseManifest, readManifest, type Manifest } from './manifest.js';
import { cellFromLines, cellUsage, naCell, serializeMetrics, type Cell, type MetricsFile } from './metrics-file.js';
import type { PredictionLine } from './prediction-line.js';
import { PredictionStore } from './prediction-store.js';
import { Progress } from './progress.js';
import { runPool } from './pool.js';
import { RunError } from './run-error.js';
import {
  checkShardManifests,
  inShard,
  removeShardFiles,
  shardFilesOf,
  shardManifestName,
  shardPath,
  shardTag,
  type Shard,
} from './shard.js';

export interface RunOptions {
  readonly fresh?: boolean;
  /** Run at most this many units per cell (the rest stay pending for a later run). */
  readonly limit?: number | null;
  /** Run again the units whose line records an error. */
  readonly retryErrors?: boolean;
  /** Every LLM cache miss is an error; no request leaves the machine. */
  readonly cacheOnly?: boolean;
  readonly signal?: AbortSignal;
  readonly log: Logger;
  readonly progress?: boolean;
  /** The command line that started the run, for the manifest and the resume hint. */
  readonly command?: string;
  /** Where `output:` is resolved; defaults to the working directory. */
  readonly cwd?: string;
  /**
   * Run only this shard's units (`--shard i/n`), into `<method>.shard-i-of-n.jsonl`
   * files and `manifest.shard-i-of-n.json`, and score nothing. A later run
   * without a shard merges every shard file it finds, in unit order.
   */
  readonly shard?: Shard;
}

export interface RunOutcome {
  readonly dir: string;
  readonly metrics: MetricsFile | null;
  readonly computed: number;
  readonly skipped: number;
  readonly unitErrors: number;
  readonly interrupted: boolean;
  /** Why the run stopped early, when it was not Ctrl-C (e.g. the cost limit). */
  readonly stopReason?: string | null;
  /** Set for a `--shard` run: its units are saved, nothing is scored. */
  readonly shard?: Shard;
}

interface PlannedCell {
  readonly seed: number;
  readonly datasetId: string;
  readonly dataset: Dataset;
  readonly method: MethodUse;
  readonly task: AnyTask;
  readonly taskOptions: Record<string, unknown>;
  readonly units: readonly TaskUnit[] | null;
  readonly naReason: string | null;
  readonly path: string;
}

export async function runConfig(cfg: LoadedConfig, opts: RunOptions): Promise<RunOutcome> {
  const log = opts.log;
  const dir = resolve(opts.cwd ?? process.cwd(), cfg.resolved.output, cfg.resolved.name);
  const shard = opts.shard;
  const manifestName = shard ? shardManifestName(shard) : 'manifest.json';
  const previous = readManifest(dir, manifestName);
  if (previous && previous.configHash !== cfg.hash && !opts.fresh) {
    throw new RunError(
      `${dir} holds results of a different config (hash ${previous.configHash.slice(0, 12)}…, this one ${cfg.hash.slice(0, 12)}…). ` +
        `Results of two configs are never mixed: rerun with --fresh to discard the old results, or give this run a new name (--set name=…).`,
    );
  }
  // A shard's --fresh discards only its own files: the other shards may share the folder.
  if (opts.fresh) {
    if (shard) removeShardFiles(dir, shard);
    else rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  if (!shard) checkShardManifests(dir, cfg.hash);

  // The run stops on Ctrl-C (caller's signal) or when the cost limit is reached.
  const stopper = new AbortController();
  let stopReason: string | null = null;
  opts.signal?.addEventListener('abort', () => stopper.abort(), { once: true });
  if (opts.signal?.aborted) stopper.abort();
  const signal = stopper.signal;
  const manifestBase = baseManifest(cfg, opts.command ?? '');

  const cacheCfg = cfg.resolved.cache;
  // A judge's answers are cached like a method's, even when no method calls an LLM.
  const usesLlm =
    cfg.methods.some((m) => m.llm !== null) || (cfg.judge !== null && cfg.tasks.some((t) => t.task.needsJudge));
  const cachePath = resolve(opts.cwd ?? process.cwd(), cacheCfg.path);
  if (opts.cacheOnly && cacheCfg.mode === 'off')
    throw new RunError('--cache-only needs the LLM cache: remove cache.mode: off from the config');
  if (opts.cacheOnly && usesLlm && !existsSync(cachePath)) {
    throw new RunError(
      `--cache-only: the LLM cache ${cachePath} does not exist; put the cache file you were sent there (or set cache.path)`,
    );
  }
  const cache =
    usesLlm && cacheCfg.mode !== 'off'
      ? new LlmCache(cachePath, cacheCfg.mode === 'read-only' || opts.cacheOnly === true)
      : null;
  const prices = loadPriceTable(cfg.resolved.prices);
  const ledger = new BatchLedger(dir);
  // Fit artifacts live beside the LLM cache: both are what a rerun reuses.
  const artifacts = new ArtifactStore(join(dirname(cachePath), 'artifacts'));

  // LLM providers: one door per distinct LLM configuration (secrets never enter its id).
  const doors = new Map<string, LlmDoor>();
  const doorIds = new Map<LlmDoor, string>();
  const doorOf = async (use: PluginUse<LlmPlugin> | null): Promise<LlmDoor | null> => {
    if (!use) return null;
    const { own, runtime } = splitLlmOptions(use.options);
    const key = hashJson({ plugin: use.plugin.name, options: publicOptions(use.plugin.options, own), runtime });
    let door = doors.get(key);
    if (!door) {
      const provider = await use.plugin.create(own as never, {
        seed: cfg.seeds[0] as number,
        configDir: use.baseDir,
        log,
      });
      door = new LlmDoor(provider, {
        runtime,
        // A mock is deterministic and free: caching it would only fill the disk.
        cache: provider.mock ? null : cache,
        cacheOnly: opts.cacheOnly === true,
        prices,
        seed: cfg.seeds[0] as number,
        costLimitUsd: cfg.resolved.costLimitUsd,
        onCostLimit: (spent) => {
          stopReason = `cost limit reached ($${spent.toFixed(4)} ≥ costLimitUsd $${cfg.resolved.costLimitUsd})`;
          log.warn(`${stopReason}: stopping; rerun the same command to continue after raising costLimitUsd`);
          stopper.abort();
        },
        warn: log.warn,
      });
      doors.set(key, door);
      doorIds.set(door, key.slice(0, 16));
    }
    return door;
  };

  // Template texts by owner, their hashes in the manifest: methods under their id, a task's own (a judge's) under "task:<name>".
  const prompts: Record<string, Record<string, string>> = {};
  const readTemplates = (owner: string, urls: Readonly<Record<string, URL>> | undefined): Record<string, string> => {
    const texts: Record<string, string> = {};
    for (const [name, url] of Object.entries(urls ?? {})) texts[name] = readFileSync(url, 'utf8');
    if (Object.keys(texts).length > 0)
      prompts[owner] = Object.fromEntries(Object.entries(texts).map(([k, t]) => [k, sha256(t)]));
    return texts;
  };
  const promptText = new Map(cfg.methods.map((m) => [m.id, readTemplates(m.id, m.plugin.prompts)]));
  const taskPrompts = new Map(
    cfg.tasks.map((t) => [t.task.name, readTemplates(`task:${t.task.name}`, t.task.prompts)]),
  );

  // Datasets and units, once per seed: units are shared by every method (paired).
  const datasetsInfo: Manifest['datasets'] = {};
  const choices = new Set<string>();
  const planned: PlannedCell[] = [];
  const envs = new Map<string, TaskEnv>();
  for (const seed of cfg.seeds) {
    for (const d of cfg.datasets) {
      log.info(`loading dataset ${d.id}${cfg.seeds.length > 1 ? ` (seed ${seed})` : ''}`);
      const loadedDataset: Dataset = await d.plugin.load(d.options as never, {
        seed,
        rng: Rng.derive(seed, 'dataset', d.id),
        configDir: d.baseDir,
        log,
      });
      (datasetsInfo as Record<string, Manifest['datasets'][string]>)[d.id] = {
        name: loadedDataset.name,
        split: loadedDataset.kind === 'ratings' ? loadedDataset.split.name : 'sessions',
        checksums: loadedDataset.checksums,
      };
      for (const c of [...(d.plugin.choices ?? []), ...loadedDataset.choices]) choices.add(c);
      const env = await taskEnvOf(cfg, loadedDataset, seed, d.id, log);
      envs.set(`${seed}|${d.id}`, env);
      for (const r of cfg.recommenders) for (const c of r.plugin.choices ?? []) choices.add(c);
      for (const t of cfg.tasks) {
        const units = unitsFor(t.task, loadedDataset, t.options, Rng.derive(seed, 'units', t.task.name, d.id), env);
        for (const c of t.task.choices) choices.add(c);
        for (const m of cfg.methods) {
          for (const c of m.plugin.choices ?? []) choices.add(c);
          const capable = m.plugin.capabilities.includes(t.task.capability);
          const naReason = !capable
            ? `${m.plugin.name} has no ${t.task.capability} capability`
            : units === null
              ? `${t.task.name} does not apply to ${loadedDataset.name}`
              : null;
          const file = cfg.seeds.length > 1 ? `${m.id}.seed${seed}.jsonl` : `${m.id}.jsonl`;
          const merged = join(dir, 'predictions', d.id, t.task.name, file);
          planned.push({
            seed,
            datasetId: d.id,
            dataset: loadedDataset,
            method: m,
            task: t.task,
            taskOptions: t.options,
            units: naReason ? null : units,
            naReason,
            path: shard ? shardPath(merged, shard) : merged,
          });
        }
      }
    }
  }
  for (const m of cfg.methods) if (m.llm) for (const c of m.llm.plugin.choices ?? []) choices.add(c);

  const llmsInfo: Record<string, { provider: string; model: string; mock: boolean }> = {};
  for (const m of cfg.methods) {
    const door = await doorOf(m.llm);
    if (door)
      llmsInfo[m.id] = { provider: door.provider.provider, model: door.provider.model, mock: door.provider.mock };
  }
  const judgeDoor = cfg.tasks.some((t) => t.task.needsJudge) ? await doorOf(cfg.judge) : null;
  if (judgeDoor)
    llmsInfo['(judge)'] = {
      provider: judgeDoor.provider.provider,
      model: judgeDoor.provider.model,
      mock: judgeDoor.provider.mock,
    };

  const manifest: Manifest = {
    ...manifestBase,
    datasets: datasetsInfo,
    prompts,
    llms: llmsInfo,
    choices: [...choices].sort(),
  };
  writeJson(join(dir, manifestName), manifest);

  // Which units are still to do.
  const stores = new Map<PlannedCell, PredictionStore>();
  let skipped = 0;
  let pendingTotal = 0;
  const pendingOf = new Map<PlannedCell, TaskUnit[]>();
  for (const cell of planned) {
    if (!cell.units) continue;
    const store = new PredictionStore(cell.path);
    if (store.repaired.torn > 0)
      log.warn(`${cell.path}: cut off a torn last line (a unit interrupted mid-write); it will run again`);
    if (!shard) {
      const merged = mergeShards(store, cell.path, new Set(cell.units.map((u) => u.key)));
      if (merged > 0) {
        store.compact(cell.units.map((u) => u.key));
        log.info(`${cell.path}: merged ${merged} unit(s) from shard files`);
      }
    }
    stores.set(cell, store);
    const mine = cell.units.filter((_, k) => inShard(shard, k));
    const todo = mine.filter((u) => {
      const line = store.done.get(u.key);
      return !line || (opts.retryErrors === true && line.error !== null);
    });
    const pending = opts.limit ? todo.slice(0, opts.limit) : todo;
    skipped += mine.length - todo.length;
    pendingTotal += pending.length;
    pendingOf.set(cell, pending);
  }
  if (skipped > 0)
    log.info(`resuming: ${skipped} unit${skipped === 1 ? '' : 's'} already done, ${pendingTotal} to run`);

  const llmTotals = (): UsageTotals => {
    const t = emptyTotals();
    for (const d of doors.values()) addUsageTotals(t, d.runTotals);
    return t;
  };
  const progress = new Progress(pendingTotal, llmTotals, opts.progress ?? false);
  const simulators = new Map<string, Promise<Simulator>>();
  const inputs = new Map<string, UnitInputs>();
  let computed = 0;
  let unitErrors = 0;

  try {
    for (const cell of planned) {
      const pending = pendingOf.get(cell) ?? [];
      const store = stores.get(cell);
      if (pending.length === 0 || !store) continue;
      if (signal.aborted) break;
      const dataset = cell.dataset;
      const door = await doorOf(cell.method.llm);
      const simKey = `${cell.seed}|${cell.datasetId}|${cell.method.id}`;
      let simP = simulators.get(simKey);
      if (!simP) {
        simP = createSimulator(
          cell,
          dataset,
          door,
          promptText.get(cell.method.id) ?? {},
          cfg,
          log,
          signal,
          artifacts,
          dir,
        );
        simulators.set(simKey, simP);
      }
      const sim = await simP;
      const inputsKey = `${cell.seed}|${cell.datasetId}`;
      let unitInputs = inputs.get(inputsKey);
      if (!unitInputs) {
        unitInputs = unitInputsOf(dataset, envs.get(inputsKey) ?? { recommenders: [] });
        inputs.set(inputsKey, unitInputs);
      }
      const invoke = unitInputs.invoke.bind(unitInputs);
      let toRun: readonly TaskUnit[] = pending;
      for (let round = 1; toRun.length > 0 && !signal.aborted; round++) {
        const deferred: TaskUnit[] = [];
        await runPool(toRun, cfg.resolved.concurrency, signal, async (unit) => {
          const id = unitId(cell, dataset, unit);
          const usage = emptyTotals();
          const llm = door ? door.meter(usage, signal) : null;
          // The judge's calls count against the unit too: they are part of what the cell costs.
          // They go online even in batch mode: the stage loop settles only the method's batches.
          const judge = judgeDoor && cell.task.needsJudge ? judgeDoor.meter(usage, signal, { online: true }) : null;
          let line: PredictionLine;
          try {
            const answer = await invoke(cell.task, sim, unit, {
              rng: Rng.derive(cell.seed, 'unit', id),
              llm,
              signal,
              judge,
              prompts: taskPrompts.get(cell.task.name) ?? {},
            });
            line = {
              id,
              unit: unit.key,
              user: unit.user,
              items: unit.items,
              gold: unit.gold,
              answer,
              scores: cell.task.score(unit, answer),
              error: null,
              usage,
            };
          } catch (e) {
            if (signal.aborted) return;
            if (e instanceof BatchPending) {
              deferred.push(unit);
              return;
            }
            const kind = e instanceof UnitError ? e.kind : 'method';
            const message = e instanceof UnitError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
            line = {
              id,
              unit: unit.key,
              user: unit.user,
              items: unit.items,
              gold: unit.gold,
              answer: null,
              scores: null,
              error: { kind, message },
              usage,
            };
            unitErrors++;
          }
          if (signal.aborted && line.error) return;
          // The unit's answers reach the cache file before its line is recorded.
          cache?.flush();
          store.append(line);
          computed++;
          progress.tick();
        });
        if (deferred.length === 0 || signal.aborted || !door) break;
        log.info(
          `${cell.method.id} / ${cell.task.name}: ${deferred.length} unit(s) wait for batch answers (stage ${round})`,
        );
        const failures = await settleBatches(door, doorIds.get(door) as string, ledger, log, signal).catch(
          (e: unknown) => {
            if (signal.aborted) return new Map<string, string>();
            throw e;
          },
        );
        for (const [k, m] of failures) door.batchFailures.set(k, m);
        toRun = deferred;
      }
      store.compact(cell.units?.map((u) => u.key) ?? []);
    }
  } finally {
    for (const s of stores.values()) s.close();
    const summary = progress.stop();
    if (pendingTotal > 0) log.info(summary);
    for (const d of doors.values()) await d.provider.close?.();
    recordCacheKeys(dir, doors.values(), shard);
    cache?.close();
  }

  const interrupted = signal.aborted;
  const finished: Manifest = {
    ...manifest,
    status: interrupted ? 'interrupted' : 'complete',
    ...(stopReason ? { stopReason } : {}),
    finishedAt: new Date().toISOString(),
    units: { computed, skipped, errors: unitErrors },
    llmUsage: {
      ...llmTotals(),
      spentUsd: [...doors.values()].reduce((s, d) => s + d.spent.costUsd, 0),
      cache: cache ? cachePath : null,
      cacheOnly: opts.cacheOnly === true,
    },
  };
  writeJson(join(dir, manifestName), finished);
  if (interrupted) return { dir, metrics: null, computed, skipped, unitErrors, interrupted, stopReason };
  if (shard) return { dir, metrics: null, computed, skipped, unitErrors, interrupted, stopReason, shard };

  const rep = cfg.resolved.report;
  const { metrics, comparisons } = withStatistics(buildMetrics(cfg, planned, stores, llmsInfo), {
    ...(rep.baseline ? { baseline: rep.baseline } : {}),
    test: rep.test,
    correction: rep.correction,
    alpha: rep.alpha,
    B: rep.B,
    level: rep.level,
    ci: rep.ci,
    seed: cfg.seeds[0] as number,
    ...(cfg.reported ? { reported: cfg.reported } : {}),
  });
  writeText(join(dir, 'metrics.json'), serializeMetrics(metrics));
  writeText(join(dir, 'comparisons.json'), JSON.stringify(comparisons, null, 2) + '\n');
  const totalErrors = metrics.cells.reduce((s, c) => s + c.units.errors, 0);
  return { dir, metrics, computed, skipped, unitErrors: totalErrors, interrupted, stopReason };
}

/**
 * Adds to a cell's merged store the lines of its shard files (units it does
 * not hold yet), appending them to the merged file; compaction then puts them
 * in unit order, so merged shards leave the same file as one unsharded run.
 */
function mergeShards(store: PredictionStore, path: string, keys: ReadonlySet<string>): number {
  let added = 0;
  for (const file of shardFilesOf(path)) {
    const part = new PredictionStore(file);
    part.close();
    for (const [key, line] of part.done) {
      if (!keys.has(key) || store.done.has(key)) continue;
      store.append(line);
      added++;
    }
  }
  return added;
}

/**
 * The config's recommenders fitted on a dataset's train split, when a task
 * needs them (recommender-evaluation, or a task option naming one such as
 * opera-consistency's shop ranking); seeded per recommender and dataset. A
 * sessions dataset is seen as implicit feedback on its products.
 */
async function taskEnvOf(
  cfg: LoadedConfig,
  dataset: Dataset,
  seed: number,
  datasetId: string,
  log: Logger,
): Promise<TaskEnv> {
  const wanted = cfg.tasks.some((t) => t.task.needsRecommenders || typeof t.options['recommender'] === 'string');
  if (!wanted || cfg.recommenders.length === 0) return { recommenders: [] };
  const train = dataset.kind === 'ratings' ? trainDataOf(dataset) : shopTrainData(dataset);
  const recommenders = [];
  for (const r of cfg.recommenders) {
    log.info(`fitting recommender ${r.id} on ${datasetId}`);
    const recommendation = await r.plugin.fit(train, r.options as never, {
      seed,
      configDir: r.baseDir,
      log,
      rng: Rng.derive(seed, 'recommender', r.id, datasetId),
    });
    recommenders.push({ id: r.id, recommendation });
  }
  return { recommenders };
}

/**
 * The cache keys a results dir used (merged over runs), so `usersim cache
 * export` can ship exactly those. A shard writes its own file (shards may
 * share the folder, or be copied into one); a plain run takes the union.
 */
function recordCacheKeys(dir: string, doors: Iterable<LlmDoor>, shard: Shard | undefined): void {
  const path = join(dir, shard ? `cache-keys.${shardTag(shard)}.txt` : 'cache-keys.txt');
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter(Boolean) : []);
  const keys = new Set<string>(read(path));
  const before = keys.size;
  if (!shard && existsSync(dir))
    for (const f of readdirSync(dir)
      .filter((x) => /^cache-keys\.shard-\d+-of-\d+\.txt$/.test(x))
      .sort())
      for (const k of read(join(dir, f))) keys.add(k);
  for (const d of doors) for (const k of d.usedKeys) keys.add(k);
  if (keys.size === before && existsSync(path)) return;
  if (keys.size > 0) writeText(path, [...keys].sort().join('\n') + '\n');
}

/** Plugin options minus the fields its schema marks secret. */
function publicOptions(schema: unknown, options: Record<string, unknown>): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { secret?: boolean }> }).properties ?? {};
  return Object.fromEntries(Object.entries(options).filter(([k]) => props[k]?.secret !== true));
}

function addUsageTotals(into: UsageTotals, from: UsageTotals): void {
  into.calls += from.calls;
  into.cacheHits += from.cacheHits;
  into.input += from.input;
  into.cachedInput += from.cachedInput;
  into.output += from.output;
  into.costUsd += from.costUsd;
}

function unitId(cell: PlannedCell, dataset: Dataset, unit: TaskUnit): string {
  return hashJson({
    task: cell.task.name,
    dataset: cell.datasetId,
    split: dataset.kind === 'ratings' ? dataset.split.name : 'sessions',
    method: cell.method.id,
    seed: cell.seed,
    unit: unit.key,
  }).slice(0, 20);
}

async function createSimulator(
  cell: PlannedCell,
  dataset: Dataset,
  door: LlmDoor | null,
  prompts: Record<string, string>,
  cfg: LoadedConfig,
  log: Logger,
  signal: AbortSignal,
  artifacts: ArtifactStore,
  dir: string,
): Promise<Simulator> {
  const ctx = { seed: cell.seed, configDir: cell.method.baseDir, log, prompts };
  const sim = await cell.method.plugin.create(cell.method.options as never, ctx);
  const fits = dataset.kind === 'ratings' ? !!sim.fit : !!sim.fitSessions;
  if (fits) {
    const fitUsage = emptyTotals();
    log.info(`fitting ${cell.method.id} on ${cell.datasetId}`);
    const fitCtx = {
      seed: cell.seed,
      configDir: cell.method.baseDir,
      log,
      rng: Rng.derive(cell.seed, 'fit', cell.method.id, cell.datasetId),
      llm: door ? door.meter(fitUsage, signal, { online: true }) : null,
      artifacts,
      outputDir: join(dir, 'artifacts', cell.method.id, cell.datasetId),
    };
    if (dataset.kind === 'ratings') await sim.fit?.(trainDataOf(dataset), fitCtx);
    else await sim.fitSessions?.(sessionsTrainOf(dataset), fitCtx);
    if (fitUsage.calls > 0)
      log.info(
        `fit ${cell.method.id} on ${cell.datasetId}: ${fitUsage.calls} LLM calls (${fitUsage.cacheHits} cached)`,
      );
  }
  return sim;
}

function buildMetrics(
  cfg: LoadedConfig,
  planned: readonly PlannedCell[],
  stores: ReadonlyMap<PlannedCell, PredictionStore>,
  llms: Readonly<Record<string, { provider: string; model: string; mock: boolean }>>,
): MetricsFile {
  const cells: Cell[] = [];
  const usage = emptyTotals();
  let units = 0;
  for (const p of planned) {
    const base = {
      dataset: p.datasetId,
      task: p.task.name,
      method: p.method.id,
      seed: p.seed,
      llm: llms[p.method.id] ?? null,
    };
    if (!p.units) {
      cells.push(naCell(base, p.naReason ?? 'not applicable'));
      continue;
    }
    const store = stores.get(p) as PredictionStore;
    const cell = cellFromLines(base, p.task, p.taskOptions, p.units, store.done);
    addUsageTotals(usage, { ...cell.usage, cacheHits: 0 });
    units += cell.units.done;
    cells.push(cell);
  }
  return {
    formatVersion: 1,
    name: cfg.resolved.name,
    configHash: cfg.hash,
    columns: cfg.tasks.map((t) => ({
      task: t.task.name,
      metrics: t.task
        .metrics(t.options as never)
        .map((m) => ({ key: m.key, label: m.label, direction: m.direction, ...(m.group ? { group: m.group } : {}) })),
    })),
    datasets: cfg.datasets.map((d) => d.id),
    methods: cfg.methods.map((m) => m.id),
    seeds: cfg.seeds,
    cells,
    usage: cellUsage(usage, units),
  };
}

function writeJson(path: string, value: unknown): void {
  writeText(path, JSON.stringify(value, null, 2) + '\n');
}

/** Write-then-rename, so a reader never sees half a file. */
function writeText(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
