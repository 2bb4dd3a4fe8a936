import {
  DataError,
  forEachRecord,
  numberField,
  stringField,
  type LineReadResult,
  type PythonValue,
} from '../../../harness/plugin-api.js';
import type { SteamRows } from './steam-rows.js';

const FIX_ITEMS =
  'use the original australian_users_items.json.gz (one Python dict per user, with user_id and items: [{item_id, playtime_forever, …}]), or fetch it again';
const FIX_REVIEWS =
  'use the original australian_user_reviews.json.gz (one Python dict per user, with user_id and reviews: [{item_id, recommend, posted, …}]), or fetch it again';

interface Review {
  readonly recommend: boolean;
  readonly timestamp: number;
}

/**
 * Steam v1 (Australian users): every game a user owns, with
 * playtime_forever in minutes, plus the user's reviews (recommend
 * True/False, "Posted November 5, 2011."). A reviewed game gets the
 * recommendation and the review date; a game reviewed but not listed as
 * owned is still an interaction, with unknown play time.
 */
export async function readAustralian(
  itemsPath: string,
  reviewsPath: string,
  rows: SteamRows,
): Promise<{ items: LineReadResult; reviews: LineReadResult }> {
  const reviews = new Map<string, Review>();
  const reviewsRead = await forEachRecord(
    reviewsPath,
    (rec, lineNo) => {
      const user = stringField(rec, 'user_id', reviewsPath, lineNo, FIX_REVIEWS);
      for (const r of listField(rec['reviews'], 'reviews', reviewsPath, lineNo, FIX_REVIEWS)) {
        const item = stringField(r, 'item_id', reviewsPath, lineNo, FIX_REVIEWS);
        const recommend = r['recommend'];
        if (typeof recommend !== 'boolean')
          throw new DataError(
            reviewsPath,
            lineNo,
            `review of item ${item}: "recommend" is ${JSON.stringify(recommend)}, not True or False`,
            FIX_REVIEWS,
          );
        reviews.set(`${user}\u0000${item}`, { recommend, timestamp: postedSeconds(r['posted']) });
      }
    },
    { fix: FIX_REVIEWS },
  );
  const itemsRead = await forEachRecord(
    itemsPath,
    (rec, lineNo) => {
      const user = stringField(rec, 'user_id', itemsPath, lineNo, FIX_ITEMS);
      for (const it of listField(rec['items'], 'items', itemsPath, lineNo, FIX_ITEMS)) {
        const item = stringField(it, 'item_id', itemsPath, lineNo, FIX_ITEMS);
        const minutes = numberField(it, 'playtime_forever', itemsPath, lineNo, FIX_ITEMS);
        const key = `${user}\u0000${item}`;
        const review = reviews.get(key);
        if (review) reviews.delete(key);
        rows.add(user, item, review?.timestamp ?? 0, Math.max(0, minutes) / 60, review?.recommend ?? null);
      }
    },
    { fix: FIX_ITEMS },
  );
  for (const [key, r] of reviews) {
    const [user, item] = key.split('\u0000') as [string, string];
    rows.add(user, item, r.timestamp, null, r.recommend);
  }
  return { items: itemsRead, reviews: reviewsRead };
}

function listField(
  v: PythonValue | undefined,
  name: string,
  path: string,
  lineNo: number,
  fix: string,
): Array<{ [key: string]: PythonValue }> {
  if (!Array.isArray(v))
    throw new DataError(
      path,
      lineNo,
      v === undefined ? `missing field "${name}"` : `field "${name}" is not a list`,
      fix,
    );
  for (const x of v)
    if (x === null || typeof x !== 'object' || Array.isArray(x))
      throw new DataError(path, lineNo, `an entry of "${name}" is not a dict`, fix);
  return v as Array<{ [key: string]: PythonValue }>;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** "Posted November 5, 2011." → Unix seconds; without a year (posted in the crawl year) or unparsable → 0, undated (ours). */
export function postedSeconds(v: PythonValue | undefined): number {
  const m = typeof v === 'string' ? /Posted\s+([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})/.exec(v) : null;
  if (!m) return 0;
  const month = MONTHS.indexOf((m[1] as string).toLowerCase());
  return month < 0 ? 0 : Date.UTC(Number(m[3]), month, Number(m[2])) / 1000;
}
