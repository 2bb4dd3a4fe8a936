import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Logger } from '../api/plugin.js';
import { FETCH_RECORD, readFetchRecord, variantDir, type FetchRecord, type FetchRecordFile } from './cache-dir.js';
import { downloadFile, type DownloadProgress } from './download-file.js';
import type { DatasetDownload, DownloadFile } from './download-spec.js';
import { extractZip, gunzipFile } from './unpack.js';

export interface FetchOptions {
  readonly plugin: string;
  readonly download: DatasetDownload;
  /** The datasets cache (datasets/cache or --dir). */
  readonly cacheDir: string;
  readonly log: Logger;
  /** A progress callback per file (e.g. a progress bar on stderr). */
  readonly progress?: (label: string) => (p: DownloadProgress) => void;
  readonly connectTimeoutMs?: number;
  readonly retries?: number;
}

export interface FetchOutcome {
  /** datasets/cache/<plugin>/<variant> */
  readonly dir: string;
  /** The folder to give as path: (dir + the download's root). */
  readonly root: string;
  readonly record: FetchRecord;
}

export function fileName(f: DownloadFile): string {
  return f.name ?? decodeURIComponent(basename(new URL(f.url).pathname));
}

/**
 * Fetches every file of one dataset variant into the cache: download (resumed,
 * verified), unpack, and a checksums.json that records what was fetched, so
 * that the run manifest and `datasets list` can tell a complete copy.
 */
export async function fetchDataset(o: FetchOptions): Promise<FetchOutcome> {
  const dir = variantDir(o.cacheDir, o.plugin, o.download.variant);
  mkdirSync(dir, { recursive: true });
  const previous = readFetchRecord(dir);
  const files: Record<string, FetchRecordFile> = {};
  const unpacked: string[] = [];
  const root = join(dir, o.download.root);
  for (const f of o.download.files) {
    const folder = join(dir, f.folder ?? '');
    const name = fileName(f);
    const key = f.folder ? `${f.folder}/${name}` : name;
    const dest = join(folder, name);
    const manualHint =
      `download ${f.url} by hand (a browser or another machine; see ${o.download.homepage}), save it as ${dest} and run ` +
      `"npx usersim datasets fetch ${o.plugin} --variant ${o.download.variant}" again to verify${f.unpack === 'none' ? '' : ' and unpack'} it; ` +
      `or ${f.unpack === 'zip' ? 'unzip it anywhere' : 'put all the files of the variant in one folder'} and give that folder in the config: ` +
      `datasets: [{ plugin: ${o.plugin}, variant: ${o.download.variant}, path: <that folder>${o.download.root ? ` (the ${o.download.root} folder inside the archive)` : ''} }]`;
    const result = await downloadFile({
      url: f.url,
      dest,
      checksum: f.checksum,
      recordedSha256: f.checksum ? null : (previous?.files[key]?.sha256 ?? null),
      manualHint,
      ...(o.progress ? { onProgress: o.progress(key) } : {}),
      ...(o.connectTimeoutMs !== undefined ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
      ...(o.retries !== undefined ? { retries: o.retries } : {}),
    });
    if (result.alreadyPresent) o.log.info(`${key}: already downloaded, checksum verified`);
    if (!f.checksum && !previous?.files[key]) {
      o.log.warn(
        `${key}: the provider publishes no checksum; recorded sha256 ${result.sha256} (later fetches must match it)`,
      );
    }
    files[key] = {
      url: f.url,
      bytes: result.bytes,
      sha256: result.sha256,
      md5: result.md5,
      pinned: f.checksum
        ? { algorithm: f.checksum.algorithm, value: f.checksum.value, source: f.checksum.source }
        : null,
    };
    if (f.unpack === 'zip') {
      const out = await extractZip(dest, dir);
      unpacked.push(...out);
      o.log.info(`${key}: unpacked ${out.length} files into ${dir}`);
    } else if (f.unpack === 'gunzip') {
      const target = /\.gz$/.test(dest) ? dest.slice(0, -3) : `${dest}.out`;
      await gunzipFile(dest, target);
      unpacked.push(relative(dir, target));
    }
  }
  const record: FetchRecord = {
    dataset: o.plugin,
    variant: o.download.variant,
    fetchedAt: new Date().toISOString(),
    root: o.download.root,
    files,
    unpacked,
  };
  const tmp = join(dir, `${FETCH_RECORD}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(tmp, join(dir, FETCH_RECORD));
  return { dir, root, record };
}
