import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../api/plugin.js';
import { ArtifactStore } from '../artifacts/artifact-store.js';
import type { LoadedConfig } from '../config/load.js';
import { newTrail, withTrail } from '../llm/call-trail.js';
import { LlmCache } from '../llm/cache.js';
import type { LlmDoor } from '../llm/door.js';
import { LlmAuthError } from '../llm/errors.js';
import { loadPriceTable } from '../llm/prices.js';
import { Spend } from '../llm/spend.js';
import { buildPlan } from '../plan/build-plan.js';
import { StoredLines } from '../results/stored-lines.js';
import type { Plan } from '../plan/plan.js';
import { type FitRecord, invocationTotals, type Invocation, type Manifest, readManifest } from '../results/manifest.js';
import type { PredictionLine } from '../results/prediction-line.js';
import type { MetricsFile } from '../results/metrics-file.js';
import { writeJson, writeText } from '../results/write-text.js';
import { heapBound } from '../util/heap-bound.js';
import { scorePlan, writeScores } from '../score/score.js';
import { BatchLedger } from './batch-ledger.js';
import { Doors } from './doors.js';
import { type DistinctError, distinctErrors } from './error-summary.js';
import { executePlan } from './execute.js';
import { baseManifest } from './manifest-base.js';
import { preflight } from './preflight.js';
import type { ProgressMode } from './progress.js';
import { reuseIfNothingChanged, STAMP_FILE, stampApplies, writeRerunStamp } from './rerun-stamp.js';
import { RunError } from './run-error.js';
import { checkShardManifests, removeShardFiles, type Shard, shardManifestName, shardTag } from './shard.js';

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
  /** true: the terminal bar. */
  readonly progress?: boolean | ProgressMode;
  /** Skip the endpoint checks before the first unit. */
  readonly noPreflight?: boolean;
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
  /** Units in flight when the run stopped that could not finish; a resume runs them again. */
  readonly cancelled?: number;
  readonly skipped: number;
  readonly unitErrors: number;
  readonly interrupted: boolean;
  /** Why the run stopped early, when it was not Ctrl-C (e.g. the cost limit). */
  readonly stopReason?: string | null;
  readonly stopKind?: 'cost-limit' | 'error-rate' | null;
  /** Per method, the distinct unit errors of the whole run (most frequent first). */
  readonly errorSummary?: ReadonlyArray<{ readonly method: string; readonly errors: readonly DistinctError[] }>;
  /** Structured calls of this invocation: repair turns, replies mended by jsonrepair, calls still failing. */
  readonly replies?: { readonly repairs: number; readonly libraryRepairs: number; readonly failed: number };
  /** Set for a `--shard` run: its units are saved, nothing is scored. */
  readonly shard?: Shard;
}

/** config → plan → execute → score. The CLI renders the leaderboards from what this writes. */
export async function runConfig(cfg: LoadedConfig, opts: RunOptions): Promise<RunOutcome> {
  const dir = openResultsDir(cfg, opts);
  const stamp = stampApplies(cfg, opts);
  const same = stamp.read ? reuseIfNothingChanged(cfg, dir, opts) : null;
  if (same) {
    opts.log.info(
      'nothing changed since the last complete run (config, code, data, results): no plan, no units; metrics.json and comparisons.json reused',
    );
    return {
      dir,
      metrics: same.metrics,
      computed: 0,
      cancelled: 0,
      skipped: same.stamp.units,
      unitErrors: same.metrics.cells.reduce((s, c) => s + c.units.errors, 0),
      interrupted: false,
      stopReason: null,
      stopKind: null,
      errorSummary: same.stamp.errorSummary,
      replies: { repairs: 0, libraryRepairs: 0, failed: 0 },
    };
  }
  // Whatever happens from here, the old stamp no longer describes the results.
  rmSync(join(dir, STAMP_FILE), { force: true });
  const plan = await buildPlan(cfg, { log: opts.log });
  heapBound.boundary();
  const run = await executeRun(plan, dir, opts);
  if (run.interrupted || opts.shard) return { ...run, metrics: null, ...(opts.shard ? { shard: opts.shard } : {}) };
  const scored = scorePlan(plan, (cell) => run.lines.get(cell) ?? new Map(), dir, run.states, run.fits);
  writeScores(dir, scored);
  if (scored.reused) opts.log.info('scores unchanged: metrics.json and comparisons.json reused');
  else if (scored.recomputed.length < Object.keys(scored.inputs.tables).length)
    opts.log.info(`scored again: ${scored.recomputed.join(', ')} (the other tables reused)`);
  const errors = scored.metrics.cells.reduce((s, c) => s + c.units.errors, 0);
  if (stamp.write && !run.stopKind && scored.metrics.cells.every((c) => c.status !== 'incomplete'))
    writeRerunStamp(
      cfg,
      dir,
      plan.dataFolders,
      { units: run.computed + run.skipped, errorSummary: run.errorSummary },
      opts,
    );
  return { ...run, metrics: scored.metrics, unitErrors: errors };
}

/**
 * The results folder of this config: refused when it holds another config's
 * results (unless --fresh), emptied by --fresh (a shard's --fresh discards
 * only its own files: the other shards may share the folder).
 */
function openResultsDir(cfg: LoadedConfig, opts: RunOptions): string {
  const dir = resolve(opts.cwd ?? process.cwd(), cfg.resolved.output, cfg.resolved.name);
  const shard = opts.shard;
  const previous = readManifest(dir, shard ? shardManifestName(shard) : 'manifest.json');
  if (previous && previous.configHash !== cfg.hash && !opts.fresh) {
    throw new RunError(
      `${dir} holds results of a different config (hash ${previous.configHash.slice(0, 12)}…, this one ${cfg.hash.slice(0, 12)}…). ` +
        `Results of two configs are never mixed: rerun with --fresh to discard the old results, or give this run a new name (--set name=…).`,
    );
  }
  if (opts.fresh) {
    if (shard) removeShardFiles(dir, shard);
    else rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  if (!shard) checkShardManifests(dir, cfg.hash);
  return dir;
}

/** The execute stage with what it needs around it: the cache, the doors, the stop signal and the manifest. */
async function executeRun(plan: Plan, dir: string, opts: RunOptions) {
  const cfg = plan.cfg;
  const log = opts.log;
  const shard = opts.shard;
  const manifestName = shard ? shardManifestName(shard) : 'manifest.json';
  const previous = readManifest(dir, manifestName);

  // The run stops on Ctrl-C (caller's signal), at the cost limit, on a refused key or a failing cell.
  const stopper = new AbortController();
  let stopReason: string | null = null;
  let stopKind: 'cost-limit' | 'error-rate' | 'auth' | null = null;
  const stop = (kind: NonNullable<typeof stopKind>, why: string) => {
    if (stopKind) return;
    stopKind = kind;
    stopReason = why;
    if (kind !== 'auth')
      log.warn(
        `${why}\nStopping: no new unit starts; units in flight that still wait on the LLM are cancelled and run again when you resume.`,
      );
    stopper.abort();
  };
  opts.signal?.addEventListener('abort', () => stopper.abort(), { once: true });
  if (opts.signal?.aborted) stopper.abort();
  const signal = stopper.signal;

  const cacheCfg = cfg.resolved.cache;
  // A judge's answers are cached like a method's, even when no method calls an LLM.
  const usesLlm = plan.endpoints.length > 0;
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
  const previousInvocations = previous?.invocations ?? [];
  // costLimitUsd is the run's: what its earlier invocations spent counts.
  const priorUsd =
    previousInvocations.length > 0
      ? previousInvocations.reduce((s, i) => s + i.spentUsd, 0)
      : Number(previous?.llmUsage?.['spentUsd'] ?? 0);
  const spend = new Spend(priorUsd, cfg.resolved.costLimitUsd, (why) => stop('cost-limit', why));
  const doors = new Doors(plan, {
    cache,
    cacheOnly: opts.cacheOnly === true,
    prices: loadPriceTable(cfg.resolved.prices),
    log,
    spend,
  });

  const startedAt = new Date().toISOString();
  const trail = newTrail();
  let executed: Awaited<ReturnType<typeof executePlan>> | null = null;
  let manifest: Manifest | null = null;
  try {
    if (opts.noPreflight !== true) await preflight(plan, doors, { cacheOnly: opts.cacheOnly === true, log, signal });
    manifest = {
      ...baseManifest(cfg, opts.command ?? ''),
      ...plan.manifest,
      ...(previous?.invocations ? { invocations: previous.invocations } : {}),
      ...(previous?.fits ? { fits: previous.fits } : {}),
    };
    writeJson(join(dir, manifestName), manifest);
    const progress: ProgressMode =
      opts.progress === true ? 'bar' : opts.progress === false || opts.progress === undefined ? 'off' : opts.progress;
    executed = await withTrail(trail, () =>
      executePlan(plan, {
        dir,
        log,
        signal,
        doors,
        cache,
        ledger: new BatchLedger(dir),
        // Fit artifacts live beside the LLM cache: both are what a rerun reuses.
        artifacts: new ArtifactStore(join(dirname(cachePath), 'artifacts')),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        retryErrors: opts.retryErrors === true,
        progress,
        ...(shard ? { shard } : {}),
        maxErrorRate: cfg.resolved.maxErrorRate,
        onStop: stop,
      }),
    );
  } catch (e) {
    // A refused key found by a fit outside any unit.
    if (!(e instanceof LlmAuthError)) throw e;
    stop('auth', e.message);
  } finally {
    await doors.close();
    recordCacheKeys(dir, doors.all(), trail.keys, shard);
    cache?.close();
  }

  const interrupted = signal.aborted;
  const computed = executed?.computed ?? 0;
  const skipped = executed?.skipped ?? 0;
  const unitErrors = executed?.unitErrors ?? 0;
  const fits = mergeFits(dir, manifest?.fits ?? [], executed?.fits.values() ?? [], shard);
  const totals = doors.totals();
  const replies = doors.replyStats();
  const status: Manifest['status'] = stopKind ? 'stopped' : interrupted ? 'interrupted' : 'complete';
  const invocation: Invocation = {
    command: opts.command ?? '',
    startedAt,
    finishedAt: new Date().toISOString(),
    status,
    ...(stopReason ? { stopReason } : {}),
    calls: totals.calls,
    cacheHits: totals.cacheHits,
    input: totals.input,
    output: totals.output,
    spentUsd: doors.spentUsd(),
    replies,
    cacheOnly: opts.cacheOnly === true,
    methodSeconds: executed?.methodSeconds ?? {},
  };
  const invocations = [...previousInvocations, invocation];
  if (manifest)
    writeJson(join(dir, manifestName), {
      ...manifest,
      status,
      ...(stopReason ? { stopReason } : {}),
      finishedAt: invocation.finishedAt,
      units: { computed, skipped, errors: unitErrors },
      llmUsage: {
        ...totals,
        spentUsd: doors.spentUsd(),
        repairs: replies.repairs,
        libraryRepairs: replies.libraryRepairs,
        failedCalls: replies.failed,
        cache: cache ? cachePath : null,
        cacheOnly: opts.cacheOnly === true,
      },
      invocations,
      totals: invocationTotals(invocations),
      fits,
    } satisfies Manifest);
  if (stopKind === 'auth')
    throw new RunError(
      `${stopReason} — the run stopped (units in flight were not recorded); fix the key and rerun the same command to resume`,
    );
  const lines = executed?.lines ?? new Map();
  return {
    dir,
    lines,
    states: executed?.states ?? new Map(),
    fits,
    computed,
    cancelled: executed?.cancelled ?? 0,
    skipped,
    unitErrors,
    interrupted,
    stopReason,
    stopKind: stopKind as 'cost-limit' | 'error-rate' | null,
    errorSummary: summarize(plan, lines),
    replies,
  };
}

/** This invocation's fits replace the recorded ones; a merge run also takes those of its shards' manifests. */
function mergeFits(
  dir: string,
  recorded: readonly FitRecord[],
  made: Iterable<FitRecord>,
  shard: Shard | undefined,
): FitRecord[] {
  const key = (f: FitRecord) => `${f.seed}|${f.dataset}|${f.method}`;
  const by = new Map<string, FitRecord>();
  if (!shard && existsSync(dir))
    for (const f of readdirSync(dir)
      .filter((x) => /^manifest\.shard-\d+-of-\d+\.json$/.test(x))
      .sort())
      for (const r of readManifest(dir, f)?.fits ?? []) by.set(key(r), r);
  for (const r of recorded) by.set(key(r), r);
  for (const r of made) by.set(key(r), r);
  return [...by.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function summarize(
  plan: Plan,
  lines: ReadonlyMap<Plan['cells'][number], ReadonlyMap<string, PredictionLine>>,
): Array<{ method: string; errors: DistinctError[] }> {
  const out: Array<{ method: string; errors: DistinctError[] }> = [];
  for (const m of plan.cfg.methods) {
    const mine = plan.cells
      .filter((c) => c.method.id === m.id)
      .flatMap((c) => {
        const of = lines.get(c);
        // Only the lines that may hold an error are parsed.
        return of instanceof StoredLines ? [...of.withErrors()] : [...(of?.values() ?? [])];
      });
    const errors = distinctErrors(mine);
    if (errors.length > 0) out.push({ method: m.id, errors });
  }
  return out;
}

/**
 * The cache keys a results dir used (merged over runs), so `usersim cache
 * export` can ship exactly those. A shard writes its own file (shards may
 * share the folder, or be copied into one); a plain run takes the union.
 */
function recordCacheKeys(
  dir: string,
  doors: Iterable<LlmDoor>,
  reused: ReadonlySet<string>,
  shard: Shard | undefined,
): void {
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
  // The calls behind artifacts this run reused, made by an earlier run or another config.
  for (const k of reused) keys.add(k);
  if (keys.size === before && existsSync(path)) return;
  if (keys.size > 0) writeText(path, `${[...keys].sort().join('\n')}\n`);
}
