import { DataError } from './data-error.js';
import { forEachLine, type LineReadResult } from './line-reader.js';
import { parsePythonLiteral, PythonLiteralError, type PythonValue } from './python-literal.js';

export type RecordObject = { [key: string]: PythonValue };

export interface RecordLinesOptions {
  /** What to tell the user when a line is not a record (e.g. "download the file again"). */
  readonly fix: string;
}

/**
 * Streams a file of one record per line, plain or gzip'd: JSON objects (the
 * Amazon 2014 reviews, 2018 files) or Python dict literals (UCSD Steam, Amazon
 * 2014 metadata), told apart line by line, so one reader takes every McAuley
 * dump. A line that is neither is a DataError naming the file, the line and
 * the column where parsing stopped.
 */
export async function forEachRecord(
  path: string,
  onRecord: (record: RecordObject, lineNo: number) => void,
  opts: RecordLinesOptions,
): Promise<LineReadResult> {
  return forEachLine(path, (line, lineNo) => onRecord(parseRecordLine(path, line, lineNo, opts.fix), lineNo), {
    fix: opts.fix,
  });
}

/** One line as a record: a JSON object or a Python dict literal, else a DataError naming the column. */
export function parseRecordLine(path: string, line: string, lineNo: number, fix: string): RecordObject {
  let value: unknown;
  // {"…  is JSON; {'… {u'… are Python reprs.
  if (line.charCodeAt(1) === 34 || line.charCodeAt(0) === 91) {
    try {
      value = JSON.parse(line);
    } catch {
      value = parseOrFail(path, line, lineNo, fix);
    }
  } else {
    value = parseOrFail(path, line, lineNo, fix);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DataError(
      path,
      lineNo,
      `expected one record ({…}) per line but found ${Array.isArray(value) ? 'a list' : JSON.stringify(value)?.slice(0, 40)}`,
      fix,
    );
  }
  return value as RecordObject;
}

function parseOrFail(path: string, line: string, lineNo: number, fix: string): PythonValue {
  try {
    return parsePythonLiteral(line);
  } catch (e) {
    if (!(e instanceof PythonLiteralError)) throw e;
    const from = Math.max(0, e.column - 30);
    const excerpt = `${from > 0 ? '…' : ''}${line.slice(from, e.column + 20)}${line.length > e.column + 20 ? '…' : ''}`;
    throw new DataError(
      path,
      lineNo,
      `not a JSON object or Python dict literal: ${e.message} near ${JSON.stringify(excerpt)}`,
      fix,
    );
  }
}

/** A string field, or a DataError naming the field. */
export function stringField(rec: RecordObject, key: string, path: string, lineNo: number, fix: string): string {
  const v = rec[key];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  throw new DataError(
    path,
    lineNo,
    v === undefined ? `missing field "${key}"` : `field "${key}" is ${JSON.stringify(v)?.slice(0, 40)}, not a string`,
    fix,
  );
}

/** A finite number field (numbers written as strings are accepted), or a DataError naming the field. */
export function numberField(rec: RecordObject, key: string, path: string, lineNo: number, fix: string): number {
  const v = rec[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.replace(/,/g, '')) : NaN;
  if (Number.isFinite(n)) return n;
  throw new DataError(
    path,
    lineNo,
    v === undefined ? `missing field "${key}"` : `field "${key}" is ${JSON.stringify(v)?.slice(0, 40)}, not a number`,
    fix,
  );
}
