import {
  itemLine,
  type HistoryEntry,
  type Item,
  type RatingScale,
  type TrainData,
} from '../../../harness/plugin-api.js';
import { shownPage, type ShownPage } from './decision.js';

export interface ItemEvidenceOptions {
  readonly historyRatings: boolean;
  readonly similarItems: number;
}

interface ItemStats {
  /** Rating by user, over the training split (null for an interaction without rating). */
  readonly byUser: Map<string, number | null>;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/**
 * The release's item format (page_formats.py: title, "History ratings",
 * summary, "Similar items" with the user's own ratings), from the training
 * split only and without an LLM: the item's mean training rating and count,
 * and the user's rated items most like it. "Most like" is ours (the release
 * does not say): the cosine of the two items' sets of training users, ties
 * and items nobody co-rated ordered by shared genres, then recency.
 */
export class ItemEvidence {
  private readonly stats = new Map<string, ItemStats>();

  constructor(
    train: TrainData,
    private readonly o: ItemEvidenceOptions,
  ) {
    for (const x of train.interactions) {
      let s = this.stats.get(x.item);
      if (!s) this.stats.set(x.item, (s = { byUser: new Map() }));
      s.byUser.set(x.user, x.rating);
    }
  }

  /** Mean training rating and count, leaving out `exceptUser` (a fit page must not show the person's own rating of it; at inference the page's items are not in the user's training data, so leaving them out changes nothing). */
  private mean(item: string, exceptUser: string | null): { mean: number; n: number } | null {
    const s = this.stats.get(item);
    if (!s) return null;
    let sum = 0;
    let n = 0;
    for (const [u, r] of s.byUser) {
      if (u === exceptUser || r === null) continue;
      sum += r;
      n++;
    }
    return n === 0 ? null : { mean: sum / n, n };
  }

  /** Cosine of the two items' training users, `exceptUser` left out of both. */
  private cosine(a: string, b: string, exceptUser: string | null): number {
    const x = this.stats.get(a)?.byUser;
    const y = this.stats.get(b)?.byUser;
    if (!x || !y) return 0;
    const nx = x.size - (exceptUser !== null && x.has(exceptUser) ? 1 : 0);
    const ny = y.size - (exceptUser !== null && y.has(exceptUser) ? 1 : 0);
    if (nx <= 0 || ny <= 0) return 0;
    const [small, large] = x.size <= y.size ? [x, y] : [y, x];
    let both = 0;
    for (const u of small.keys()) if (u !== exceptUser && large.has(u)) both++;
    return both / Math.sqrt(nx * ny);
  }

  /** The user's history entries most like `item`, best first. */
  similar(item: Item, history: readonly HistoryEntry[], exceptUser: string | null): HistoryEntry[] {
    if (this.o.similarItems === 0) return [];
    const genres = new Set(item.genres);
    const scored = history
      .map((h, k) => ({
        h,
        k,
        cos: this.cosine(item.id, h.item.id, exceptUser),
        shared: h.item.genres.filter((g) => genres.has(g)).length,
      }))
      .filter((x) => x.h.item.id !== item.id && (x.cos > 0 || x.shared > 0));
    scored.sort((a, b) => b.cos - a.cos || b.shared - a.shared || b.k - a.k);
    return scored.slice(0, this.o.similarItems).map((x) => x.h);
  }

  /** One page line: the item, then its history ratings and the similar items the user rated. */
  line(item: Item, history: readonly HistoryEntry[], scale: RatingScale | null, exceptUser: string | null): string {
    const parts = [itemLine(item)];
    if (this.o.historyRatings && scale) {
      const m = this.mean(item.id, exceptUser);
      parts.push(
        m === null
          ? 'history ratings: none yet'
          : `history ratings: ${m.mean.toFixed(2)} (${m.n} rating${m.n === 1 ? '' : 's'})`,
      );
    }
    const similar = this.similar(item, history, exceptUser);
    if (similar.length > 0) {
      const shown = similar.map((h) =>
        h.rating !== null && scale ? `"${h.item.title}" (${fmt(h.rating)}/${fmt(scale.max)})` : `"${h.item.title}"`,
      );
      parts.push(`similar items you ${scale ? 'rated' : 'chose'}: ${shown.join(', ')}`);
    }
    return parts.join(' | ');
  }

  /** The page as the prompts show it: one coded line per item. */
  page(
    coded: ReadonlyMap<string, Item>,
    history: readonly HistoryEntry[],
    scale: RatingScale | null,
    exceptUser: string | null,
  ): ShownPage {
    const lineOf = new Map([...coded.values()].map((item) => [item.id, this.line(item, history, scale, exceptUser)]));
    return shownPage(coded, lineOf);
  }
}
