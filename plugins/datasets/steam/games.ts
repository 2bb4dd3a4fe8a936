import {
  forEachRecord,
  type Item,
  type LineReadResult,
  type PythonValue,
  type RecordObject,
} from '../../../harness/plugin-api.js';

const FIX = 'use the original steam_games.json.gz (one Python dict literal per line), or fetch it again';

export interface SteamGames {
  /** Games by app id (records without an id are counted but not kept). */
  readonly byId: Map<string, Item>;
  /** Every record read, with or without an id. */
  readonly records: number;
  readonly read: LineReadResult;
}

/**
 * steam_games.json.gz: one Python dict literal per line (`{u'app_name': …,
 * u'genres': [...], u'tags': [...], u'specs': [...], u'id': u'761140', …}`),
 * read with the safe literal parser and turned into the uniform item text.
 */
export async function readSteamGames(path: string): Promise<SteamGames> {
  const byId = new Map<string, Item>();
  let records = 0;
  const read = await forEachRecord(
    path,
    (rec) => {
      records++;
      const id = rec['id'];
      if (typeof id !== 'string' && typeof id !== 'number') return;
      const key = String(id);
      if (!byId.has(key)) byId.set(key, gameItem(key, rec));
    },
    { fix: FIX },
  );
  return { byId, records, read };
}

const strings = (v: PythonValue | undefined): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
const text = (v: PythonValue | undefined): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;

/** Title, genres (tags when a game has no genres) and a one-line description of tags, features, developer, date and price. */
export function gameItem(id: string, rec: RecordObject | null): Item {
  if (!rec) return { id, title: `Steam app ${id}`, genres: [] };
  const title = text(rec['app_name']) ?? text(rec['title']) ?? `Steam app ${id}`;
  const genres = strings(rec['genres']);
  const tags = strings(rec['tags']);
  const parts: string[] = [];
  if (tags.length > 0) parts.push(`Tags: ${tags.slice(0, 10).join(', ')}.`);
  const specs = strings(rec['specs']);
  if (specs.length > 0) parts.push(`Features: ${specs.join(', ')}.`);
  const developer = text(rec['developer']);
  if (developer) parts.push(`Developer: ${developer}.`);
  const date = text(rec['release_date']);
  if (date) parts.push(`Released ${date}.`);
  const price = text(rec['price']);
  if (price) parts.push(/^[\d.]+$/.test(price) ? `Price $${price}.` : `${price}.`);
  return {
    id,
    title,
    genres: genres.length > 0 ? genres : tags.slice(0, 5),
    ...(parts.length > 0 ? { description: parts.join(' ') } : {}),
  };
}
