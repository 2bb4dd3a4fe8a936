import {
  DataError,
  forEachLineBytes,
  numberField,
  parseRecordLine,
  stringField,
  type InteractionTable,
  type LineReadResult,
} from '../../../harness/plugin-api.js';

const FIX =
  'use the original reviews file (one JSON object per line with reviewerID, asin, overall, unixReviewTime), or re-download it';

const KEY_USER = Buffer.from('"reviewerID"');
const KEY_ITEM = Buffer.from('"asin"');
const KEY_RATING = Buffer.from('"overall"');
const KEY_TIME = Buffer.from('"unixReviewTime"');

/**
 * McAuley review dumps, 2014 (reviews_Books_5.json.gz) and 2018
 * (Books_5.json.gz, which adds vote and style): one JSON object per line,
 * streamed; only who, what, the stars and when are kept, so the review
 * texts never accumulate in memory.
 *
 * The four fields are read from the line's bytes without decoding or parsing
 * the review text (a key cannot hide inside a JSON string, where every quote
 * is escaped). A line that does not look like one JSON object, or whose
 * fields are escaped, non-ASCII or missing, goes through the full parser,
 * which reports what is wrong.
 */
export async function readReviews(path: string, table: InteractionTable): Promise<LineReadResult> {
  return forEachLineBytes(
    path,
    (buf, start, end, lineNo) => {
      lastValueEnd = -1;
      if (buf[start] === 123 && buf[end - 1] === 125 && spanAt(buf, start, end, KEY_USER)) {
        const u0 = spanStart;
        const u1 = spanEnd;
        if (spanAt(buf, start, end, KEY_ITEM)) {
          const rating = numberAt(buf, start, end, KEY_RATING);
          const ts = numberAt(buf, start, end, KEY_TIME);
          if (rating >= 1 && rating <= 5 && !Number.isNaN(ts)) {
            table.addBytes(buf, u0, u1, spanStart, spanEnd, rating, ts);
            return;
          }
        }
      }
      const rec = parseRecordLine(path, buf.toString('utf8', start, end), lineNo, FIX);
      const user = stringField(rec, 'reviewerID', path, lineNo, FIX);
      const item = stringField(rec, 'asin', path, lineNo, FIX);
      const rating = numberField(rec, 'overall', path, lineNo, FIX);
      const ts = numberField(rec, 'unixReviewTime', path, lineNo, FIX);
      if (!(rating >= 1 && rating <= 5))
        throw new DataError(path, lineNo, `"overall" is ${rating}, outside Amazon's 1–5 stars`, FIX);
      table.add(user, item, rating, ts);
    },
    { fix: FIX },
  );
}

/** Index just past `key`, the colon and spaces after it, or -1 when the key is not in the line. */
function valueStart(buf: Buffer, start: number, end: number, key: Buffer): number {
  const k = findKey(buf, start, end, key);
  if (k < 0) return -1;
  let p = k + key.length;
  while (buf[p] === 32) p++;
  if (buf[p] !== 58) return -1;
  p++;
  while (buf[p] === 32) p++;
  return p < end ? p : -1;
}

const matchesAt = (buf: Buffer, at: number, key: Buffer): boolean => {
  for (let k = 0; k < key.length; k++) if (buf[at + k] !== key[k]) return false;
  return true;
};

/**
 * Where `key` starts in the line. Dumps write the keys in a fixed order
 * (reviewerID and asin first, overall and unixReviewTime after the review
 * text), so look just after the previous field and just before the end first,
 * and search the line only when that fails.
 */
function findKey(buf: Buffer, start: number, end: number, key: Buffer): number {
  let p = lastValueEnd > start && lastValueEnd < end ? lastValueEnd : start + 1;
  while (buf[p] === 44 || buf[p] === 32 || buf[p] === 34) {
    if (buf[p] === 34) {
      if (matchesAt(buf, p, key)) return p;
      break;
    }
    p++;
  }
  if (p === start + 1 && matchesAt(buf, p, key)) return p;
  const floor = Math.max(start, end - 300);
  for (let q = end - key.length; q >= floor; q--) if (buf[q] === 34 && matchesAt(buf, q, key)) return q;
  const k = buf.indexOf(key, start);
  return k >= 0 && k < end ? k : -1;
}

// The last span found by spanAt, and where the last value ended (module state, so that the hot path allocates nothing).
let spanStart = 0;
let spanEnd = 0;
let lastValueEnd = -1;

/** Whether `key` has a plain ASCII string value without escapes; its bytes are then spanStart..spanEnd. */
function spanAt(buf: Buffer, start: number, end: number, key: Buffer): boolean {
  const p = valueStart(buf, start, end, key);
  if (p < 0 || buf[p] !== 34) return false;
  let q = p + 1;
  for (; q < end; q++) {
    const c = buf[q] as number;
    if (c === 34) break;
    if (c === 92 || c >= 0x80) return false;
  }
  if (q >= end || q === p + 1) return false;
  spanStart = p + 1;
  spanEnd = q;
  lastValueEnd = q + 1;
  return true;
}

/** A JSON number value (digits, sign, point, exponent), or NaN. */
function numberAt(buf: Buffer, start: number, end: number, key: Buffer): number {
  const p = valueStart(buf, start, end, key);
  if (p < 0) return NaN;
  // Plain integers and decimals are read in place; anything else by Number().
  let q = p;
  let int = 0;
  let c = buf[q] as number;
  while (q < end && c >= 48 && c <= 57) {
    int = int * 10 + (c - 48);
    c = buf[++q] as number;
  }
  let value = int;
  if (c === 46) {
    let scale = 1;
    let frac = 0;
    c = buf[++q] as number;
    while (q < end && c >= 48 && c <= 57) {
      frac = frac * 10 + (c - 48);
      scale *= 10;
      c = buf[++q] as number;
    }
    value = int + frac / scale;
    if (scale > 10) value = NaN;
  }
  if (q === p || q - p > 15 || Number.isNaN(value) || (c !== 44 && c !== 125 && c !== 32)) {
    let e = p;
    for (
      let d = buf[e] as number;
      e < end && ((d >= 48 && d <= 57) || d === 46 || d === 45 || d === 43 || d === 101 || d === 69);
      d = buf[++e] as number
    );
    const after = buf[e];
    if (e === p || (after !== 44 && after !== 125 && after !== 32)) return NaN;
    value = Number(buf.toString('latin1', p, e));
    q = e;
  }
  lastValueEnd = q;
  return value;
}
