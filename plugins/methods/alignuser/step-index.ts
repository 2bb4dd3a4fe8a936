import { actionText as stepActionText, LexicalIndex, type StepContext } from '../../../harness/plugin-api.js';
import { personaText, type SessionTransition } from './session-steps.js';

export interface StepHit {
  readonly id: string;
  readonly score: number;
}

/** What a step is matched on: the persona, the previous action and the page (shared by documents and queries, so like matches like). */
export function stepMatchText(step: StepContext): string {
  return `${personaText(step.persona)}\n${lastActionOf(step)}\n${step.observation}`;
}

export function lastActionOf(step: StepContext): string {
  const last = step.history[step.history.length - 1];
  return last ? `after ${stepActionText(last.action)}` : 'first step of the session';
}

const CACHED_QUERIES = 256;

/**
 * The transitions of a sessions fit indexed with BM25 by `stepMatchText`,
 * searched once per step: the retrieval bank (similar human steps) and the
 * world-model demonstrations ask the same question of the same documents, and
 * a query over a whole page is the costly part.
 */
export class StepIndex {
  private readonly index: LexicalIndex;
  private readonly cache = new Map<string, StepHit[]>();

  constructor(transitions: readonly SessionTransition[]) {
    this.index = new LexicalIndex(transitions.map((t) => ({ id: t.id, text: stepMatchText(t.step) })));
  }

  get count(): number {
    return this.index.count;
  }

  search(step: StepContext, k: number): StepHit[] {
    const query = stepMatchText(step);
    let hits = this.cache.get(query);
    if (!hits) {
      hits = this.index.search(query, Number.POSITIVE_INFINITY);
      if (this.cache.size >= CACHED_QUERIES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(query, hits);
    }
    return hits.slice(0, k);
  }
}
