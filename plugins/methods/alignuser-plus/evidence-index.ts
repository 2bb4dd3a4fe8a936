import { LexicalIndex, type Doc } from '../../../harness/plugin-api.js';

/**
 * The searchable side of a memory: short texts added while it is built, then
 * BM25 search over several queries. The knowledge-graph memories of ratings
 * users and of shoppers differ only in which texts they add.
 */
export class EvidenceIndex {
  private readonly docs: Doc[] = [];
  private readonly texts = new Map<string, string>();
  private index: LexicalIndex | null = null;

  protected add(id: string, text: string): void {
    if (this.index) throw new Error('EvidenceIndex: add() after the first search');
    this.docs.push({ id, text });
    this.texts.set(id, text);
  }

  get size(): number {
    return this.docs.length;
  }

  /** Evidence for the queries: the top entries of each query in turn, without repeats, at most `max`. */
  retrieve(queries: readonly string[], perQuery: number, max: number): string[] {
    const index = (this.index ??= new LexicalIndex(this.docs));
    const out: string[] = [];
    const seen = new Set<string>();
    for (const q of queries) {
      for (const hit of index.search(q, perQuery)) {
        if (seen.has(hit.id)) continue;
        seen.add(hit.id);
        out.push(this.texts.get(hit.id) ?? '');
        if (out.length >= max) return out;
      }
    }
    return out;
  }
}
