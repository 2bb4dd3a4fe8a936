/** What AlignUSER's fit stores per human transition (types only, shared by the fit and its consumers). */
import type { Transition } from './pages.js';
import type { ExploredAlternative, ItemReflection, Reflection } from './reflection.js';

export interface PolicyThought {
  readonly thought: string;
  /** One sentence per page item, by item id. */
  readonly reasons: Readonly<Record<string, string>>;
}

export interface AlignedTransition {
  readonly transition: Transition;
  /** The valid alternatives that differ from the human action, with their world-model outcomes. */
  readonly alternatives: readonly ExploredAlternative[];
  readonly dropped: number;
  readonly reflection: Reflection | null;
  readonly itemReflection: ItemReflection | null;
  readonly policy: PolicyThought;
}

export interface AlignmentData {
  readonly version: number;
  readonly transitions: readonly AlignedTransition[];
  /** persona: generated: each fit user's persona text, inferred from their history before their first page. */
  readonly personas: Readonly<Record<string, string>>;
}
