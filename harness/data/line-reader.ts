import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { isAscii, isUtf8 } from 'node:buffer';
import { DataError } from './data-error.js';

export interface LineReadResult {
  /** Lines seen, blank ones included (the number of the last line). */
  readonly lines: number;
  /** Bytes of the file as stored (compressed when gzip). */
  readonly bytes: number;
  /** SHA-256 of the file as stored, for the run manifest. */
  readonly sha256: string;
  readonly gzip: boolean;
}

export interface LineReadOptions {
  /** utf8 (default; invalid bytes are an error naming the line) or latin1. */
  readonly encoding?: 'utf8' | 'latin1';
  /** What to tell the user when the file cannot be read at all. */
  readonly fix?: string;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether the file starts with the gzip magic bytes (the name is not trusted). */
export function isGzip(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === GZIP_MAGIC[0] && b[1] === GZIP_MAGIC[1];
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a text file, plain or gzip'd, calling `onLine` for every non-blank
 * line with its 1-based number; never holds more than a chunk of the file, so
 * multi-GB review dumps load in constant memory. A damaged gzip stream, bytes
 * that are not UTF-8 and unreadable files are DataErrors naming the file and
 * the line reached.
 */
export async function forEachLine(
  path: string,
  onLine: (line: string, lineNo: number) => void,
  opts: LineReadOptions = {},
): Promise<LineReadResult> {
  const fix = opts.fix ?? 'check the path, or download the file again';
  const { source, raw, gzip, result } = openStream(path);
  const utf8 = (opts.encoding ?? 'utf8') === 'utf8';

  let lineNo = 0;
  let carry = '';
  // Bytes of the unfinished line, to locate a bad byte in it; and an incomplete
  // UTF-8 sequence cut by the chunk boundary.
  let carryBytes: Buffer[] = [];
  let tail: Buffer | null = null;
  const emit = (text: string, final: boolean) => {
    // Split the chunk first and join the carried piece to its first line:
    // splitting `carry + text` would split a cons string, several times slower.
    const parts = text.split('\n');
    parts[0] = carry + (parts[0] as string);
    // A final newline ends the last line; it does not start another.
    const last = final && parts[parts.length - 1] !== '' ? parts.length : parts.length - 1;
    for (let i = 0; i < last; i++) {
      let line = parts[i] as string;
      lineNo++;
      if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      if (line.length === 0) continue;
      onLine(line, lineNo);
    }
    carry = final ? '' : (parts[parts.length - 1] as string);
  };

  try {
    for await (const piece of source as AsyncIterable<Buffer>) {
      let chunk: Buffer = tail ? Buffer.concat([tail, piece]) : piece;
      tail = null;
      let text: string;
      // ASCII (most of every dump) decodes fastest as latin1, with the same result.
      if (!utf8 || isAscii(chunk)) {
        text = chunk.toString('latin1');
      } else {
        const cut = completeUtf8Length(chunk);
        if (cut < chunk.length) {
          tail = Buffer.from(chunk.subarray(cut));
          chunk = chunk.subarray(0, cut);
        }
        if (!isUtf8(chunk)) throw badUtf8(path, [...carryBytes, chunk], lineNo);
        text = chunk.toString('utf8');
      }
      if (utf8) {
        const nl = chunk.lastIndexOf(10);
        carryBytes = nl < 0 ? [...carryBytes, chunk] : [chunk.subarray(nl + 1)];
      }
      emit(text, false);
    }
    if (tail) throw badUtf8(path, [...carryBytes, tail], lineNo);
    emit('', true);
  } catch (e) {
    throw streamError(e, path, gzip, lineNo, fix);
  } finally {
    raw.destroy();
  }
  return result(lineNo);
}

/** The file's bytes as a stream (gunzipped when gzip), hashing the stored bytes on the way. */
export function openStream(path: string): {
  source: NodeJS.ReadableStream;
  raw: ReturnType<typeof createReadStream>;
  gzip: boolean;
  result: (lines: number) => LineReadResult;
} {
  const gzip = isGzip(path);
  const hash = createHash('sha256');
  let bytes = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  });
  const source = gzip ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (gzip) raw.on('error', (e) => source.destroy(e));
  return { source, raw, gzip, result: (lines) => ({ lines, bytes, sha256: hash.digest('hex'), gzip }) };
}

/** A stream failure as the DataError a user can act on (missing file, damaged gzip). */
export function streamError(e: unknown, path: string, gzip: boolean, lineNo: number, fix: string): unknown {
  if (e instanceof DataError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') {
    return new DataError(path, null, `cannot read the file (${err.code})`, fix);
  }
  if (gzip && (err.code?.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test(err.message))) {
    return new DataError(
      path,
      lineNo + 1,
      `the gzip data is damaged or cut short (zlib: ${err.message}) after ${lineNo} complete lines`,
      'the file is incomplete or corrupt: download it again (usersim datasets fetch … resumes and verifies the checksum)',
    );
  }
  return e;
}

/** Length of the prefix that ends on a complete UTF-8 character (a chunk may cut one). */
function completeUtf8Length(b: Buffer): number {
  const n = b.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const c = b[n - back] as number;
    if (c < 0x80) return n;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return need > back ? n - back : n;
    }
  }
  return n;
}

/** Finds the first invalid UTF-8 byte in the bytes since the last complete line. */
export function badUtf8(path: string, pending: Buffer[], linesBefore: number): DataError {
  const buf = Buffer.concat(pending);
  const strict = new TextDecoder('utf-8', { fatal: true });
  let line = linesBefore + 1;
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    const end = nl < 0 ? buf.length : nl;
    const piece = buf.subarray(start, end);
    try {
      strict.decode(piece);
    } catch {
      const col = firstBadByte(piece);
      const byte = piece[col];
      return new DataError(
        path,
        line,
        `not valid UTF-8: byte 0x${(byte ?? 0).toString(16).toUpperCase().padStart(2, '0')} at column ${col + 1}`,
        'the file must be UTF-8 as published: re-download it, or convert it (e.g. iconv -f latin1 -t utf-8)',
      );
    }
    if (nl < 0) break;
    start = nl + 1;
    line++;
  }
  return new DataError(
    path,
    line,
    'not valid UTF-8 (a multi-byte character is cut at the end of the file)',
    'the file is truncated: download it again',
  );
}

function firstBadByte(piece: Buffer): number {
  // A prefix decodes in streaming mode unless it holds an invalid sequence.
  const ok = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(piece.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  if (ok(piece.length)) return Math.max(0, piece.length - 1);
  let lo = 0;
  let hi = piece.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  // Point at the lead byte of the broken sequence when there is one.
  for (let k = hi - 1; k >= Math.max(0, hi - 4); k--) if ((piece[k] ?? 0) >= 0xc0) return k;
  return hi - 1;
}
