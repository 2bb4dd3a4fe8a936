import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileChecksums {
  readonly bytes: number;
  readonly sha256: string;
  readonly md5: string;
}

/** SHA-256 and MD5 of a file in one streaming pass (providers publish one or the other). */
export async function fileChecksums(path: string): Promise<FileChecksums> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    sha.update(chunk);
    md5.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: sha.digest('hex'), md5: md5.digest('hex') };
}
