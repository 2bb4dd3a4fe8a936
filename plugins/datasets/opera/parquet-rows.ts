import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type FileMetaData,
} from 'hyparquet';
import { DataError } from '../../../harness/plugin-api.js';

export type ParquetRowObject = Record<string, unknown>;

export interface ParquetReadResult {
  readonly rows: number;
  readonly sha256: string;
  /** Row groups read one after another. */
  readonly rowGroups: number;
  /** Reads made (windows of at most `window` rows within each row group). */
  readonly reads: number;
}

/** Rows decoded at once: a writer may put a whole table in one row group, so reads stay below it. */
export const ROW_WINDOW = 500;

/**
 * Streams the rows of a Parquet file a row group at a time, and within a row
 * group a window of rows at a time (hyparquet), reading only `columns`, so
 * that OPeRA's ~800 MB train action table never sits in memory whole. `onRow` gets the 1-based row number for error
 * messages. A file that is not Parquet, is cut short, or lacks a column is a
 * DataError naming the file.
 */
export async function forEachParquetRow(
  path: string,
  columns: readonly string[],
  onRow: (row: ParquetRowObject, rowNo: number) => void,
  fix: string,
  optional: readonly string[] = [],
  window = ROW_WINDOW,
): Promise<ParquetReadResult> {
  let metadata: FileMetaData;
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(path, null, 'the file does not exist', fix);
    throw new DataError(
      path,
      null,
      `not a readable Parquet file (${(e as Error).message})`,
      `the file is damaged or not Parquet: ${fix}`,
    );
  }
  const present = parquetSchema(metadata).children.map((c) => c.element.name);
  const missing = columns.filter((c) => !present.includes(c));
  if (missing.length > 0) {
    throw new DataError(
      path,
      null,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (the file has ${present.join(', ')})`,
      fix,
    );
  }
  const wanted = [...columns, ...optional.filter((c) => present.includes(c))];
  let start = 0;
  let groups = 0;
  let reads = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    // hyparquet skips the pages before a window and stops after it, so only a window's values are decoded.
    for (let from = start; from < start + n; from += window) {
      const to = Math.min(start + n, from + window);
      let rows: ParquetRowObject[];
      try {
        rows = (await parquetReadObjects({
          file,
          metadata,
          columns: wanted,
          rowStart: from,
          rowEnd: to,
        })) as ParquetRowObject[];
      } catch (e) {
        throw new DataError(
          path,
          null,
          `rows ${from + 1}–${to} cannot be read (${(e as Error).message})`,
          `the file is damaged or cut short: ${fix}`,
        );
      }
      reads++;
      for (let k = 0; k < rows.length; k++) onRow(rows[k] as ParquetRowObject, from + k + 1);
    }
    start += n;
    groups++;
  }
  return { rows: start, sha256: await fileSha256(path), rowGroups: groups, reads };
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)
    h.update(chunk);
  return h.digest('hex');
}
