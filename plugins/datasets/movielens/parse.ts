import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataError, sha256, type Interaction } from '../../../harness/plugin-api.js';

export interface RawFile {
  readonly path: string;
  readonly text: string;
  readonly sha256: string;
}

/** Reads a file whole; MovieLens 100K and 1M text is ISO-8859-1, latest-small is UTF-8. */
export function readRaw(path: string, encoding: 'latin1' | 'utf8', fix: string): RawFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new DataError(path, null, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, fix);
  }
  return { path, text: buf.toString(encoding), sha256: sha256(buf) };
}

/**
 * Ratings lines `user SEP item SEP rating SEP timestamp` (u.data uses a tab,
 * ratings.dat uses "::"). Hand-rolled rather than a CSV parser because this is
 * the hot path of loading MovieLens-1M (a million lines).
 */
export function parseRatingLines(file: RawFile, sep: string, scale: { min: number; max: number; step: number }, skipLines = 0): Interaction[] {
  const out: Interaction[] = [];
  const text = file.text;
  const name = basename(file.path);
  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(pos, end);
    pos = end + 1;
    if (lineNo <= skipLines) continue;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    const parts = line.split(sep);
    if (parts.length !== 4) {
      const guess = line.includes('::') ? '"::" (MovieLens-1M ratings.dat)' : line.includes('\t') ? 'a tab (MovieLens-100K u.data)' : line.includes(',') ? 'a comma (ml-latest ratings.csv)' : 'none of the MovieLens separators';
      throw new DataError(
        file.path,
        lineNo,
        `expected 4 fields separated by ${JSON.stringify(sep)} but found ${parts.length} (the line seems to use ${guess}): ${JSON.stringify(line.slice(0, 80))}`,
        `check that "variant" matches the file (${name}), or that the file is complete and unmodified`,
      );
    }
    const rating = Number(parts[2]);
    const ts = Number(parts[3]);
    if (!/^\d+$/.test(parts[0] as string) || !/^\d+$/.test(parts[1] as string) || !Number.isFinite(rating) || !Number.isFinite(ts) || (parts[3] as string).trim() === '') {
      throw new DataError(file.path, lineNo, `a field is not a number: ${JSON.stringify(line.slice(0, 80))}`, 're-download the file: MovieLens rating lines are four integers (latest: rating may be x.5)');
    }
    if (rating < scale.min || rating > scale.max || !Number.isInteger((rating - scale.min) / scale.step)) {
      throw new DataError(
        file.path,
        lineNo,
        `rating ${rating} is not on the scale ${scale.min}–${scale.max} in steps of ${scale.step}`,
        'check that "variant" matches the file (ml-latest has half stars, 100k and 1m whole stars), or re-download it',
      );
    }
    out.push({ user: parts[0] as string, item: parts[1] as string, rating, timestamp: ts });
  }
  if (out.length === 0) throw new DataError(file.path, null, 'the file holds no ratings', 'point path: at the unpacked MovieLens folder; the file seems empty or truncated');
  return out;
}

/** Lines split on a separator with an exact or minimum field count; errors name the line. */
export function parseDelimited(file: RawFile, sep: string, minFields: number, fix: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  const lines = file.text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const fields = line.split(sep);
    if (fields.length < minFields) {
      throw new DataError(file.path, i + 1, `expected at least ${minFields} fields separated by ${JSON.stringify(sep)}, found ${fields.length}: ${JSON.stringify(line.slice(0, 80))}`, fix);
    }
    rows.push({ line: i + 1, fields });
  });
  return rows;
}

/** CSV with a header (ml-latest-small); quoted titles contain commas. */
export function parseCsvRecords(file: RawFile, columns: readonly string[]): Array<Record<string, string>> {
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv(file.text, { columns: true, skip_empty_lines: true, bom: true }) as Array<Record<string, string>>;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new DataError(file.path, err.lines ?? null, `not valid CSV: ${err.message}`, 're-download the file; ml-latest CSV files are RFC 4180 with a header line');
  }
  const first = records[0];
  for (const c of columns) {
    if (first && !(c in first)) throw new DataError(file.path, 1, `missing column "${c}" (header has ${Object.keys(first).join(', ')})`, `use the original ${basename(file.path)} whose header names ${columns.join(', ')}`);
  }
  return records;
}
