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
  readonly status: 'running' | 'complete' | 'interrupted';
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
        readonly split: string;
        readonly checksums: Readonly<Record<string, string>>;
        /** The loader's counts of rows kept, left out or not shown (dataset `counts`), when it reports any. */
        readonly counts?: Readonly<Record<string, number>>;
      }
    >
  >;
  readonly prompts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly tasks: Readonly<Record<string, { readonly version: number }>>;
  readonly seeds: readonly number[];
  readonly llms: Readonly<
    Record<string, { readonly provider: string; readonly model: string; readonly mock: boolean }>
  >;
  /** Every choice marked (ours): the papers leave it open and this run made it. */
  readonly choices: readonly string[];
  readonly units?: { readonly computed: number; readonly skipped: number; readonly errors: number };
  readonly stopReason?: string;
  /** This run's LLM traffic: every call (cached or not), what reached a provider and cost money. */
  readonly llmUsage?: Readonly<Record<string, number | string | boolean | null>>;
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
