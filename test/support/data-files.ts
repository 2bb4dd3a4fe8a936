import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect } from 'vitest';
import { DataError } from '../../harness/data/data-error.js';
import type { Interaction, RatingsDataset } from '../../harness/data/types.js';

/** Awaits a load that must fail with a DataError, and returns it. */
export async function dataError(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

/** Every interaction of a split. */
export const allInteractions = (d: RatingsDataset): Interaction[] => [
  ...d.split.train,
  ...d.split.valid,
  ...d.split.test,
];

export const gz = (s: string): Buffer => gzipSync(Buffer.from(s));

/**
 * Temporary folders for a test file, removed after it: `tmp()` an empty one,
 * `folder({ name: contents })` one holding the given files.
 */
export function tempFolders(prefix: string): {
  tmp: () => string;
  folder: (files: Record<string, string | Buffer>) => string;
} {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const folder = (files: Record<string, string | Buffer>) => {
    const d = tmp();
    for (const [name, data] of Object.entries(files)) writeFileSync(join(d, name), data);
    return d;
  };
  return { tmp, folder };
}
