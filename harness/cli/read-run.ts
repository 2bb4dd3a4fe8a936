import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Manifest, readManifest } from '../results/manifest.js';
import type { MetricsFile } from '../results/metrics-file.js';
import { UsageError } from './exit-codes.js';

/** A finished run's metrics.json (and manifest.json when there is one), or a one-line UsageError saying what is wrong. */
export function readRun(given: string): { dir: string; metrics: MetricsFile; manifest: Manifest | null } {
  const isFile = existsSync(given) && statSync(given).isFile();
  const dir = isFile ? dirname(given) : given;
  const path = isFile ? given : join(given, 'metrics.json');
  if (!existsSync(path))
    throw new UsageError(`${path} does not exist: give a finished run's folder (e.g. results/quickstart)`);
  let metrics: MetricsFile;
  try {
    metrics = JSON.parse(readFileSync(path, 'utf8')) as MetricsFile;
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON (${(e as Error).message}); rerun the config to rewrite it`);
  }
  if (metrics?.formatVersion !== 1)
    throw new UsageError(`${path} has format version ${String(metrics?.formatVersion)}; this usersim reads version 1`);
  const manifestName = isFile ? basename(given).replace(/^metrics/, 'manifest') : 'manifest.json';
  return {
    dir,
    metrics,
    manifest: readManifest(dir, existsSync(join(dir, manifestName)) ? manifestName : 'manifest.json'),
  };
}
