import { closeSync, createReadStream, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { Gunzip, Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { DataError } from '../data/data-error.js';

/**
 * Extracts a zip archive into `outDir`, streaming (fflate) so that an archive
 * is never read whole. Returns the files written, relative to `outDir`.
 * Entries that would land outside `outDir` ("../", absolute paths) are refused.
 */
export async function extractZip(zipPath: string, outDir: string): Promise<string[]> {
  const written: string[] = [];
  let failure: Error | null = null;
  const open: number[] = [];
  const unzip = new Unzip((file) => {
    if (failure) return;
    const name = file.name.replace(/\\/g, '/');
    const target = normalize(join(outDir, name));
    const rel = relative(outDir, target);
    if (isAbsolute(name) || rel.startsWith('..') || rel.split(sep).includes('..')) {
      failure = new DataError(
        zipPath,
        null,
        `the archive holds an entry outside its folder (${JSON.stringify(file.name)})`,
        'do not use this archive: download the official one again',
      );
      return;
    }
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      return;
    }
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(`${target}.unpacking`, 'w');
    open.push(fd);
    file.ondata = (err, chunk, final) => {
      if (err) {
        failure ??= err;
        return;
      }
      writeSync(fd, chunk);
      if (final) {
        closeSync(fd);
        open.splice(open.indexOf(fd), 1);
        renameSync(`${target}.unpacking`, target);
        written.push(rel.split(sep).join('/'));
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for await (const chunk of createReadStream(zipPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      unzip.push(chunk, false);
      if (failure) break;
    }
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (e) {
    failure ??= e as Error;
  }
  for (const fd of open) closeSync(fd);
  if (failure === null && written.length === 0) failure = new Error('no file found in the archive');
  if (failure !== null) {
    const f: Error = failure;
    if (f instanceof DataError) throw f;
    throw new DataError(
      zipPath,
      null,
      `not a valid zip archive (${f.message})`,
      'the download is damaged: delete it and fetch again',
    );
  }
  return written.sort();
}

/** Decompresses a gzip file to `dest` (streaming, fflate). */
export async function gunzipFile(gzPath: string, dest: string): Promise<void> {
  const tmp = `${dest}.unpacking`;
  const fd = openSync(tmp, 'w');
  let out = 0;
  const gunzip = new Gunzip((chunk) => {
    writeSync(fd, chunk);
    out += chunk.length;
  });
  try {
    for await (const chunk of createReadStream(gzPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)
      gunzip.push(chunk, false);
    gunzip.push(new Uint8Array(0), true);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw new DataError(
      gzPath,
      null,
      `not valid gzip data (${(e as Error).message}) after ${out} decompressed bytes`,
      'the download is damaged or cut short: delete it and fetch again',
    );
  }
  closeSync(fd);
  renameSync(tmp, dest);
}
