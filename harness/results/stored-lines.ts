import { grown } from '../util/grown.js';
import { redactValue } from '../util/secrets.js';
import { LineWindow } from './line-window.js';

/** What a store keys its lines by: `unit` (a unit key, or a per-user state key). */
export interface KeyedLine {
  readonly id: string;
  readonly unit: string;
}

/**
 * A store's lines by unit key, kept where they are in the store's file (byte
 * offset and length) and read and parsed when asked for. A large run then
 * holds a few numbers per unit instead of every line's text (issue 16: the
 * line texts were the largest part of a 20,000-user run's memory), and a rerun
 * with nothing to do never reads the lines it only counts. Each read parses
 * afresh: callers that need a line twice keep it themselves.
 */
export class StoredLines<L extends KeyedLine> implements ReadonlyMap<string, L> {
  private readonly slotOf = new Map<string, number>();
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  /** 1 when the line's text holds a top-level-looking `"error":{` (see withErrors). */
  private flagged = new Uint8Array(1024);
  private slots = 0;
  private readonly window: LineWindow;

  constructor(path: string) {
    this.window = new LineWindow(path);
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(key: string): boolean {
    return this.slotOf.has(key);
  }

  get(key: string): L | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : parse<L>(this.textAt(slot));
  }

  /** The line's JSON text as stored (one line of the file, without its newline). */
  text(key: string): string | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : this.textAt(slot);
  }

  /** Where the line's bytes are in the file (without its newline). */
  place(key: string): { readonly offset: number; readonly length: number } | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined
      ? undefined
      : { offset: this.offsets[slot] as number, length: this.lengths[slot] as number };
  }

  /** Records that the line of `key` is `text`, whose bytes are `length` bytes at `offset` of the file. */
  note(key: string, text: string, offset: number, length: number): void {
    let slot = this.slotOf.get(key);
    if (slot === undefined) {
      slot = this.slots++;
      if (slot === this.offsets.length) this.grow();
      this.slotOf.set(key, slot);
    }
    this.offsets[slot] = offset;
    this.lengths[slot] = length;
    this.flagged[slot] = text.includes('"error":{') ? 1 : 0;
  }

  /** The file was replaced: it holds only the lines noted after this, where `note` says. */
  replaced(): void {
    this.window.forget();
    this.slotOf.clear();
    this.slots = 0;
  }

  /**
   * Lines that may hold an error. A top-level `"error":{` is always in the
   * text of a line with an error (inside a string its quotes are escaped), so
   * nothing is missed; the few lines with such a nested key are parsed and
   * checked like the rest.
   */
  *withErrors(): IterableIterator<L> {
    for (const slot of this.slotOf.values()) {
      if (this.flagged[slot] !== 1) continue;
      const line = parse<L>(this.textAt(slot)) as L & { error?: unknown };
      if (line.error !== null && line.error !== undefined) yield line;
    }
  }

  keys(): MapIterator<string> {
    return this.slotOf.keys();
  }

  *values(): MapIterator<L> {
    for (const slot of this.slotOf.values()) yield parse<L>(this.textAt(slot));
  }

  *entries(): MapIterator<[string, L]> {
    for (const [k, slot] of this.slotOf) yield [k, parse<L>(this.textAt(slot))];
  }

  [Symbol.iterator](): MapIterator<[string, L]> {
    return this.entries();
  }

  forEach(fn: (value: L, key: string, map: ReadonlyMap<string, L>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  private textAt(slot: number): string {
    return this.window.read(this.offsets[slot] as number, this.lengths[slot] as number);
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    this.offsets = grown(this.offsets, n);
    this.lengths = grown(this.lengths, n);
    this.flagged = grown(this.flagged, n);
  }
}

function parse<L>(text: string): L {
  return redactValue(JSON.parse(text) as L);
}
