import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataError } from '../data/data-error.js';
import type { PinnedChecksum } from './download-spec.js';
import { fileChecksums, type FileChecksums } from './file-checksums.js';

export interface DownloadProgress {
  readonly received: number;
  /** null when the server does not say. */
  readonly total: number | null;
  /** Bytes that were already in the .part file when this attempt started. */
  readonly resumedFrom: number;
  readonly done: boolean;
}

export interface DownloadOptions {
  readonly url: string;
  /** Final path; the transfer goes to `${dest}.part` and is renamed once verified. */
  readonly dest: string;
  readonly checksum: PinnedChecksum | null;
  /** When nothing is published: the SHA-256 an earlier fetch recorded, which must match again. */
  readonly recordedSha256?: string | null;
  /** How to get the file by hand: ends the error message when the network fails. */
  readonly manualHint: string;
  /** Until the server answers; short, so that a machine without network fails at once. */
  readonly connectTimeoutMs?: number;
  /** Silence allowed in the middle of a transfer. */
  readonly idleTimeoutMs?: number;
  /** Resumed attempts after a connection cut mid-transfer. */
  readonly retries?: number;
  readonly onProgress?: (p: DownloadProgress) => void;
}

export interface DownloadResult extends FileChecksums {
  readonly path: string;
  /** The file was already complete on disk: nothing was transferred. */
  readonly alreadyPresent: boolean;
  /** Some bytes came from an earlier, interrupted transfer. */
  readonly resumed: boolean;
}

/** A transfer that stopped part-way: the .part file is kept and the next attempt resumes it. */
class TransferCut extends Error {}

const NO_NETWORK = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ENETDOWN',
  'ECONNABORTED',
]);
const MAX_REDIRECTS = 8;

/**
 * Downloads `url` to `dest` with resume and verification: bytes go to
 * `dest.part`, an interrupted transfer continues with an HTTP Range request
 * (now or on the next run), and the file is renamed into place only when its
 * checksum matches the published one. No network fails at once with a
 * message saying how to get the file by hand.
 */
export async function downloadFile(o: DownloadOptions): Promise<DownloadResult> {
  mkdirSync(dirname(o.dest), { recursive: true });
  if (existsSync(o.dest)) {
    const sums = await fileChecksums(o.dest);
    verify(o, o.dest, sums, false);
    o.onProgress?.({ received: sums.bytes, total: sums.bytes, resumedFrom: sums.bytes, done: true });
    return { ...sums, path: o.dest, alreadyPresent: true, resumed: false };
  }
  const part = `${o.dest}.part`;
  const retries = o.retries ?? 3;
  let resumed = false;
  for (let attempt = 0; ; attempt++) {
    const start = existsSync(part) ? statSync(part).size : 0;
    if (start > 0) resumed = true;
    try {
      await transfer(o, part, start, o.url, 0);
      break;
    } catch (e) {
      if (e instanceof TransferCut && attempt < retries) continue;
      if (e instanceof TransferCut) {
        throw new DataError(
          o.url,
          null,
          `the connection was cut ${retries + 1} times (${e.message}); ${existsSync(part) ? statSync(part).size : 0} bytes are kept in ${part}`,
          `run the same command again to resume, or ${o.manualHint}`,
        );
      }
      throw e;
    }
  }
  const sums = await fileChecksums(part);
  verify(o, part, sums, true);
  renameSync(part, o.dest);
  return { ...sums, path: o.dest, alreadyPresent: false, resumed };
}

function verify(o: DownloadOptions, file: string, sums: FileChecksums, fresh: boolean): void {
  const expected = o.checksum
    ? { algorithm: o.checksum.algorithm, value: o.checksum.value.toLowerCase(), source: o.checksum.source }
    : o.recordedSha256
      ? { algorithm: 'sha256' as const, value: o.recordedSha256, source: 'recorded by the first fetch' }
      : null;
  if (!expected) return;
  const actual = expected.algorithm === 'md5' ? sums.md5 : sums.sha256;
  if (actual === expected.value) return;
  // A corrupt transfer cannot be resumed into a good file: start from scratch next time.
  if (fresh) rmSync(file, { force: true });
  throw new DataError(
    file,
    null,
    `checksum mismatch: ${expected.algorithm} is ${actual} but the expected value is ${expected.value} (${expected.source}); ${sums.bytes} bytes from ${o.url}`,
    fresh
      ? "the download was corrupted or the file changed upstream: run the fetch again (the bad copy was deleted); if it fails again, compare with the provider's page before using the data"
      : `this file is not the published one: delete ${file} and fetch again, or ${o.manualHint}`,
  );
}

async function transfer(
  o: DownloadOptions,
  part: string,
  start: number,
  url: string,
  redirects: number,
): Promise<void> {
  const res = await request(o, url, start);
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location) {
    res.resume();
    if (redirects >= MAX_REDIRECTS)
      throw new DataError(o.url, null, `more than ${MAX_REDIRECTS} redirects`, o.manualHint);
    return transfer(o, part, start, new URL(res.headers.location, url).href, redirects + 1);
  }
  if (status === 416 && start > 0) {
    res.resume();
    const total = totalFromContentRange(res.headers['content-range']);
    // The .part already holds the whole file (the last run died before renaming it).
    if (total === start) {
      o.onProgress?.({ received: start, total, resumedFrom: start, done: true });
      return;
    }
    truncateSync(part, 0);
    return transfer(o, part, 0, url, redirects);
  }
  let from = start;
  if (status === 200 && start > 0)
    from = 0; // the server ignored the Range header: start over
  else if (status === 206) {
    const m = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''));
    if (!m || Number(m[1]) !== start) {
      res.resume();
      truncateSync(part, 0);
      return transfer(o, part, 0, url, redirects);
    }
  } else if (status !== 200) {
    res.resume();
    if (status >= 500) throw new TransferCut(`HTTP ${status} from ${new URL(url).host}`);
    throw new DataError(
      o.url,
      null,
      `the server answered HTTP ${status} ${res.statusMessage ?? ''}`.trim(),
      `the file may have moved: ${o.manualHint}`,
    );
  }
  const length = Number(res.headers['content-length']);
  const total =
    status === 206
      ? (totalFromContentRange(res.headers['content-range']) ?? (Number.isFinite(length) ? from + length : null))
      : Number.isFinite(length)
        ? length
        : null;
  let received = from;
  o.onProgress?.({ received, total, resumedFrom: from, done: false });
  res.on('data', (chunk: Buffer) => {
    received += chunk.length;
    o.onProgress?.({ received, total, resumedFrom: from, done: false });
  });
  res.setTimeout(o.idleTimeoutMs ?? 60_000, () => res.destroy(new Error('no data for too long')));
  try {
    await pipeline(res, createWriteStream(part, { flags: from > 0 ? 'a' : 'w' }));
  } catch (e) {
    throw new TransferCut(`after ${received} bytes: ${(e as Error).message}`);
  }
  if (res.complete === false || (total !== null && received < total))
    throw new TransferCut(`after ${received} of ${total ?? '?'} bytes`);
  o.onProgress?.({ received, total: total ?? received, resumedFrom: from, done: true });
}

function totalFromContentRange(header: string | undefined): number | null {
  const m = /\/(\d+)\s*$/.exec(header ?? '');
  return m ? Number(m[1]) : null;
}

function request(o: DownloadOptions, url: string, start: number): Promise<IncomingMessage> {
  const u = new URL(url);
  const get = u.protocol === 'https:' ? httpsGet : u.protocol === 'http:' ? httpGet : null;
  if (!get) return Promise.reject(new DataError(o.url, null, `unsupported URL scheme ${u.protocol}`, o.manualHint));
  return new Promise((resolvePromise, reject) => {
    const req = get(
      u,
      {
        headers: { 'user-agent': 'usersim-bench dataset fetch', ...(start > 0 ? { range: `bytes=${start}-` } : {}) },
        timeout: o.connectTimeoutMs ?? 10_000,
      },
      (res) => {
        req.setTimeout(0);
        resolvePromise(res);
      },
    );
    req.on('timeout', () => {
      const e = new Error(
        `no answer from ${u.host} within ${o.connectTimeoutMs ?? 10_000} ms`,
      ) as NodeJS.ErrnoException;
      e.code = 'ETIMEDOUT';
      req.destroy(e);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code && NO_NETWORK.has(e.code)) {
        reject(
          new DataError(
            o.url,
            null,
            `cannot reach ${u.host} (${e.code}): no network, or the host is down or blocked`,
            o.manualHint,
          ),
        );
      } else {
        reject(new TransferCut(`${e.code ?? ''} ${e.message}`.trim()));
      }
    });
  });
}
