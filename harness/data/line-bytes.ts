import { isUtf8 } from 'node:buffer';
import { badUtf8, openStream, streamError, type LineReadResult } from './line-reader.js';

/**
 * Like forEachLine, but hands each line over as bytes (`buf[start, end)`,
 * without the line break) instead of a string: a reader that needs four
 * short fields of a 1 KB review line (Amazon dumps) then decodes only those,
 * not the whole line. The bytes are still checked to be UTF-8, a whole chunk
 * at a time; `buf` is only valid during the call.
 */
export async function forEachLineBytes(
  path: string,
  onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void,
  opts: { fix?: string } = {},
): Promise<LineReadResult> {
  const fix = opts.fix ?? 'check the path, or download the file again';
  const { source, raw, gzip, result } = openStream(path);
  let lineNo = 0;
  let carry: Buffer | null = null;
  const line = (buf: Buffer, start: number, end: number) => {
    lineNo++;
    if (end > start && buf[end - 1] === 13) end--;
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf)
      start += 3;
    if (end > start) onLine(buf, start, end, lineNo);
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const lastNl = chunk.lastIndexOf(10);
      if (lastNl < 0) {
        carry = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk);
        continue;
      }
      let pos = 0;
      if (carry) {
        // The line that straddles the chunk boundary.
        const nl = chunk.indexOf(10);
        const first = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = null;
        if (!isUtf8(first)) throw badUtf8(path, [first], lineNo);
        line(first, 0, first.length);
        pos = nl + 1;
      }
      // Complete lines only: a newline never falls inside a multi-byte character.
      const body = chunk.subarray(pos, lastNl);
      if (!isUtf8(body)) throw badUtf8(path, [body], lineNo);
      while (pos <= lastNl) {
        const nl = chunk.indexOf(10, pos);
        line(chunk, pos, nl);
        pos = nl + 1;
      }
      if (lastNl + 1 < chunk.length) carry = Buffer.from(chunk.subarray(lastNl + 1));
    }
    if (carry) {
      if (!isUtf8(carry)) throw badUtf8(path, [carry], lineNo);
      line(carry, 0, carry.length);
    }
  } catch (e) {
    throw streamError(e, path, gzip, lineNo, fix);
  } finally {
    raw.destroy();
  }
  return result(lineNo);
}
