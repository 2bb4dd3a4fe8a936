import {
  forEachRecord,
  stringField,
  type Item,
  type LineReadResult,
  type PythonValue,
} from '../../../harness/plugin-api.js';

const FIX =
  'use the original meta_Books.json.gz (one record per line with "asin"; 2014: Python dict literals, 2018: JSON), or re-download it';
/** Longest description kept (ours): item text goes into prompts. */
export const DESCRIPTION_CHARS = 600;

/**
 * Item text from the metadata dumps, for the wanted ASINs only (the Books
 * metadata holds millions of records). 2014 records are Python literals with
 * `categories: [[…], …]` and a string description; 2018 records are JSON
 * with `category: […]` and a list of (sometimes HTML) description strings.
 * Both become the uniform title / genres / description.
 */
export async function readMetadata(
  path: string,
  wanted: ReadonlySet<string>,
): Promise<{ items: Map<string, Item>; read: LineReadResult }> {
  const items = new Map<string, Item>();
  const read = await forEachRecord(
    path,
    (rec, lineNo) => {
      const asin = stringField(rec, 'asin', path, lineNo, FIX);
      if (!wanted.has(asin) || items.has(asin)) return;
      items.set(asin, bookItem(asin, rec));
    },
    { fix: FIX },
  );
  return { items, read };
}

export function bookItem(asin: string, rec: { [key: string]: PythonValue } | null): Item {
  const title =
    rec && typeof rec['title'] === 'string' && rec['title'].trim() !== ''
      ? cleanText(rec['title'])
      : `Amazon book ${asin}`;
  const genres = rec ? categoriesOf(rec) : [];
  const description = rec ? descriptionOf(rec) : '';
  return { id: asin, title, genres, ...(description ? { description } : {}) };
}

/** Category paths flattened in order, without the root "Books" that every item shares (ours). */
function categoriesOf(rec: { [key: string]: PythonValue }): string[] {
  const out: string[] = [];
  const add = (v: PythonValue) => {
    if (typeof v === 'string') {
      const c = cleanText(v);
      if (c !== '' && c !== 'Books' && !out.includes(c)) out.push(c);
    } else if (Array.isArray(v)) for (const x of v) add(x);
  };
  add(rec['categories'] ?? null);
  add(rec['category'] ?? null);
  return out;
}

function descriptionOf(rec: { [key: string]: PythonValue }): string {
  const d = rec['description'];
  const text =
    typeof d === 'string' ? d : Array.isArray(d) ? d.filter((x): x is string => typeof x === 'string').join(' ') : '';
  const clean = cleanText(text);
  return clean.length > DESCRIPTION_CHARS ? `${clean.slice(0, DESCRIPTION_CHARS - 1)}…` : clean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Strips HTML tags and common entities (2018 descriptions hold HTML) and collapses white space. */
export function cleanText(s: string): string {
  return s
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => ENTITIES[e] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
