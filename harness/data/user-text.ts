import type { HistoryEntry, Item, UserView } from './types.js';

/** One line describing an item, the same for every dataset. */
export function itemLine(item: Item): string {
  const genres = item.genres.length > 0 ? ` [${item.genres.join(', ')}]` : '';
  const desc = item.description ? ` — ${item.description}` : '';
  return `${item.title}${genres}${desc}`;
}

/** The user's attributes as a sentence-like list, or a note that there are none. */
export function attributesText(user: UserView): string {
  const entries = Object.entries(user.attributes);
  if (entries.length === 0) return 'No demographic information.';
  return entries.map(([k, v]) => `${k}: ${v}`).join('; ');
}

export interface HistorySplit {
  readonly liked: HistoryEntry[];
  readonly disliked: HistoryEntry[];
  readonly neutral: HistoryEntry[];
}

/**
 * Liked (≥ likedMin) and disliked (≤ dislikedMax) training items, most recent
 * first, capped. Implicit feedback (rating null) counts as liked.
 */
export function splitHistory(
  user: UserView,
  opts: { likedMin?: number; dislikedMax?: number; maxLiked?: number; maxDisliked?: number } = {},
): HistorySplit {
  const likedMin = opts.likedMin ?? 4;
  const dislikedMax = opts.dislikedMax ?? 2;
  const recent = [...user.history].reverse();
  const liked = recent.filter((h) => h.rating === null || h.rating >= likedMin).slice(0, opts.maxLiked ?? Infinity);
  const disliked = recent
    .filter((h) => h.rating !== null && h.rating <= dislikedMax)
    .slice(0, opts.maxDisliked ?? Infinity);
  const neutral = recent.filter((h) => h.rating !== null && h.rating > dislikedMax && h.rating < likedMin);
  return { liked, disliked, neutral };
}
