import { noteDataFolder } from './data-folders.js';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError } from '../data/data-error.js';
import { cachedCopy, datasetsCacheDir, variantDir } from './cache-dir.js';
import type { DatasetDownload } from './download-spec.js';

export interface DatasetFolderRequest {
  readonly plugin: string;
  readonly variant: string;
  /** The config's `path:` (relative to configDir), or undefined to use the fetched copy. */
  readonly path: string | undefined;
  readonly configDir: string;
  readonly downloads: readonly DatasetDownload[];
}

/**
 * The folder a dataset loader reads: the config's `path:` when given, else the
 * copy `usersim datasets fetch` put in datasets/cache/. Either way a missing
 * folder is a DataError that says how to get the data.
 */
export function datasetFolder(req: DatasetFolderRequest): string {
  const download = req.downloads.find((d) => d.variant === req.variant);
  const fetchHint = download
    ? `run "npx usersim datasets fetch ${req.plugin} --variant ${req.variant}", or download ${download.files.map((f) => f.url).join(' and ')} by hand (see ${download.homepage})${download.files.some((f) => f.unpack === 'zip') ? ', unzip it' : ''} and give its folder as path:`
    : `give path: the folder holding the ${req.plugin} ${req.variant} files`;
  if (req.path !== undefined && req.path !== '') {
    const dir = resolve(req.configDir, req.path);
    if (!existsSync(dir))
      throw new DataError(
        dir,
        null,
        `the ${req.plugin} folder given as path: does not exist`,
        `correct path: (relative paths are read from the config's folder, ${req.configDir}), or ${fetchHint}`,
      );
    if (!statSync(dir).isDirectory())
      throw new DataError(dir, null, `path: must be a folder, not a file`, `give the folder that holds the file`);
    noteDataFolder(dir);
    return dir;
  }
  const cacheDir = datasetsCacheDir();
  const cached = download ? cachedCopy(req.plugin, download, cacheDir) : null;
  if (cached) {
    // The fetch record beside the copy is read too (it says the copy is complete).
    noteDataFolder(variantDir(cacheDir, req.plugin, req.variant));
    return cached;
  }
  const where = download
    ? join(variantDir(cacheDir, req.plugin, req.variant), download.root)
    : variantDir(cacheDir, req.plugin, req.variant);
  throw new DataError(
    where,
    null,
    `no path: in the config and no fetched copy of ${req.plugin} ${req.variant} in the datasets cache`,
    fetchHint,
  );
}
