import type { Rng } from '../../../harness/plugin-api.js';
import type { MemoryEntry } from './memory-entry.js';
import { scaledImportance } from './sensory-memory.js';

export interface RetrievalWeights {
  readonly relevance: number;
  readonly importance: number;
  readonly recency: number;
  /** Recency factor per step of age: decay^(now − last access). */
  readonly decay: number;
}

/**
 * A memory's retrieval score, as the released code sums it: weighted
 * relevance (BM25 normalised by the best hit of the query, in [0, 1]; the
 * original uses embedding distance), importance on the original's scale
 * (score / 10 × 0.9) and recency decay^age, age being the steps since the
 * entry was last accessed (created, promoted or retrieved into a prompt). The
 * original counts hours; we count steps, one per observation (ours): the
 * tasks give no clock.
 */
export function retrievalScore(relevance: number, importance: number, age: number, w: RetrievalWeights): number {
  return (
    w.relevance * relevance + w.importance * scaledImportance(importance) + w.recency * w.decay ** Math.max(0, age)
  );
}

/** Long-term forgetting, as YuLan-Rec's `pause_to_forget` (recagent_memory.py:654-694) with steps for hours. */
export interface ForgetOptions {
  /** Entries accessed within this many steps are never forgotten (the original: 24 hours). */
  readonly after: number;
  /** Recency factor per step (the original: 0.99 per hour). */
  readonly decay: number;
}

/**
 * Long-term memory: promoted observations, the insights written on their
 * promotion, and reflections. It sums the importance (original scale) of what
 * entered since the last reflection, which decides when to reflect, and
 * forgets entries left untouched for long.
 */
export class LongTermMemory {
  private list: MemoryEntry[] = [];
  private recent: MemoryEntry[] = [];
  private pending = 0;

  get entries(): readonly MemoryEntry[] {
    return this.list;
  }

  add(entry: MemoryEntry): void {
    this.list.push(entry);
    this.recent.push(entry);
    this.pending += scaledImportance(entry.importance);
  }

  /** Importance (original scale) accumulated since the last reflection; forgetting does not lower it, as in the original. */
  get pendingImportance(): number {
    return this.pending;
  }

  get sinceReflection(): readonly MemoryEntry[] {
    return this.recent;
  }

  /** Starts a new accumulation period (reflections themselves do not count towards the next one). */
  markReflected(): void {
    this.recent = [];
    this.pending = 0;
  }

  /**
   * One forgetting pass at logical time `now`: every entry gets the score
   * s = max(r^1.5, 0.01) · (importance + r) / 2 with r = decay^(steps since
   * last access) and importance on the original scale; an entry untouched for
   * more than `after` steps is forgotten with probability (1 − s) / Σ(1 − s)
   * over all entries. Returns what was forgotten.
   */
  forget(now: number, lastAccess: (e: MemoryEntry) => number, o: ForgetOptions, rng: Rng): MemoryEntry[] {
    if (this.list.length === 0) return [];
    const weights = this.list.map((e) => {
      const r = o.decay ** Math.max(0, now - lastAccess(e));
      return 1 - Math.max(r ** 1.5, 0.01) * ((scaledImportance(e.importance) + r) / 2);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    if (total <= 0) return [];
    const gone = new Set<string>();
    this.list.forEach((e, k) => {
      if (now - lastAccess(e) <= o.after) return;
      if (rng.next() < (weights[k] as number) / total) gone.add(e.id);
    });
    if (gone.size === 0) return [];
    const forgotten = this.list.filter((e) => gone.has(e.id));
    this.list = this.list.filter((e) => !gone.has(e.id));
    this.recent = this.recent.filter((e) => !gone.has(e.id));
    return forgotten;
  }

  clone(): LongTermMemory {
    const c = new LongTermMemory();
    c.list = [...this.list];
    c.recent = [...this.recent];
    c.pending = this.pending;
    return c;
  }
}
