import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes read from the file at a time. */
const WINDOW_BYTES = 64 * 1024;
/**
 * How far before the asked-for line a window starts: lines written by
 * concurrent units are near their unit order, not in it, so reading them in
 * unit order steps back a little now and then.
 */
const BEHIND_BYTES = 8 * 1024;

/**
 * Reads byte ranges of a file that is only ever appended to (or replaced
 * whole, after which `forget` is called) through one window of its bytes.
 * Reading lines in about file order, as scoring a compacted file or
 * compacting a concurrent run's file does, costs one read(2) per 64 KiB; a
 * random read costs one small read. The file is opened per window, so a store
 * that is only read holds no descriptor.
 */
export class LineWindow {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  constructor(private readonly path: string) {}

  /** The UTF-8 text of `length` bytes at `offset`. */
  read(offset: number, length: number): string {
    if (offset < this.start || offset + length > this.end) this.load(offset, length);
    return this.buf.toString('utf8', offset - this.start, offset - this.start + length);
  }

  forget(): void {
    this.buf = Buffer.alloc(0);
    this.start = 0;
    this.end = 0;
  }

  private load(line: number, length: number): void {
    const offset = Math.max(0, line - BEHIND_BYTES);
    const size = Math.max(WINDOW_BYTES, line - offset + length);
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(size);
    const fd = openSync(this.path, 'r');
    try {
      let got = 0;
      while (got < size) {
        const n = readSync(fd, this.buf, got, size - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      if (offset + got < line + length)
        throw new Error(`${this.path}: the file ended at byte ${offset + got}, inside a line it held`);
      this.start = offset;
      this.end = offset + got;
    } finally {
      closeSync(fd);
    }
  }
}
