import type { Item } from '../../../harness/plugin-api.js';

/**
 * What the simulated user perceives of an item. The paper adds an LLM caption
 * of the item's thumbnail; the datasets here have no images, so perception is
 * the item's text only **(ours)**: title, genres and the description cut at a
 * word boundary so that long blurbs do not crowd out memories and evidence.
 */
export function perceive(item: Item, maxDescriptionChars: number): string {
  const genres = item.genres.length > 0 ? ` [${item.genres.join(', ')}]` : '';
  const desc = shorten(item.description ?? '', maxDescriptionChars);
  return `"${item.title}"${genres}${desc ? ` — ${desc}` : ''}`;
}

export function shorten(text: string, max: number): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t.length <= max) return t;
  if (max <= 0) return '';
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
