import type { TrainData } from '../../../harness/plugin-api.js';

/** The tie-breaker of every recommender: item ids compared as strings. */
export function compareItemIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Catalogue ids, most training interactions first (every interaction counts,
 * repeats included), ties by id: the `pop` ranking, and the fallback of the
 * other recommenders for a user they know nothing about.
 */
export function popularityOrder(train: TrainData): string[] {
  const counts = new Map<string, number>();
  for (const x of train.interactions) counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
  return train.items
    .map((i) => i.id)
    .sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || compareItemIds(a, b));
}

/** The first k ids of a fixed order that are not excluded. */
export function firstK(order: readonly string[], k: number, exclude: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const id of order) {
    if (out.length >= k) break;
    if (!exclude.has(id)) out.push(id);
  }
  return out;
}

/**
 * Indices of the `k` best items by `score` (higher first, ties by `idOrder`),
 * among the indices `accept` lets through, best first. A bounded heap: the cost
 * is n log k, not a sort of the whole catalogue.
 */
export function selectTop(
  score: Float64Array,
  idOrder: Int32Array,
  k: number,
  candidates: ArrayLike<number> | null,
  accept: (j: number) => boolean = () => true,
): number[] {
  // `worse(a, b)`: a ranks after b.
  const worse = (a: number, b: number) =>
    (score[a] as number) < (score[b] as number) ||
    (score[a] === score[b] && (idOrder[a] as number) > (idOrder[b] as number));
  const heap: number[] = []; // min-heap on rank: heap[0] is the worst item kept
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && worse(heap[l] as number, heap[w] as number)) w = l;
      if (r < heap.length && worse(heap[r] as number, heap[w] as number)) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w] as number, heap[i] as number];
      i = w;
    }
  };
  const offer = (j: number) => {
    if (!accept(j)) return;
    if (heap.length < k) {
      heap.push(j);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i] as number, heap[p] as number)) break;
        [heap[i], heap[p]] = [heap[p] as number, heap[i] as number];
        i = p;
      }
    } else if (worse(heap[0] as number, j)) {
      heap[0] = j;
      siftDown(0);
    }
  };
  if (k <= 0) return [];
  if (candidates === null) for (let j = 0; j < score.length; j++) offer(j);
  else for (let p = 0; p < candidates.length; p++) offer(candidates[p] as number);
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}

/** The top-k item ids of a score vector over the catalogue, skipping excluded ids. */
export function topKIds(
  score: Float64Array,
  itemIds: readonly string[],
  idOrder: Int32Array,
  k: number,
  exclude: ReadonlySet<string>,
): string[] {
  const accept = exclude.size === 0 ? undefined : (j: number) => !exclude.has(itemIds[j] as string);
  return selectTop(score, idOrder, k, null, accept).map((j) => itemIds[j] as string);
}
