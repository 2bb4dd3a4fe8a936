import { DataError, forEachLine, type InteractionTable, type LineReadResult } from '../../../harness/plugin-api.js';

const FIX =
  'use the original ratings_Books.csv (2014 "ratings only": user,item,rating,timestamp per line, no header), or re-download it';

/**
 * The 2014 "ratings only" CSV: `user,item,rating,timestamp`, no header, one
 * rating per line; streamed into the table (22.5M lines for Books).
 */
export async function readRatingsCsv(path: string, table: InteractionTable): Promise<LineReadResult> {
  return forEachLine(
    path,
    (line, lineNo) => {
      const a = line.indexOf(',');
      const b = a < 0 ? -1 : line.indexOf(',', a + 1);
      const c = b < 0 ? -1 : line.indexOf(',', b + 1);
      if (a < 0 || b < 0 || c < 0 || line.indexOf(',', c + 1) >= 0) {
        const n = line.split(',').length;
        const other = line.includes('\t')
          ? ' (the line is tab-separated)'
          : line.includes(';')
            ? ' (the line uses ";")'
            : '';
        throw new DataError(
          path,
          lineNo,
          `expected 4 comma-separated fields (user,item,rating,timestamp) but found ${n}${other}: ${JSON.stringify(line.slice(0, 80))}`,
          FIX,
        );
      }
      const user = line.slice(0, a);
      const item = line.slice(a + 1, b);
      const rating = Number(line.slice(b + 1, c));
      const ts = Number(line.slice(c + 1));
      if (!Number.isFinite(rating) || !Number.isFinite(ts) || user === '' || item === '') {
        const header = lineNo === 1 && /[a-z]/i.test(line.slice(b + 1));
        throw new DataError(
          path,
          lineNo,
          header
            ? `line 1 looks like a header (${JSON.stringify(line.slice(0, 60))}), but the file has none`
            : `rating or timestamp is not a number: ${JSON.stringify(line.slice(0, 80))}`,
          header ? 'remove the header line, or use the original file' : FIX,
        );
      }
      if (rating < 1 || rating > 5)
        throw new DataError(path, lineNo, `rating ${rating} is outside Amazon's 1–5 stars`, FIX);
      table.add(user, item, rating, ts);
    },
    { fix: FIX },
  );
}
