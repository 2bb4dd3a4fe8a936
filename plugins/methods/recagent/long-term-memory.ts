import type { MemoryEntry } from './memory-entry.js';

export interface RetrievalWeights {
  readonly relevance: number;
  readonly importance: number;
  readonly recency: number;
  /** Recency factor per step of age: decay^(now − step). */
  readonly decay: number;
}

/**
 * A memory's retrieval score: weighted relevance (BM25 normalised by the
 * best hit of the query, in [0, 1]), importance / 10 and recency decay^age.
 * The paper decays by hours since the last access; we decay by steps since
 * creation (ours): the tasks give no clock, and updating access times on
 * retrieval would make concurrent units depend on their order.
 */
export function retrievalScore(relevance: number, importance: number, age: number, w: RetrievalWeights): number {
  return w.relevance * relevance + w.importance * (importance / 10) + w.recency * w.decay ** Math.max(0, age);
}

/**
 * Long-term memory: promoted observations, the insights written on their
 * promotion, and reflections. It counts the importance accumulated since the
 * last reflection, which decides when to reflect.
 */
export class LongTermMemory {
  private list: MemoryEntry[] = [];
  private recent: MemoryEntry[] = [];

  get entries(): readonly MemoryEntry[] {
    return this.list;
  }

  add(entry: MemoryEntry): void {
    this.list.push(entry);
    this.recent.push(entry);
  }

  /** Importance accumulated since the last reflection. */
  get pendingImportance(): number {
    return this.recent.reduce((s, e) => s + e.importance, 0);
  }

  get sinceReflection(): readonly MemoryEntry[] {
    return this.recent;
  }

  /** Starts a new accumulation period (reflections themselves do not count towards the next one). */
  markReflected(): void {
    this.recent = [];
  }

  clone(): LongTermMemory {
    const c = new LongTermMemory();
    c.list = [...this.list];
    c.recent = [...this.recent];
    return c;
  }
}
