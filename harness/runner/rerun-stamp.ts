import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { isLocalPluginRef } from '../registry/registry.js';
import { invocationTotals, type Invocation, type Manifest, readManifest } from '../results/manifest.js';
import type { MetricsFile } from '../results/metrics-file.js';
import { writeJson } from '../results/write-text.js';
import { runCodeVersion } from '../score/code-version.js';
import { sha256 } from '../util/hash.js';
import type { DistinctError } from './error-summary.js';
import { baseManifest } from './manifest-base.js';

/**
 * A rerun with nothing to do does no work. A run that finished every unit
 * writes a stamp: a hash of what decides its plan and results (the resolved
 * config, the folders its paths resolve against, the reported values, the
 * code of harness/ and plugins/, Node, where data is looked for), the
 * signature of every file in the data folders its datasets read, and that of
 * every results file. A later run whose stamp matches, and whose keys (or
 * cache, for --cache-only) are in place, skips loading, planning, executing
 * and scoring, and hands the CLI the metrics.json it already has. Anything
 * else (a changed option, edited code or data, a touched prediction file,
 * --fresh, --retry-errors, --limit, --shard, a config with a local plugin)
 * takes the full path, whose score stage still reuses every table that did
 * not change.
 */
export const STAMP_FILE = 'rerun-stamp.json';

export interface RerunStamp {
  readonly version: 1;
  readonly inputs: string;
  /** The data folders the plan's datasets read (absolute). */
  readonly dataFolders: readonly string[];
  readonly data: string;
  readonly results: string;
  /** Units of the plan: a rerun's "already done". */
  readonly units: number;
  readonly errorSummary: ReadonlyArray<{ readonly method: string; readonly errors: readonly DistinctError[] }>;
}

export interface StampOptions {
  readonly fresh?: boolean;
  readonly limit?: number | null;
  readonly retryErrors?: boolean;
  readonly shard?: unknown;
  readonly cwd?: string;
}

/**
 * Whether this invocation may reuse a stamp (`read`) and leave one (`write`).
 * --fresh and --retry-errors redo work, so they never reuse, but what they
 * leave is complete; --limit and --shard leave partial results.
 */
export function stampApplies(cfg: LoadedConfig, opts: StampOptions): { read: boolean; write: boolean } {
  // A local plugin's code lives outside harness/ and plugins/, where the code version cannot see it.
  const partial = opts.shard !== undefined || (opts.limit !== undefined && opts.limit !== null);
  const write = !partial && !usesLocalPlugin(cfg.resolved);
  return { write, read: write && opts.fresh !== true && opts.retryErrors !== true };
}

/** The stamp of a finished run: written after every other results file. */
export function writeRerunStamp(
  cfg: LoadedConfig,
  dir: string,
  dataFolders: readonly string[],
  outcome: Pick<RerunStamp, 'units' | 'errorSummary'>,
  opts: StampOptions,
): void {
  const stamp: RerunStamp = {
    version: 1,
    inputs: inputsHash(cfg, opts),
    dataFolders,
    data: foldersSignature(dataFolders),
    results: resultsSignature(dir),
    units: outcome.units,
    errorSummary: outcome.errorSummary,
  };
  writeJson(join(dir, STAMP_FILE), stamp);
}

/**
 * The finished run's metrics when nothing changed since its stamp, after
 * recording this invocation in the manifest (as a full no-op rerun would);
 * null when the run must take the full path.
 */
export function reuseIfNothingChanged(
  cfg: LoadedConfig,
  dir: string,
  opts: StampOptions & { readonly command?: string; readonly cacheOnly?: boolean },
): { metrics: MetricsFile; stamp: RerunStamp } | null {
  const stamp = readStamp(dir);
  if (!stamp) return null;
  // What the full path refuses before any unit, the reuse refuses too (the full path then says why).
  if (!setupHolds(cfg, opts)) return null;
  const previous = readManifest(dir, 'manifest.json');
  if (previous?.status !== 'complete' || previous.configHash !== cfg.hash) return null;
  if (stamp.inputs !== inputsHash(cfg, opts)) return null;
  if (stamp.data !== foldersSignature(stamp.dataFolders)) return null;
  if (stamp.results !== resultsSignature(dir)) return null;
  const metrics = readMetrics(dir);
  if (!metrics || metrics.cells.some((c) => c.status === 'incomplete')) return null;
  recordInvocation(cfg, dir, previous, stamp, opts);
  return { metrics, stamp };
}

/** metrics.json as the last run wrote it; null when it cannot be read (the full path then rewrites it). */
function readMetrics(dir: string): MetricsFile | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as MetricsFile;
  } catch {
    return null;
  }
}

function readStamp(dir: string): RerunStamp | null {
  const p = join(dir, STAMP_FILE);
  if (!existsSync(p)) return null;
  try {
    const s = JSON.parse(readFileSync(p, 'utf8')) as RerunStamp;
    return s.version === 1 ? s : null;
  } catch {
    return null;
  }
}

/** What decides the plan and its results, apart from the data files (whose paths and signatures are `data`). */
function inputsHash(cfg: LoadedConfig, opts: StampOptions): string {
  return sha256(
    JSON.stringify({
      config: cfg.resolved,
      // Relative paths in the config (path:, games:, extends:) resolve against the folders that wrote them.
      files: [cfg.file, ...cfg.layers],
      baseDirs: [...cfg.datasets, ...cfg.methods, ...cfg.recommenders, ...cfg.tasks].map((u) => u.baseDir),
      reported: cfg.reported,
      code: runCodeVersion(),
      node: process.version,
      // Relative outputs, caches and the datasets cache resolve against these.
      cwd: opts.cwd ?? process.cwd(),
      datasetsDir: process.env['USERSIM_DATASETS_DIR'] ?? null,
    }),
  );
}

/** Path, size, times and inode of every file under the folders (or of the file, for a noted file). */
export function foldersSignature(folders: readonly string[]): string {
  const rows: string[] = [];
  for (const f of folders) {
    // The folder itself first: which folders were read is part of the signature, even an empty one.
    rows.push(`${f}\u0000${existsSync(f) ? 'folder' : 'absent'}`);
    walk(f, (path, sig) => rows.push(`${path}\u0000${sig}`));
  }
  return sha256(rows.join('\n'));
}

/** The same for the results folder, minus what every invocation rewrites (manifest, leaderboards, the stamp). */
function resultsSignature(dir: string): string {
  const rows: string[] = [];
  walk(dir, (path, sig) => {
    const rel = relative(dir, path);
    if (rel === 'manifest.json' || rel === STAMP_FILE || /^leaderboard\.[^/]+$/.test(rel)) return;
    rows.push(`${rel}\u0000${sig}`);
  });
  return sha256(rows.join('\n'));
}

/**
 * Visits every file under `root` (or `root` itself when it is a file),
 * following symbolic links (a data folder is often a link to a copy), once
 * per real folder. A file's signature is its size, modification and change
 * times and inode: a copy that keeps the modification time still gets a new
 * change time.
 */
function walk(root: string, visit: (path: string, signature: string) => void, seen = new Set<string>()): void {
  const st = statSync(root, { throwIfNoEntry: false });
  if (!st) return;
  if (!st.isDirectory()) {
    visit(root, `${st.size}\u0000${st.mtimeMs}\u0000${st.ctimeMs}\u0000${st.ino}`);
    return;
  }
  const real = realpathSync(root);
  if (seen.has(real)) return;
  seen.add(real);
  for (const name of readdirSync(root).sort()) walk(join(root, name), visit, seen);
}

/**
 * The full path's setup checks that need no network: every API key variable
 * set (unless replaying from the cache), and the cache file present for a
 * --cache-only replay of a config that calls an LLM.
 */
function setupHolds(cfg: LoadedConfig, opts: { readonly cacheOnly?: boolean; readonly cwd?: string }): boolean {
  const llms = [...cfg.methods.map((m) => m.llm), cfg.judge].filter((u) => u !== null);
  if (opts.cacheOnly === true) {
    const cache = cfg.resolved.cache;
    if (llms.length > 0 && (cache.mode === 'off' || !existsSync(resolve(opts.cwd ?? process.cwd(), cache.path))))
      return false;
    return true;
  }
  return llms.every((u) => {
    const env = u.options['apiKeyEnv'];
    return typeof env !== 'string' || (process.env[env] ?? '') !== '';
  });
}

function usesLocalPlugin(value: unknown, key = ''): boolean {
  if (typeof value === 'string') return (key === 'plugin' || key === 'task') && isLocalPluginRef(value);
  if (Array.isArray(value)) return value.some((v) => usesLocalPlugin(v, key));
  if (value && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).some(([k, v]) => usesLocalPlugin(v, k));
  return false;
}

/** This invocation in the manifest, with no traffic: what a full rerun with nothing to do writes. */
function recordInvocation(
  cfg: LoadedConfig,
  dir: string,
  previous: Manifest,
  stamp: RerunStamp,
  opts: { readonly command?: string; readonly cacheOnly?: boolean },
): void {
  const base = baseManifest(cfg, opts.command ?? '');
  const now = new Date().toISOString();
  const invocation: Invocation = {
    command: opts.command ?? '',
    startedAt: base.startedAt,
    finishedAt: now,
    status: 'complete',
    calls: 0,
    cacheHits: 0,
    input: 0,
    output: 0,
    spentUsd: 0,
    replies: { repairs: 0, libraryRepairs: 0, failed: 0 },
    cacheOnly: opts.cacheOnly === true,
    methodSeconds: {},
  };
  const invocations = [...(previous.invocations ?? []), invocation];
  writeJson(join(dir, 'manifest.json'), {
    ...previous,
    ...base,
    status: 'complete',
    finishedAt: now,
    // This invocation's own: it ran nothing (the cells still carry their errors).
    units: { computed: 0, skipped: stamp.units, errors: 0 },
    llmUsage: {
      calls: 0,
      cacheHits: 0,
      input: 0,
      cachedInput: 0,
      output: 0,
      costUsd: 0,
      spentUsd: 0,
      repairs: 0,
      libraryRepairs: 0,
      failedCalls: 0,
      cache: (previous.llmUsage?.['cache'] as string | null | undefined) ?? null,
      cacheOnly: opts.cacheOnly === true,
    },
    invocations,
    totals: invocationTotals(invocations),
  } satisfies Manifest);
}
