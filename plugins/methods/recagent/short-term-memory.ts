import type { MemoryEntry } from './memory-entry.js';

interface Slot {
  readonly entry: MemoryEntry;
  /** Texts of the later observations that recalled this entry. */
  readonly reinforcedBy: string[];
}

/** An entry leaving short-term memory for long-term memory, with what reinforced it. */
export interface Promotion {
  readonly entry: MemoryEntry;
  readonly reinforcedBy: readonly string[];
}

export interface ShortTermOptions {
  readonly capacity: number;
  /** Relative BM25 similarity from which a new observation reinforces an entry. */
  readonly threshold: number;
  /** Reinforcements that promote an entry to long-term memory (the paper: 3). */
  readonly promoteAfter: number;
}

/**
 * Short-term memory: recent observations wait here; a new observation that
 * resembles one reinforces it, and an entry reinforced often enough is
 * promoted to long-term memory. The paper samples reinforcement with a
 * probability from embedding similarity; we use a fixed threshold on BM25
 * similarity (ours) so that a run is deterministic without an embedding model.
 */
export class ShortTermMemory {
  private slots: Slot[] = [];

  constructor(private readonly opts: ShortTermOptions) {}

  get entries(): readonly MemoryEntry[] {
    return this.slots.map((s) => s.entry);
  }

  reinforcementsOf(id: string): number {
    return this.slots.find((s) => s.entry.id === id)?.reinforcedBy.length ?? 0;
  }

  /**
   * Reinforces the entries the observation `text` resembles (`similarity`
   * gives each candidate's similarity to it); those reaching the promotion
   * count leave and are returned, oldest first.
   */
  reinforce(text: string, similarity: (candidates: readonly string[]) => ReadonlyMap<string, number>): Promotion[] {
    const sims = similarity(this.slots.map((s) => s.entry.id));
    const promoted: Promotion[] = [];
    const kept: Slot[] = [];
    for (const slot of this.slots) {
      if ((sims.get(slot.entry.id) ?? 0) >= this.opts.threshold) slot.reinforcedBy.push(text);
      if (slot.reinforcedBy.length >= this.opts.promoteAfter)
        promoted.push({ entry: slot.entry, reinforcedBy: [...slot.reinforcedBy] });
      else kept.push(slot);
    }
    this.slots = kept;
    return promoted;
  }

  /**
   * Adds an entry. Over capacity, the least important older entry (then the
   * least reinforced, then the oldest) is forgotten and returned, as in the
   * released RecAgent code; the newest entry is never the one dropped.
   */
  add(entry: MemoryEntry): MemoryEntry | null {
    this.slots.push({ entry, reinforcedBy: [] });
    if (this.slots.length <= this.opts.capacity) return null;
    let drop = 0;
    for (let k = 1; k < this.slots.length - 1; k++) {
      const a = this.slots[k] as Slot;
      const b = this.slots[drop] as Slot;
      if (
        a.entry.importance < b.entry.importance ||
        (a.entry.importance === b.entry.importance && a.reinforcedBy.length < b.reinforcedBy.length)
      )
        drop = k;
    }
    const [gone] = this.slots.splice(drop, 1);
    return (gone as Slot).entry;
  }

  clone(): ShortTermMemory {
    const c = new ShortTermMemory(this.opts);
    c.slots = this.slots.map((s) => ({ entry: s.entry, reinforcedBy: [...s.reinforcedBy] }));
    return c;
  }
}
