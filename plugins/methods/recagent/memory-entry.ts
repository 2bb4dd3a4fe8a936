/** What a memory holds at every stage; entries are immutable, stages move them around. */
export type EntryKind = 'observation' | 'insight' | 'reflection';

export interface MemoryEntry {
  readonly id: string;
  readonly kind: EntryKind;
  readonly text: string;
  /** 1–10, from the LLM (sensory stage) or inherited from what an insight/reflection was drawn from. */
  readonly importance: number;
  /** Logical time of creation: one step per observation. */
  readonly step: number;
}
