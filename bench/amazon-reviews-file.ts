import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { Rng } from '../harness/util/rng.ts';

const WORDS = (
  'the a this book story author characters plot read reading great good wonderful boring slow fast ending beginning series novel ' +
  'recommend loved enjoyed finished pages chapter writing style well written could not put down again second first world history ' +
  'mystery romance thriller fantasy interesting engaging believable twist surprise kindle edition copy gift family friends'
).split(' ');

/**
 * Writes a gzip'd JSON-lines file of Amazon-2014-style book reviews
 * (reviewerID, asin, reviewerName, helpful, reviewText, overall, summary,
 * unixReviewTime, reviewTime), streaming so that the file is never held
 * whole. Review texts run 20–200 words, about the length of real ones.
 */
export async function writeAmazonReviewsGz(path: string, lines: number, seed = 1): Promise<number> {
  const rng = new Rng(`amazon-reviews-bench-${seed}`);
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(path);
  gzip.pipe(out);
  let bytes = 0;
  const users = Math.max(10, Math.floor(lines / 9));
  const items = Math.max(10, Math.floor(lines / 25));
  const id = (prefix: string, k: number, len: number) =>
    `${prefix}${k
      .toString(36)
      .toUpperCase()
      .padStart(len - prefix.length, '0')}`;
  for (let start = 0; start < lines; start += 5_000) {
    const batch: string[] = [];
    for (let k = start; k < Math.min(lines, start + 5_000); k++) {
      const n = 20 + rng.int(180);
      const words: string[] = [];
      for (let w = 0; w < n; w++) words.push(rng.pick(WORDS));
      const t = 1_100_000_000 + rng.int(300_000_000);
      const d = new Date(t * 1000);
      batch.push(
        JSON.stringify({
          reviewerID: id('A', rng.int(users), 14),
          asin: id('0', rng.int(items), 10),
          reviewerName: `Reader ${rng.int(users)}`,
          helpful: [rng.int(5), rng.int(10)],
          reviewText: `${words.join(' ')}.`,
          overall: 1 + rng.int(5),
          summary: words.slice(0, 4).join(' '),
          unixReviewTime: t,
          reviewTime: `${String(d.getUTCMonth() + 1).padStart(2, '0')} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
        }),
      );
    }
    const chunk = `${batch.join('\n')}\n`;
    bytes += Buffer.byteLength(chunk);
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(out, 'finish');
  return bytes;
}
