import {
  DataError,
  forEachRecord,
  stringField,
  type LineReadResult,
  type RecordObject,
} from '../../../harness/plugin-api.js';
import type { SteamRows } from './steam-rows.js';

const FIX =
  'use the original steam_reviews.json.gz (one Python dict literal per line with product_id, username or user_id, hours, date), or fetch it again';

/**
 * Steam v2 reviews: `{u'username': …, u'user_id': … (not always), u'hours':
 * 0.1, u'product_id': u'725280', u'date': u'2017-12-17', u'text': …}`. The
 * user is user_id when present, else the username; hours may be missing.
 */
export async function readSteamReviews(path: string, rows: SteamRows): Promise<LineReadResult> {
  return forEachRecord(
    path,
    (rec, lineNo) => {
      const item = stringField(rec, 'product_id', path, lineNo, FIX);
      const user = userOf(rec, path, lineNo);
      const hours = rec['hours'];
      if (hours !== undefined && hours !== null && (typeof hours !== 'number' || !(hours >= 0))) {
        throw new DataError(path, lineNo, `"hours" is ${JSON.stringify(hours)}, not a non-negative number`, FIX);
      }
      rows.add(user, item, dateSeconds(rec['date'], path, lineNo), typeof hours === 'number' ? hours : null, null);
    },
    { fix: FIX },
  );
}

function userOf(rec: RecordObject, path: string, lineNo: number): string {
  const id = rec['user_id'];
  if (typeof id === 'string' && id !== '') return id;
  return stringField(rec, 'username', path, lineNo, FIX);
}

/** "2017-12-17" → Unix seconds (UTC midnight); missing → 0 (undated). */
export function dateSeconds(v: unknown, path: string, lineNo: number): number {
  if (v === undefined || v === null || v === '') return 0;
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!Number.isFinite(t)) throw new DataError(path, lineNo, `"date" is ${JSON.stringify(v)}, not YYYY-MM-DD`, FIX);
  return t / 1000;
}
