import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatasetDownload } from './download-spec.js';

/** Written into each fetched variant folder once every file is verified and unpacked. */
export const FETCH_RECORD = 'checksums.json';

/**
 * The datasets cache: USERSIM_DATASETS_DIR when set, else datasets/cache under
 * the working directory (the project root when run through npx usersim).
 */
export function datasetsCacheDir(): string {
  const env = process.env['USERSIM_DATASETS_DIR'];
  return resolve(env && env.trim() !== '' ? env : join(process.cwd(), 'datasets', 'cache'));
}

/** datasets/cache/<plugin>/<variant> */
export function variantDir(cacheDir: string, plugin: string, variant: string): string {
  return join(cacheDir, plugin, variant);
}

export interface FetchRecordFile {
  readonly url: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly md5: string;
  /** The published checksum checked against, or null when none is published (recorded on first use). */
  readonly pinned: { algorithm: string; value: string; source: string } | null;
}

export interface FetchRecord {
  readonly dataset: string;
  readonly variant: string;
  readonly fetchedAt: string;
  readonly root: string;
  readonly files: Readonly<Record<string, FetchRecordFile>>;
  /** Files written by unpacking, relative to the variant folder. */
  readonly unpacked: readonly string[];
}

export function readFetchRecord(dir: string): FetchRecord | null {
  const p = join(dir, FETCH_RECORD);
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as FetchRecord;
  } catch {
    return null;
  }
}

/**
 * The folder a loader should read when a config gives no `path:`: the fetched
 * copy in the cache, or null when there is none.
 */
export function cachedCopy(plugin: string, download: DatasetDownload, cacheDir = datasetsCacheDir()): string | null {
  const dir = variantDir(cacheDir, plugin, download.variant);
  if (!readFetchRecord(dir)) return null;
  const root = join(dir, download.root);
  return existsSync(root) ? root : null;
}
