import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The project root (where package.json lives), found from this file. */
export const PROJECT_ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

export interface Manifest {
  readonly name: string;
  readonly configHash: string;
  readonly config: unknown;
  readonly configFiles: readonly string[];
  readonly overrides: readonly string[];
  readonly command: string;
  readonly status: 'running' | 'complete' | 'interrupted' | 'stopped';
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly git: { readonly commit: string | null; readonly dirty: boolean | null };
  readonly node: string;
  readonly packages: Readonly<Record<string, string>>;
  readonly datasets: Readonly<
    Record<
      string,
      {
        readonly name: string;
        /** The dataset plugin and its variant option (null: the plugin has none), for matching a paper's numbers. */
        readonly plugin?: string;
        readonly variant?: string | null;
        readonly split: string;
        readonly checksums: Readonly<Record<string, string>>;
        /** The loader's counts of rows kept, left out or not shown (dataset `counts`), when it reports any. */
        readonly counts?: Readonly<Record<string, number>>;
      }
    >
  >;
  readonly prompts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly tasks: Readonly<Record<string, { readonly version: number }>>;
  /** Each configured method (by id): its plugin and that plugin's protocol version. */
  readonly methods?: Readonly<Record<string, { readonly plugin: string; readonly version: number }>>;
  readonly seeds: readonly number[];
  readonly llms: Readonly<
    Record<string, { readonly provider: string; readonly model: string; readonly mock: boolean }>
  >;
  /** Every choice marked (ours): the papers leave it open and this run made it. */
  readonly choices: readonly string[];
  readonly units?: { readonly computed: number; readonly skipped: number; readonly errors: number };
  readonly stopReason?: string;
  /** This invocation's LLM traffic: every call (cached or not), what reached a provider and cost money. */
  readonly llmUsage?: Readonly<Record<string, number | string | boolean | null>>;
  /** Every invocation of the run (first to last): its command, time and traffic. */
  readonly invocations?: readonly Invocation[];
  /** Sums over `invocations`: what the whole run cost (costLimitUsd applies to spentUsd). */
  readonly totals?: { readonly calls: number; readonly cacheHits: number; readonly spentUsd: number };
  /** Each method's fit on each dataset (and seed), as last made: its calls, items and failures. */
  readonly fits?: readonly FitRecord[];
}

export interface Invocation {
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly status: Manifest['status'];
  readonly stopReason?: string;
  readonly calls: number;
  readonly cacheHits: number;
  readonly input: number;
  readonly output: number;
  /** USD that reached a provider in this invocation. */
  readonly spentUsd: number;
  /** Structured calls: repair turns, replies mended by jsonrepair, calls still failing after the repair turn. */
  readonly replies: { readonly repairs: number; readonly libraryRepairs: number; readonly failed: number };
  readonly cacheOnly: boolean;
  /** Wall-clock seconds per method (its fits and units) in this invocation. */
  readonly methodSeconds?: Readonly<Record<string, number>>;
}

/** What every invocation of a run spent together (the manifest's totals). */
export function invocationTotals(invocations: readonly Invocation[]): {
  calls: number;
  cacheHits: number;
  spentUsd: number;
} {
  return {
    calls: invocations.reduce((s, i) => s + i.calls, 0),
    cacheHits: invocations.reduce((s, i) => s + i.cacheHits, 0),
    spentUsd: invocations.reduce((s, i) => s + i.spentUsd, 0),
  };
}

/** What a method's fit on a dataset called and made (usage counts every call, whether answered now, by the cache or by a reused artifact). */
export interface FitRecord {
  readonly method: string;
  readonly dataset: string;
  readonly seed: number;
  readonly usage: {
    readonly calls: number;
    readonly input: number;
    readonly cachedInput: number;
    readonly output: number;
    readonly costUsd: number;
  };
  readonly items: {
    readonly attempted: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly failedByKind: Readonly<Record<string, number>>;
  };
  /** The first failed items in full: stage, item, error, raw reply. */
  readonly failures: ReadonlyArray<{
    readonly stage: string;
    readonly item: string;
    readonly kind: string;
    readonly message: string;
    readonly reply?: string;
  }>;
  /** Structured calls the fit made itself this time: repair turns, replies mended by jsonrepair, calls that failed. */
  readonly replies?: { readonly repairs: number; readonly libraryRepairs: number; readonly failed: number };
  /** Set when the fit produced nothing usable: the method's cells are errors with this reason. */
  readonly error?: string;
}

export function gitInfo(): Manifest['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

/** Installed versions of the project's direct dependencies. */
export function packageVersions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
  };
  const out: Record<string, string> = { 'usersim-bench': pkg.version };
  for (const name of Object.keys(pkg.dependencies ?? {}).sort()) {
    const p = join(PROJECT_ROOT, 'node_modules', name, 'package.json');
    out[name] = existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version : 'missing';
  }
  return out;
}

export function readManifest(dir: string, name = 'manifest.json'): Manifest | null {
  const p = join(dir, name);
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}
