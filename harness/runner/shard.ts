import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RunError } from './run-error.js';

/** `--shard i/n`: this process runs the units at positions i−1, i−1+n, … of every cell (1-based i). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses "i/n" (1 ≤ i ≤ n); the message says what a valid value looks like. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new RangeError(`--shard needs i/n with 1 ≤ i ≤ n, e.g. --shard 2/4; got "${text}"`);
  return { index, count };
}

export const shardTag = (s: Shard) => `shard-${s.index}-of-${s.count}`;

/** Whether the unit at `position` of its cell belongs to the shard: round robin, so every shard gets a fair share of every cell. */
export const inShard = (s: Shard | undefined, position: number) => !s || position % s.count === s.index - 1;

/** A shard's predictions file beside the merged one: m.jsonl → m.shard-2-of-4.jsonl. */
export function shardPath(path: string, s: Shard): string {
  return path.replace(/\.jsonl$/, `.${shardTag(s)}.jsonl`);
}

/** The shard files that sit beside a merged predictions file, in shard order. */
export function shardFilesOf(path: string): string[] {
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  const stem = basename(path).replace(/\.jsonl$/, '');
  const re = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.shard-(\\d+)-of-(\\d+)\\.jsonl$`);
  return readdirSync(dir)
    .map((f) => ({ f, m: re.exec(f) }))
    .filter((x) => x.m)
    .sort((a, b) => Number(a.m?.[1]) - Number(b.m?.[1]))
    .map((x) => join(dir, x.f));
}

export const shardManifestName = (s: Shard) => `manifest.${shardTag(s)}.json`;

/**
 * Before merging: every shard manifest in the results dir must come from this
 * config, or the shards would mix results of two configs.
 */
export function checkShardManifests(dir: string, configHash: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)
    .filter((x) => /^manifest\.shard-\d+-of-\d+\.json$/.test(x))
    .sort()) {
    let hash: unknown;
    try {
      hash = (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { configHash?: unknown }).configHash;
    } catch {
      throw new RunError(
        `${join(dir, f)} is not readable JSON: copy that shard's manifest again, or delete it and its predictions to rerun the shard's units here`,
      );
    }
    if (hash !== configHash) {
      throw new RunError(
        `${join(dir, f)} was written by a different config (hash ${String(hash).slice(0, 12)}…, this one ${configHash.slice(0, 12)}…): shards of two configs are never merged. Rerun that shard with this config, or remove its files.`,
      );
    }
  }
}

/** Deletes one shard's prediction files and manifest (its --fresh), leaving every other file of the folder. */
export function removeShardFiles(dir: string, s: Shard): void {
  if (!existsSync(dir)) return;
  const suffix = `.${shardTag(s)}.jsonl`;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(suffix)) rmSync(p);
    }
  };
  walk(dir);
  rmSync(join(dir, shardManifestName(s)), { force: true });
  rmSync(join(dir, `cache-keys.${shardTag(s)}.txt`), { force: true });
}
