import { LexicalIndex } from '../../../harness/plugin-api.js';

/** Factual: what was shown, watched, rated. Emotional: feelings, fatigue, satisfaction. */
export type MemoryKind = 'factual' | 'emotional';

export interface MemoryEntry {
  readonly id: string;
  readonly kind: MemoryKind;
  readonly text: string;
  readonly importance: number;
  readonly step: number;
}

export interface MemoryOptions {
  /** Memories retrieved per query (paper: 5). */
  readonly retrieveK: number;
  /** Reflect once the accumulated importance exceeds this (paper: 3). */
  readonly reflectionThreshold: number;
}

/**
 * Agent4Rec's memory: factual and emotional entries, each of importance 1
 * as in the released code, retrieved top-k by BM25 (the paper uses
 * embeddings). When the importance accumulated since the last reflection
 * exceeds the threshold, a reflection is due; the session runs it before the
 * agent's next decision (ours: not right away, so that a reflection nobody
 * reads is never paid for).
 */
export class Agent4RecMemory {
  private list: MemoryEntry[] = [];
  private accumulated = 0;
  private index: LexicalIndex | null = null;

  constructor(private readonly opts: MemoryOptions) {}

  get entries(): readonly MemoryEntry[] {
    return this.list;
  }

  get reflectionDue(): boolean {
    return this.accumulated > this.opts.reflectionThreshold;
  }

  add(kind: MemoryKind, text: string, importance = 1): MemoryEntry {
    const entry: MemoryEntry = {
      id: `m${String(this.list.length + 1).padStart(4, '0')}`,
      kind,
      text,
      importance,
      step: this.list.length + 1,
    };
    this.list.push(entry);
    this.accumulated += importance;
    this.index = null;
    return entry;
  }

  /** Stores a reflection; like the released code, the count starts again from zero afterwards. */
  addReflection(text: string): MemoryEntry {
    const e = this.add('emotional', text);
    this.accumulated = 0;
    return e;
  }

  /**
   * The k entries that best match `query` (BM25), best first; when fewer
   * match, the most recent others fill the list (ours), so the agent always
   * sees up to k memories, as with the paper's vector retrieval.
   */
  retrieve(query: string, k = this.opts.retrieveK): MemoryEntry[] {
    if (this.list.length === 0 || k <= 0) return [];
    if (!this.index) this.index = new LexicalIndex(this.list.map((e) => ({ id: e.id, text: e.text })));
    const byId = new Map(this.list.map((e) => [e.id, e]));
    const hits = this.index.search(query, k).map((h) => byId.get(h.id) as MemoryEntry);
    const taken = new Set(hits.map((e) => e.id));
    for (const e of this.recent(this.list.length)) {
      if (hits.length >= k) break;
      if (!taken.has(e.id)) hits.push(e);
    }
    return hits;
  }

  /** The last k entries, most recent first. */
  recent(k: number): MemoryEntry[] {
    return this.list.slice(-k).reverse();
  }

  clone(): Agent4RecMemory {
    const c = new Agent4RecMemory(this.opts);
    c.list = [...this.list];
    c.accumulated = this.accumulated;
    return c;
  }
}

export function memoriesText(entries: readonly MemoryEntry[]): string {
  return entries.length === 0
    ? '(nothing yet: this is the start of your visit)'
    : entries.map((e) => `- ${e.text}`).join('\n');
}
