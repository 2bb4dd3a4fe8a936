import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataError, sha256, type Interaction } from '../../../harness/plugin-api.js';

export interface RawFile {
  readonly path: string;
  readonly bytes: Buffer;
  readonly encoding: 'latin1' | 'utf8';
  /** The decoded text, made on first use (the ratings parser reads the bytes instead). */
  readonly text: string;
  readonly sha256: string;
}

/** Reads a file whole; MovieLens 100K and 1M text is ISO-8859-1, latest-small is UTF-8. */
export function readRaw(path: string, encoding: 'latin1' | 'utf8', fix: string): RawFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new DataError(
      path,
      null,
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      fix,
    );
  }
  let text: string | null = null;
  return {
    path,
    bytes: buf,
    encoding,
    get text() {
      return (text ??= buf.toString(encoding));
    },
    sha256: sha256(buf),
  };
}

/**
 * Ratings lines `user SEP item SEP rating SEP timestamp` (u.data uses a tab,
 * ratings.dat uses "::"). Hand-rolled rather than a CSV parser because this is
 * the hot path of loading MovieLens-1M (a million lines): a fast path reads
 * the digits in place and shares one string per distinct id; any line it does
 * not recognise goes through the general parser, which gives the same result
 * or the DataError naming the line.
 */
export function parseRatingLines(
  file: RawFile,
  sep: string,
  scale: { min: number; max: number; step: number },
  skipLines = 0,
): Interaction[] {
  const b = file.bytes;
  const len = b.length;
  // Sized up front from the line count: growing a million-slot array by push costs more than counting.
  let lines = 0;
  for (let k = 0; k < len; k++) if (b[k] === 10) lines++;
  const out: Interaction[] = new Array<Interaction>(lines + 1);
  let n = 0;
  const name = basename(file.path);
  const sep0 = sep.charCodeAt(0);
  const sep1 = sep.length > 1 ? sep.charCodeAt(1) : -1;
  const sepLen = sep.length;
  // One shared string per distinct id (ids are small integers in every release). The caches
  // grow by push so that V8 keeps them as plain arrays (a far index would make them dictionaries).
  const userIds: Array<string | undefined> = [];
  const itemIds: Array<string | undefined> = [];
  const idOf = (cache: Array<string | undefined>, value: number, start: number, end: number): string => {
    if (value >= 1 << 22) return b.toString('latin1', start, end);
    while (cache.length <= value) cache.push(undefined);
    let str = cache[value];
    if (str === undefined) {
      str = b.toString('latin1', start, end);
      cache[value] = str;
    }
    return str;
  };
  const { min, max, step } = scale;
  let lineNo = 0;
  let pos = 0;
  while (pos < len) {
    lineNo++;
    const lineStart = pos;
    if (lineNo > skipLines) {
      // Fast path: digits SEP digits SEP digits[.digit] SEP digits, then \n, \r\n or the end.
      let p = pos;
      let c = 0;
      let ok = true;
      const uStart = p;
      let user = 0;
      while (p < len && (c = b[p] as number) >= 48 && c <= 57) {
        user = user * 10 + (c - 48);
        p++;
      }
      const uEnd = p;
      if (
        uEnd === uStart ||
        uEnd - uStart > 15 ||
        (b[uStart] === 48 && uEnd - uStart > 1) ||
        b[p] !== sep0 ||
        (sepLen > 1 && b[p + 1] !== sep1)
      )
        ok = false;
      p += sepLen;
      const iStart = p;
      let item = 0;
      if (ok) {
        while (p < len && (c = b[p] as number) >= 48 && c <= 57) {
          item = item * 10 + (c - 48);
          p++;
        }
        if (
          p === iStart ||
          p - iStart > 15 ||
          (b[iStart] === 48 && p - iStart > 1) ||
          b[p] !== sep0 ||
          (sepLen > 1 && b[p + 1] !== sep1)
        )
          ok = false;
      }
      const iEnd = p;
      p += sepLen;
      let rating = 0;
      if (ok) {
        const rStart = p;
        while (p < len && (c = b[p] as number) >= 48 && c <= 57) {
          rating = rating * 10 + (c - 48);
          p++;
        }
        if (p === rStart || p - rStart > 3) ok = false;
        else if (b[p] === 46) {
          const d = b[p + 1] as number;
          if (d >= 48 && d <= 57) {
            rating += (d - 48) / 10;
            p += 2;
          } else ok = false;
        }
        if (b[p] !== sep0 || (sepLen > 1 && b[p + 1] !== sep1)) ok = false;
        p += sepLen;
      }
      let ts = 0;
      if (ok) {
        const tStart = p;
        while (p < len && (c = b[p] as number) >= 48 && c <= 57) {
          ts = ts * 10 + (c - 48);
          p++;
        }
        if (p === tStart || p - tStart > 15) ok = false;
        else if (p < len) {
          if (b[p] === 13 && b[p + 1] === 10) p += 2;
          else if (b[p] === 10) p += 1;
          else ok = false;
        }
      }
      if (ok && rating >= min && rating <= max && Number.isInteger((rating - min) / step)) {
        out[n++] = {
          user: idOf(userIds, user, uStart, uEnd),
          item: idOf(itemIds, item, iStart, iEnd),
          rating,
          timestamp: ts,
        };
        pos = p;
        continue;
      }
    }
    let end = lineStart;
    while (end < len && b[end] !== 10) end++;
    pos = end + 1;
    if (lineNo <= skipLines) continue;
    const lineEnd = end > lineStart && b[end - 1] === 13 ? end - 1 : end;
    if (lineEnd === lineStart) continue;
    out[n++] = parseRatingLine(file.path, name, b.toString(file.encoding, lineStart, lineEnd), lineNo, sep, scale);
  }
  out.length = n;
  if (out.length === 0)
    throw new DataError(
      file.path,
      null,
      'the file holds no ratings',
      'point path: at the unpacked MovieLens folder; the file seems empty or truncated',
    );
  return out;
}

/** One ratings line by the general rules: the interaction, or the DataError that says what is wrong with it. */
function parseRatingLine(
  path: string,
  name: string,
  line: string,
  lineNo: number,
  sep: string,
  scale: { min: number; max: number; step: number },
): Interaction {
  const parts = line.split(sep);
  if (parts.length !== 4) {
    const guess = line.includes('::')
      ? '"::" (MovieLens-1M ratings.dat)'
      : line.includes('\t')
        ? 'a tab (MovieLens-100K u.data)'
        : line.includes(',')
          ? 'a comma (ml-latest ratings.csv)'
          : 'none of the MovieLens separators';
    throw new DataError(
      path,
      lineNo,
      `expected 4 fields separated by ${JSON.stringify(sep)} but found ${parts.length} (the line seems to use ${guess}): ${JSON.stringify(line.slice(0, 80))}`,
      `check that "variant" matches the file (${name}), or that the file is complete and unmodified`,
    );
  }
  const rating = Number(parts[2]);
  const ts = Number(parts[3]);
  if (
    !/^\d+$/.test(parts[0] as string) ||
    !/^\d+$/.test(parts[1] as string) ||
    !Number.isFinite(rating) ||
    !Number.isFinite(ts) ||
    (parts[3] as string).trim() === ''
  ) {
    throw new DataError(
      path,
      lineNo,
      `a field is not a number: ${JSON.stringify(line.slice(0, 80))}`,
      're-download the file: MovieLens rating lines are four integers (latest: rating may be x.5)',
    );
  }
  if (rating < scale.min || rating > scale.max || !Number.isInteger((rating - scale.min) / scale.step)) {
    throw new DataError(
      path,
      lineNo,
      `rating ${rating} is not on the scale ${scale.min}–${scale.max} in steps of ${scale.step}`,
      'check that "variant" matches the file (ml-latest has half stars, 100k and 1m whole stars), or re-download it',
    );
  }
  return { user: parts[0] as string, item: parts[1] as string, rating, timestamp: ts };
}

/** Lines split on a separator with an exact or minimum field count; errors name the line. */
export function parseDelimited(
  file: RawFile,
  sep: string,
  minFields: number,
  fix: string,
): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  const lines = file.text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const fields = line.split(sep);
    if (fields.length < minFields) {
      throw new DataError(
        file.path,
        i + 1,
        `expected at least ${minFields} fields separated by ${JSON.stringify(sep)}, found ${fields.length}: ${JSON.stringify(line.slice(0, 80))}`,
        fix,
      );
    }
    rows.push({ line: i + 1, fields });
  });
  return rows;
}

/** CSV with a header (ml-latest-small, Agent4Rec's tables); quoted titles contain commas. `fix` says how to get a good copy. */
export function parseCsvRecords(
  file: RawFile,
  columns: readonly string[],
  fix = 're-download the file; ml-latest CSV files are RFC 4180 with a header line',
): Array<Record<string, string>> {
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv(file.text, { columns: true, skip_empty_lines: true, bom: true }) as Array<
      Record<string, string>
    >;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new DataError(file.path, err.lines ?? null, `not valid CSV: ${err.message}`, fix);
  }
  const first = records[0];
  for (const c of columns) {
    if (first && !(c in first))
      throw new DataError(
        file.path,
        1,
        `missing column "${c}" (header has ${Object.keys(first).join(', ')})`,
        `use the original ${basename(file.path)} whose header names ${columns.join(', ')}`,
      );
  }
  return records;
}
