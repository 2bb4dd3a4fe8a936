import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoadedConfig, MethodUse, PluginUse } from '../config/load.js';
import { trainDataOf, UserViews } from '../data/train-view.js';
import type { Dataset, Item, RatingsDataset } from '../data/types.js';
import { LlmDoor } from '../llm/door.js';
import { UnitError } from '../llm/errors.js';
import { emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import type { LlmPlugin, Logger, Simulator } from '../plugin-api.js';
import type { TaskDefinition, TaskUnit } from '../tasks/task-api.js';
import { hashJson, sha256 } from '../util/hash.js';
import { Rng } from '../util/rng.js';
import { baseManifest, readManifest, type Manifest } from './manifest.js';
import { cellFromLines, naCell, serializeMetrics, type Cell, type MetricsFile } from './metrics-file.js';
import type { PredictionLine } from './prediction-line.js';
import { PredictionStore } from './prediction-store.js';
import { Progress } from './progress.js';
import { runPool } from './pool.js';
import { RunError } from './run-error.js';

export interface RunOptions {
  readonly fresh?: boolean;
  /** Run at most this many units per cell (the rest stay pending for a later run). */
  readonly limit?: number | null;
  /** Run again the units whose line records an error. */
  readonly retryErrors?: boolean;
  readonly signal?: AbortSignal;
  readonly log: Logger;
  readonly progress?: boolean;
  /** The command line that started the run, for the manifest and the resume hint. */
  readonly command?: string;
  /** Where `output:` is resolved; defaults to the working directory. */
  readonly cwd?: string;
}

export interface RunOutcome {
  readonly dir: string;
  readonly metrics: MetricsFile | null;
  readonly computed: number;
  readonly skipped: number;
  readonly unitErrors: number;
  readonly interrupted: boolean;
}

interface PlannedCell {
  readonly seed: number;
  readonly datasetId: string;
  readonly dataset: RatingsDataset | null;
  readonly method: MethodUse;
  readonly task: TaskDefinition;
  readonly taskOptions: Record<string, unknown>;
  readonly units: readonly TaskUnit[] | null;
  readonly naReason: string | null;
  readonly path: string;
}

export async function runConfig(cfg: LoadedConfig, opts: RunOptions): Promise<RunOutcome> {
  const log = opts.log;
  const dir = resolve(opts.cwd ?? process.cwd(), cfg.resolved.output, cfg.resolved.name);
  const previous = readManifest(dir);
  if (previous && previous.configHash !== cfg.hash && !opts.fresh) {
    throw new RunError(
      `${dir} holds results of a different config (hash ${previous.configHash.slice(0, 12)}…, this one ${cfg.hash.slice(0, 12)}…). ` +
        `Results of two configs are never mixed: rerun with --fresh to discard the old results, or give this run a new name (--set name=…).`,
    );
  }
  if (opts.fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const signal = opts.signal ?? new AbortController().signal;
  const manifestBase = baseManifest(cfg, opts.command ?? '');

  // LLM providers: one door per distinct LLM configuration.
  const doors = new Map<string, LlmDoor>();
  const doorOf = async (use: PluginUse<LlmPlugin> | null): Promise<LlmDoor | null> => {
    if (!use) return null;
    const key = hashJson({ plugin: use.plugin.name, options: use.options });
    let door = doors.get(key);
    if (!door) {
      const provider = await use.plugin.create(use.options as never, { seed: cfg.seeds[0] as number, configDir: cfg.dir, log });
      door = new LlmDoor(provider);
      doors.set(key, door);
    }
    return door;
  };

  const prompts: Record<string, Record<string, string>> = {};
  const promptText = new Map<string, Record<string, string>>();
  for (const m of cfg.methods) {
    const texts: Record<string, string> = {};
    const hashes: Record<string, string> = {};
    for (const [name, url] of Object.entries(m.plugin.prompts ?? {})) {
      const text = readFileSync(url, 'utf8');
      texts[name] = text;
      hashes[name] = sha256(text);
    }
    promptText.set(m.id, texts);
    if (Object.keys(hashes).length > 0) prompts[m.id] = hashes;
  }

  // Datasets and units, once per seed: units are shared by every method (paired).
  const datasetsInfo: Manifest['datasets'] = {};
  const choices = new Set<string>();
  const planned: PlannedCell[] = [];
  for (const seed of cfg.seeds) {
    for (const d of cfg.datasets) {
      log.info(`loading dataset ${d.id}${cfg.seeds.length > 1 ? ` (seed ${seed})` : ''}`);
      const loadedDataset: Dataset = await d.plugin.load(d.options as never, { seed, rng: Rng.derive(seed, 'dataset', d.id), configDir: cfg.dir, log });
      (datasetsInfo as Record<string, Manifest['datasets'][string]>)[d.id] = {
        name: loadedDataset.name,
        split: loadedDataset.kind === 'ratings' ? loadedDataset.split.name : 'sessions',
        checksums: loadedDataset.checksums,
      };
      const dataset = loadedDataset.kind === 'ratings' ? loadedDataset : null;
      for (const c of [...(d.plugin.choices ?? []), ...loadedDataset.choices]) choices.add(c);
      for (const t of cfg.tasks) {
        const units = dataset ? t.task.buildUnits(dataset, t.options as never, Rng.derive(seed, 'units', t.task.name, d.id)) : null;
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
          planned.push({ seed, datasetId: d.id, dataset, method: m, task: t.task, taskOptions: t.options, units: naReason ? null : units, naReason, path: join(dir, 'predictions', d.id, t.task.name, file) });
        }
      }
    }
  }
  for (const m of cfg.methods) if (m.llm) for (const c of m.llm.plugin.choices ?? []) choices.add(c);

  const llmsInfo: Record<string, { provider: string; model: string; mock: boolean }> = {};
  for (const m of cfg.methods) {
    const door = await doorOf(m.llm);
    if (door) llmsInfo[m.id] = { provider: door.provider.provider, model: door.provider.model, mock: door.provider.mock };
  }

  const manifest: Manifest = { ...manifestBase, datasets: datasetsInfo, prompts, llms: llmsInfo, choices: [...choices].sort() };
  writeJson(join(dir, 'manifest.json'), manifest);

  // Which units are still to do.
  const stores = new Map<PlannedCell, PredictionStore>();
  let skipped = 0;
  let pendingTotal = 0;
  const pendingOf = new Map<PlannedCell, TaskUnit[]>();
  for (const cell of planned) {
    if (!cell.units) continue;
    const store = new PredictionStore(cell.path);
    if (store.repaired.torn > 0) log.warn(`${cell.path}: cut off a torn last line (a unit interrupted mid-write); it will run again`);
    stores.set(cell, store);
    const todo = cell.units.filter((u) => {
      const line = store.done.get(u.key);
      return !line || (opts.retryErrors === true && line.error !== null);
    });
    const pending = opts.limit ? todo.slice(0, opts.limit) : todo;
    skipped += cell.units.length - todo.length;
    pendingTotal += pending.length;
    pendingOf.set(cell, pending);
  }
  if (skipped > 0) log.info(`resuming: ${skipped} unit${skipped === 1 ? '' : 's'} already done, ${pendingTotal} to run`);

  const runUsage: UsageTotals = emptyTotals();
  const progress = new Progress(pendingTotal, runUsage, opts.progress ?? false);
  const simulators = new Map<string, Promise<Simulator>>();
  const views = new Map<string, { views: UserViews; items: Map<string, Item> }>();
  let computed = 0;
  let unitErrors = 0;

  try {
    for (const cell of planned) {
      const pending = pendingOf.get(cell) ?? [];
      const store = stores.get(cell);
      if (pending.length === 0 || !store || !cell.dataset) continue;
      if (signal.aborted) break;
      const dataset = cell.dataset;
      const door = await doorOf(cell.method.llm);
      const simKey = `${cell.seed}|${cell.datasetId}|${cell.method.id}`;
      let simP = simulators.get(simKey);
      if (!simP) {
        simP = createSimulator(cell, dataset, door, promptText.get(cell.method.id) ?? {}, cfg, log, runUsage, signal);
        simulators.set(simKey, simP);
      }
      const sim = await simP;
      const viewKey = `${cell.seed}|${cell.datasetId}`;
      let v = views.get(viewKey);
      if (!v) {
        v = { views: new UserViews(trainDataOf(dataset)), items: new Map(dataset.items.map((i) => [i.id, i])) };
        views.set(viewKey, v);
      }
      const { views: userViews, items } = v;
      await runPool(pending, cfg.resolved.concurrency, signal, async (unit) => {
        const id = unitId(cell, dataset, unit);
        const usage = emptyTotals();
        const llm = door ? door.meter(usage, signal) : null;
        let line: PredictionLine;
        try {
          const unitItems = unit.items.map((i) => items.get(i) as Item);
          const answer = await cell.task.run(sim, userViews.view(unit.user), unitItems, { rng: Rng.derive(cell.seed, 'unit', id), llm, signal });
          line = { id, unit: unit.key, user: unit.user, items: unit.items, gold: unit.gold, answer, scores: cell.task.score(unit, answer), error: null, usage };
        } catch (e) {
          if (signal.aborted) return;
          const kind = e instanceof UnitError ? e.kind : 'method';
          const message = e instanceof UnitError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
          line = { id, unit: unit.key, user: unit.user, items: unit.items, gold: unit.gold, answer: null, scores: null, error: { kind, message }, usage };
          unitErrors++;
        }
        if (signal.aborted && line.error) return;
        store.append(line);
        addUsageTotals(runUsage, usage);
        computed++;
        progress.tick();
      });
      store.compact(cell.units?.map((u) => u.key) ?? []);
    }
  } finally {
    for (const s of stores.values()) s.close();
    const summary = progress.stop();
    if (pendingTotal > 0) log.info(summary);
    for (const d of doors.values()) await d.provider.close?.();
  }

  const interrupted = signal.aborted;
  const finished: Manifest = {
    ...manifest,
    status: interrupted ? 'interrupted' : 'complete',
    finishedAt: new Date().toISOString(),
    units: { computed, skipped, errors: unitErrors },
  };
  writeJson(join(dir, 'manifest.json'), finished);
  if (interrupted) return { dir, metrics: null, computed, skipped, unitErrors, interrupted };

  const metrics = buildMetrics(cfg, planned, stores, llmsInfo);
  writeText(join(dir, 'metrics.json'), serializeMetrics(metrics));
  const totalErrors = metrics.cells.reduce((s, c) => s + c.units.errors, 0);
  return { dir, metrics, computed, skipped, unitErrors: totalErrors, interrupted };
}

function addUsageTotals(into: UsageTotals, from: UsageTotals): void {
  into.calls += from.calls;
  into.cacheHits += from.cacheHits;
  into.input += from.input;
  into.cachedInput += from.cachedInput;
  into.output += from.output;
  into.costUsd += from.costUsd;
}

function unitId(cell: PlannedCell, dataset: RatingsDataset, unit: TaskUnit): string {
  return hashJson({ task: cell.task.name, dataset: cell.datasetId, split: dataset.split.name, method: cell.method.id, seed: cell.seed, unit: unit.key }).slice(0, 20);
}

async function createSimulator(
  cell: PlannedCell,
  dataset: RatingsDataset,
  door: LlmDoor | null,
  prompts: Record<string, string>,
  cfg: LoadedConfig,
  log: Logger,
  runUsage: UsageTotals,
  signal: AbortSignal,
): Promise<Simulator> {
  const ctx = { seed: cell.seed, configDir: cfg.dir, log, prompts };
  const sim = await cell.method.plugin.create(cell.method.options as never, ctx);
  if (sim.fit) {
    const fitUsage = emptyTotals();
    log.info(`fitting ${cell.method.id} on ${cell.datasetId}`);
    await sim.fit(trainDataOf(dataset), {
      seed: cell.seed,
      configDir: cfg.dir,
      log,
      rng: Rng.derive(cell.seed, 'fit', cell.method.id, cell.datasetId),
      llm: door ? door.meter(fitUsage, signal) : null,
    });
    addUsageTotals(runUsage, fitUsage);
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
  for (const p of planned) {
    const base = { dataset: p.datasetId, task: p.task.name, method: p.method.id, seed: p.seed, llm: llms[p.method.id] ?? null };
    if (!p.units) {
      cells.push(naCell(base, p.naReason ?? 'not applicable'));
      continue;
    }
    const store = stores.get(p) as PredictionStore;
    const cell = cellFromLines(base, p.task, p.taskOptions, p.units, store.done);
    addUsageTotals(usage, cell.usage);
    cells.push(cell);
  }
  return {
    formatVersion: 1,
    name: cfg.resolved.name,
    configHash: cfg.hash,
    columns: cfg.tasks.map((t) => ({ task: t.task.name, metrics: t.task.metrics(t.options as never).map((m) => ({ key: m.key, label: m.label, direction: m.direction })) })),
    datasets: cfg.datasets.map((d) => d.id),
    methods: cfg.methods.map((m) => m.id),
    seeds: cfg.seeds,
    cells,
    usage,
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
