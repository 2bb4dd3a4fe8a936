import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { redact, redactValue } from '../util/secrets.js';
import type { PredictionLine } from './prediction-line.js';
import { type KeyedLine, StoredLines } from './stored-lines.js';

export type { KeyedLine } from './stored-lines.js';

/** How often appended lines are forced to disk; a killed process loses nothing already written. */
const SYNC_INTERVAL_MS = 50;

/**
 * An append-only JSONL file of finished units (or of per-user state records). Each line is written with one
 * write(2) as soon as its unit finishes, so a SIGKILL loses at most the units
 * in flight; a torn last line (power loss mid-write) is cut off on reopen.
 */
export class PredictionStore<L extends KeyedLine = PredictionLine> {
  readonly done: StoredLines<L>;
  private fd: number | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private dirty = false;
  /** The file's length in bytes: where the next appended line starts. */
  private bytes = 0;
  /** Lines that were torn or duplicated when the file was opened. */
  readonly repaired: { torn: number; duplicates: number } = { torn: 0, duplicates: 0 };

  constructor(readonly path: string) {
    this.done = new StoredLines<L>(path);
    if (!existsSync(path)) return;
    const data = readFileSync(path);
    // Only the last line can be torn (a torn line is cut off on every open), so only it is parsed in full here.
    const endsWithBreak = data.length > 0 && data[data.length - 1] === NEWLINE;
    const lastBreak = data.lastIndexOf(NEWLINE, endsWithBreak ? data.length - 2 : data.length - 1);
    let start = 0;
    while (start < data.length) {
      const nl = data.indexOf(NEWLINE, start);
      const end = nl < 0 ? data.length : nl;
      const raw = data.toString('utf8', start, end);
      if (raw.trim() !== '') {
        const unit = start > lastBreak ? fullKey(raw) : (quickKey(raw) ?? fullKey(raw));
        if (unit === null) {
          this.repaired.torn++;
          truncateSync(path, start);
          this.bytes = start;
          return;
        }
        if (this.done.has(unit)) this.repaired.duplicates++;
        this.done.note(unit, raw, start, end - start);
      }
      start = end + 1;
    }
    this.bytes = data.length;
    if (data.length > 0 && !endsWithBreak) {
      writeFileSync(path, '\n', { flag: 'a' });
      this.bytes++;
    }
  }

  append(raw: L): void {
    // An error message may quote what an endpoint echoed back, key included.
    const line = redactValue(raw);
    if (this.fd === null) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    const text = JSON.stringify(line);
    const bytes = Buffer.from(`${text}\n`, 'utf8');
    writeAll(this.fd, bytes);
    this.done.note(line.unit, text, this.bytes, bytes.length - 1);
    this.bytes += bytes.length;
    this.dirty = true;
    if (!this.syncTimer) {
      this.syncTimer = setTimeout(() => {
        this.syncTimer = null;
        this.sync();
      }, SYNC_INTERVAL_MS);
    }
  }

  sync(): void {
    if (this.fd !== null && this.dirty) {
      fdatasyncSync(this.fd);
      this.dirty = false;
    }
  }

  close(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    this.sync();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /**
   * Rewrites the file in unit order, one line per unit, so that an interrupted
   * and resumed run leaves the same file as an uninterrupted one. Atomic
   * (write, fsync, rename), so a crash here loses nothing. Lines are copied
   * one at a time, so a large cell never has its whole file in memory.
   */
  compact(order: readonly string[]): void {
    this.close();
    if (!existsSync(this.path)) return;
    const keys = order.filter((k) => this.done.has(k));
    if (this.isCompact(keys)) return;
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    const placed: Array<[string, string, number, number]> = [];
    let at = 0;
    try {
      let chunk: string[] = [];
      let chunkBytes = 0;
      for (const k of keys) {
        // The stored text, redacted in case the file was written before a secret was known to be one.
        const text = redact(this.done.text(k) as string);
        const length = Buffer.byteLength(text, 'utf8');
        placed.push([k, text.includes('"error":{') ? ERROR_MARK : '', at, length]);
        chunk.push(text, '\n');
        chunkBytes += length + 1;
        at += length + 1;
        if (chunkBytes >= WRITE_CHUNK_BYTES) {
          writeAll(fd, Buffer.from(chunk.join(''), 'utf8'));
          chunk = [];
          chunkBytes = 0;
        }
      }
      if (chunk.length > 0) writeAll(fd, Buffer.from(chunk.join(''), 'utf8'));
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.bytes = at;
    this.done.replaced();
    for (const [k, mark, offset, length] of placed) this.done.note(k, mark, offset, length);
  }

  /**
   * Whether the file already holds exactly these lines in this order, one
   * each, and none of them holds a secret: then compacting changes nothing.
   */
  private isCompact(keys: readonly string[]): boolean {
    let at = 0;
    for (const k of keys) {
      const place = this.done.place(k) as { offset: number; length: number };
      if (place.offset !== at) return false;
      at += place.length + 1;
    }
    if (at !== this.bytes) return false;
    for (const k of keys) {
      const text = this.done.text(k) as string;
      if (redact(text) !== text) return false;
    }
    return true;
  }
}

const NEWLINE = 0x0a;

/** Writes every byte (a write may take fewer than asked): the offsets the store notes are only right if it did. */
function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}
/** Lines are written to the compacted file in pieces of about this size. */
const WRITE_CHUNK_BYTES = 1 << 20;
/** What `note` needs to flag a line that may hold an error, without keeping its text. */
const ERROR_MARK = '"error":{';

/** The unit key of a line as this store writes it (`{"id":"…","unit":"…",…}`), without parsing the rest. */
const PREFIX = /^\{"id":"(?:[^"\\]|\\.)*","unit":"((?:[^"\\]|\\.)*)"/;

function quickKey(raw: string): string | null {
  if (!raw.endsWith('}')) return null;
  const m = PREFIX.exec(raw);
  if (!m) return null;
  const key = m[1] as string;
  return key.includes('\\') ? (JSON.parse(`"${key}"`) as string) : key;
}

function fullKey(raw: string): string | null {
  try {
    const line = JSON.parse(raw) as Partial<KeyedLine>;
    return typeof line.unit === 'string' && typeof line.id === 'string' ? line.unit : null;
  } catch {
    return null;
  }
}
