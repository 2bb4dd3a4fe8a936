import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../api/plugin.js';
import { ArtifactStore } from '../artifacts/artifact-store.js';
import type { LoadedConfig } from '../config/load.js';
import { LlmCache } from '../llm/cache.js';
import type { LlmDoor } from '../llm/door.js';
import { loadPriceTable } from '../llm/prices.js';
import { buildPlan } from '../plan/build-plan.js';
import type { Plan } from '../plan/plan.js';
import { type Manifest, readManifest } from '../results/manifest.js';
import type { MetricsFile } from '../results/metrics-file.js';
import { writeJson, writeText } from '../results/write-text.js';
import { scorePlan, writeScores } from '../score/score.js';
import { BatchLedger } from './batch-ledger.js';
import { Doors } from './doors.js';
import { executePlan } from './execute.js';
import { baseManifest } from './manifest-base.js';
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

/** config → plan → execute → score. The CLI renders the leaderboards from what this writes. */
export async function runConfig(cfg: LoadedConfig, opts: RunOptions): Promise<RunOutcome> {
  const dir = openResultsDir(cfg, opts);
  const plan = await buildPlan(cfg, { log: opts.log });
  const run = await executeRun(plan, dir, opts);
  if (run.interrupted || opts.shard) return { ...run, metrics: null, ...(opts.shard ? { shard: opts.shard } : {}) };
  const scored = scorePlan(plan, (cell) => run.lines.get(cell) ?? new Map(), dir, run.states);
  writeScores(dir, scored);
  if (scored.reused) opts.log.info('scores unchanged: metrics.json and comparisons.json reused');
  else if (scored.recomputed.length < Object.keys(scored.inputs.tables).length)
    opts.log.info(`scored again: ${scored.recomputed.join(', ')} (the other tables reused)`);
  const errors = scored.metrics.cells.reduce((s, c) => s + c.units.errors, 0);
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

  // The run stops on Ctrl-C (caller's signal) or when the cost limit is reached.
  const stopper = new AbortController();
  let stopReason: string | null = null;
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
  const doors = new Doors(plan, {
    cache,
    cacheOnly: opts.cacheOnly === true,
    prices: loadPriceTable(cfg.resolved.prices),
    log,
    onCostLimit: (spent) => {
      stopReason = `cost limit reached ($${spent.toFixed(4)} ≥ costLimitUsd $${cfg.resolved.costLimitUsd})`;
      log.warn(`${stopReason}: stopping; rerun the same command to continue after raising costLimitUsd`);
      stopper.abort();
    },
  });

  const manifest: Manifest = { ...baseManifest(cfg, opts.command ?? ''), ...plan.manifest };
  writeJson(join(dir, manifestName), manifest);
  let executed: Awaited<ReturnType<typeof executePlan>>;
  try {
    executed = await executePlan(plan, {
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
      progress: opts.progress ?? false,
      ...(shard ? { shard } : {}),
    });
  } finally {
    await doors.close();
    recordCacheKeys(dir, doors.all(), shard);
    cache?.close();
  }

  const interrupted = signal.aborted;
  const { computed, skipped, unitErrors } = executed;
  writeJson(join(dir, manifestName), {
    ...manifest,
    status: interrupted ? 'interrupted' : 'complete',
    ...(stopReason ? { stopReason } : {}),
    finishedAt: new Date().toISOString(),
    units: { computed, skipped, errors: unitErrors },
    llmUsage: {
      ...doors.totals(),
      spentUsd: doors.spentUsd(),
      cache: cache ? cachePath : null,
      cacheOnly: opts.cacheOnly === true,
    },
  } satisfies Manifest);
  return {
    dir,
    lines: executed.lines,
    states: executed.states,
    computed,
    skipped,
    unitErrors,
    interrupted,
    stopReason,
  };
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
  if (keys.size > 0) writeText(path, `${[...keys].sort().join('\n')}\n`);
}
