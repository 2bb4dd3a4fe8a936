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
  readonly done = new StoredLines<L>();
  private fd: number | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private dirty = false;
  /** Lines that were torn or duplicated when the file was opened. */
  readonly repaired: { torn: number; duplicates: number } = { torn: 0, duplicates: 0 };

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    // Only the last line can be torn (a torn line is cut off on every open), so only it is parsed in full here.
    const lastBreak = text.endsWith('\n') ? text.lastIndexOf('\n', text.length - 2) : text.lastIndexOf('\n');
    let start = 0;
    while (start < text.length) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      const raw = text.slice(start, end);
      if (raw.trim() !== '') {
        const unit = start > lastBreak ? fullKey(raw) : (quickKey(raw) ?? fullKey(raw));
        if (unit === null) {
          this.repaired.torn++;
          truncateSync(path, Buffer.byteLength(text.slice(0, start), 'utf8'));
          return;
        }
        if (this.done.has(unit)) this.repaired.duplicates++;
        this.done.setText(unit, raw);
      }
      start = end + 1;
    }
    if (text.length > 0 && !text.endsWith('\n')) writeFileSync(path, '\n', { flag: 'a' });
  }

  append(raw: L): void {
    // An error message may quote what an endpoint echoed back, key included.
    const line = redactValue(raw);
    if (this.fd === null) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    const text = JSON.stringify(line);
    writeSync(this.fd, `${text}\n`);
    this.done.setText(line.unit, text);
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
   * (write, fsync, rename), so a crash here loses nothing.
   */
  compact(order: readonly string[]): void {
    this.close();
    if (!existsSync(this.path)) return;
    // The stored text, redacted when read in case the file was written before a secret was known to be one.
    const lines = order.filter((k) => this.done.has(k)).map((k) => `${redact(this.done.text(k) as string)}\n`);
    const body = lines.join('');
    if (readFileSync(this.path, 'utf8') === body) return;
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, body);
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
  }
}

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
