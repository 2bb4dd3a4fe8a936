import { redactValue } from '../util/secrets.js';

/** What a store keys its lines by: `unit` (a unit key, or a per-user state key). */
export interface KeyedLine {
  readonly id: string;
  readonly unit: string;
}

/**
 * A store's lines by unit key, kept as their JSON text and parsed when read.
 * A rerun with nothing to do then never parses the lines it only counts, and
 * a large run holds compact strings instead of object graphs (issue 16: the
 * no-op rerun was a fifth line parsing, and memory grew with every unit).
 * Each read parses afresh: callers that need a line twice keep it themselves.
 */
export class StoredLines<L extends KeyedLine> implements ReadonlyMap<string, L> {
  private readonly raw = new Map<string, string>();

  get size(): number {
    return this.raw.size;
  }

  has(key: string): boolean {
    return this.raw.has(key);
  }

  get(key: string): L | undefined {
    const text = this.raw.get(key);
    return text === undefined ? undefined : parse<L>(text);
  }

  /** The line's JSON text as stored (one line of the file, without its newline). */
  text(key: string): string | undefined {
    return this.raw.get(key);
  }

  setText(key: string, text: string): void {
    this.raw.set(key, text);
  }

  /**
   * Lines that may hold an error. A top-level `"error":{` is always in the
   * text of a line with an error (inside a string its quotes are escaped), so
   * nothing is missed; the few lines with such a nested key are parsed and
   * checked like the rest.
   */
  *withErrors(): IterableIterator<L> {
    for (const text of this.raw.values()) {
      if (!text.includes('"error":{')) continue;
      const line = parse<L>(text) as L & { error?: unknown };
      if (line.error !== null && line.error !== undefined) yield line;
    }
  }

  keys(): MapIterator<string> {
    return this.raw.keys();
  }

  *values(): MapIterator<L> {
    for (const text of this.raw.values()) yield parse<L>(text);
  }

  *entries(): MapIterator<[string, L]> {
    for (const [k, text] of this.raw) yield [k, parse<L>(text)];
  }

  [Symbol.iterator](): MapIterator<[string, L]> {
    return this.entries();
  }

  forEach(fn: (value: L, key: string, map: ReadonlyMap<string, L>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

function parse<L>(text: string): L {
  return redactValue(JSON.parse(text) as L);
}
