import MiniSearch from 'minisearch';

export interface Doc {
  readonly id: string;
  readonly text: string;
}

export interface Hit {
  readonly id: string;
  readonly score: number;
}

/**
 * A BM25 index (MiniSearch scores with BM25+) over short texts: memories,
 * lessons, transitions. Deterministic: ties are broken by id.
 */
export class LexicalIndex {
  private readonly index = new MiniSearch<Doc>({ fields: ['text'], storeFields: [], idField: 'id' });
  private size = 0;

  constructor(docs: readonly Doc[] = []) {
    this.addAll(docs);
  }

  addAll(docs: readonly Doc[]): void {
    this.index.addAll(docs as Doc[]);
    this.size += docs.length;
  }

  add(doc: Doc): void {
    this.index.add(doc);
    this.size++;
  }

  get count(): number {
    return this.size;
  }

  /** Top-k documents for a query (any term may match; prefixes of 4+ letters count). */
  search(query: string, k: number): Hit[] {
    if (this.size === 0 || query.trim() === '') return [];
    const hits = this.index.search(query, { combineWith: 'OR', prefix: (term) => term.length >= 4 });
    return hits
      .map((h) => ({ id: String(h.id), score: h.score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, k);
  }
}
