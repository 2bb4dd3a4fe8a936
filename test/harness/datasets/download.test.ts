import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../harness/data/data-error.ts';
import { downloadFile, type DownloadProgress } from '../../../harness/datasets/download-file.ts';
import { progressBar } from '../../../harness/datasets/progress-bar.ts';
import { closedPort, FileServer } from '../../support/file-server.ts';

/** The downloader against a local HTTP server on 127.0.0.1; the internet is never contacted. */
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const HINT = 'download it by hand and give path: <folder>';

const server = new FileServer();
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'usersim-dl-'));
  dirs.push(d);
  return d;
};
beforeAll(() => server.start());
afterAll(async () => {
  await server.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  server.files.clear();
  server.requests.length = 0;
});

async function dataError(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('downloadFile', () => {
  it('downloads, reports monotonic progress up to the total, and verifies the sha256', async () => {
    const body = randomBytes(300_000);
    server.files.set('/data.bin', { body });
    const dest = join(tmp(), 'data.bin');
    const events: DownloadProgress[] = [];
    const r = await downloadFile({
      url: server.url('/data.bin'),
      dest,
      checksum: { algorithm: 'sha256', value: sha256(body), source: 'test' },
      manualHint: HINT,
      onProgress: (p) => events.push(p),
    });
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(r).toMatchObject({
      bytes: body.length,
      sha256: sha256(body),
      md5: md5(body),
      alreadyPresent: false,
      resumed: false,
    });
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(events.length).toBeGreaterThan(1);
    for (let k = 1; k < events.length; k++)
      expect((events[k] as DownloadProgress).received).toBeGreaterThanOrEqual(
        (events[k - 1] as DownloadProgress).received,
      );
    const last = events[events.length - 1] as DownloadProgress;
    expect(last).toMatchObject({ received: body.length, total: body.length, done: true });
    expect(events.every((e) => e.total === body.length)).toBe(true);
  });

  it('the progress bar prints percentages on a non-terminal and ends at 100%', () => {
    const lines: string[] = [];
    let t = 0;
    const bar = progressBar('ml-1m.zip', { write: (s: string) => lines.push(s), isTTY: false }, () => (t += 50));
    for (let r = 0; r <= 1000; r += 50) bar({ received: r, total: 1000, resumedFrom: 0, done: r === 1000 });
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines[0]).toMatch(/^ml-1m\.zip\s+0%/);
    expect(lines[lines.length - 1]).toMatch(/100%/);
  });

  it('the progress bar redraws in place on a terminal', () => {
    const out: string[] = [];
    let t = 0;
    const bar = progressBar('x', { write: (s: string) => out.push(s), isTTY: true }, () => (t += 200));
    bar({ received: 10, total: 100, resumedFrom: 0, done: false });
    bar({ received: 100, total: 100, resumedFrom: 0, done: true });
    expect(out.every((s) => s.startsWith('\r'))).toBe(true);
    expect(out[out.length - 1]).toMatch(/100%.*\n$/);
  });

  it('a connection cut halfway leaves a .part file; the next call resumes it with a Range request', async () => {
    const body = randomBytes(200_000);
    server.files.set('/cut.bin', { body, cutAfter: 100_000, cuts: 1 });
    const dest = join(tmp(), 'cut.bin');
    const opts = {
      url: server.url('/cut.bin'),
      dest,
      checksum: { algorithm: 'sha256' as const, value: sha256(body), source: 'test' },
      manualHint: HINT,
    };
    const e = await dataError(downloadFile({ ...opts, retries: 0 }));
    expect(e.message).toMatch(/connection was cut/);
    expect(e.message).toMatch(/run the same command again to resume/);
    const kept = statSync(`${dest}.part`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);
    expect(existsSync(dest)).toBe(false);

    const events: DownloadProgress[] = [];
    const r = await downloadFile({ ...opts, onProgress: (p) => events.push(p) });
    expect(r.resumed).toBe(true);
    expect(readFileSync(dest).equals(body)).toBe(true);
    const last = server.requests[server.requests.length - 1];
    expect(last?.headers.range).toBe(`bytes=${kept}-`);
    expect(events[0]?.resumedFrom).toBe(kept);
    expect(server.requests.length).toBe(2);
  });

  it('retries by itself after a cut, resuming where the bytes stopped', async () => {
    const body = randomBytes(150_000);
    server.files.set('/flaky.bin', { body, cutAfter: 60_000, cuts: 2 });
    const dest = join(tmp(), 'flaky.bin');
    const r = await downloadFile({
      url: server.url('/flaky.bin'),
      dest,
      checksum: { algorithm: 'md5', value: md5(body), source: 'test' },
      manualHint: HINT,
    });
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(r.resumed).toBe(true);
    expect(server.requests.length).toBe(3);
    expect(server.requests[0]?.headers.range).toBeUndefined();
    expect(server.requests[1]?.headers.range).toMatch(/^bytes=\d+-$/);
  });

  it('a server that ignores Range restarts from zero and still yields the right file', async () => {
    const body = randomBytes(80_000);
    server.files.set('/norange.bin', { body, ranges: false });
    const dest = join(tmp(), 'norange.bin');
    writeFileSync(`${dest}.part`, body.subarray(0, 30_000));
    const r = await downloadFile({
      url: server.url('/norange.bin'),
      dest,
      checksum: { algorithm: 'sha256', value: sha256(body), source: 'test' },
      manualHint: HINT,
    });
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(r.bytes).toBe(body.length);
  });

  it('a .part that already holds the whole file is finished without a new transfer (416)', async () => {
    const body = randomBytes(5_000);
    server.files.set('/done.bin', { body });
    const dest = join(tmp(), 'done.bin');
    writeFileSync(`${dest}.part`, body);
    await downloadFile({
      url: server.url('/done.bin'),
      dest,
      checksum: { algorithm: 'sha256', value: sha256(body), source: 'test' },
      manualHint: HINT,
    });
    expect(readFileSync(dest).equals(body)).toBe(true);
  });

  it('a checksum mismatch is a DataError naming the file, both digests and the fix; the bad copy is deleted', async () => {
    const body = randomBytes(10_000);
    server.files.set('/tampered.zip', { body });
    const dest = join(tmp(), 'tampered.zip');
    const wrong = sha256(Buffer.from('the published file'));
    const e = await dataError(
      downloadFile({
        url: server.url('/tampered.zip'),
        dest,
        checksum: { algorithm: 'sha256', value: wrong, source: 'GroupLens .md5 file' },
        manualHint: HINT,
      }),
    );
    expect(e.file).toBe(`${dest}.part`);
    expect(e.message).toMatch(/checksum mismatch/);
    expect(e.message).toContain(wrong);
    expect(e.message).toContain(sha256(body));
    expect(e.message).toContain('GroupLens .md5 file');
    expect(e.fix).toMatch(/fetch again/);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(existsSync(dest)).toBe(false);
  });

  it('an md5 mismatch on a file already on disk says to delete it', async () => {
    const dest = join(tmp(), 'ml-100k.zip');
    writeFileSync(dest, 'not the real archive');
    const e = await dataError(
      downloadFile({
        url: server.url('/unused'),
        dest,
        checksum: { algorithm: 'md5', value: '0e33842e24a9c977be4e0107933c0723', source: 'GroupLens' },
        manualHint: HINT,
      }),
    );
    expect(e.file).toBe(dest);
    expect(e.message).toMatch(/md5 is [0-9a-f]{32} but the expected value is 0e33842e/);
    expect(e.fix).toContain(`delete ${dest}`);
    expect(server.requests.length).toBe(0);
  });

  it('a file already complete on disk is verified and not downloaded again', async () => {
    const body = randomBytes(1_000);
    const dest = join(tmp(), 'have.bin');
    writeFileSync(dest, body);
    const r = await downloadFile({
      url: server.url('/have.bin'),
      dest,
      checksum: { algorithm: 'sha256', value: sha256(body), source: 'test' },
      manualHint: HINT,
    });
    expect(r.alreadyPresent).toBe(true);
    expect(server.requests.length).toBe(0);
  });

  it('follows redirects', async () => {
    const body = randomBytes(2_000);
    server.files.set('/moved', { body: Buffer.alloc(0), redirectTo: '/real.bin' });
    server.files.set('/real.bin', { body });
    const dest = join(tmp(), 'real.bin');
    await downloadFile({ url: server.url('/moved'), dest, checksum: null, manualHint: HINT });
    expect(readFileSync(dest).equals(body)).toBe(true);
  });

  it('HTTP 404 is a DataError with the manual hint', async () => {
    const e = await dataError(
      downloadFile({
        url: server.url('/missing.zip'),
        dest: join(tmp(), 'missing.zip'),
        checksum: null,
        manualHint: HINT,
      }),
    );
    expect(e.file).toBe(server.url('/missing.zip'));
    expect(e.message).toMatch(/HTTP 404/);
    expect(e.fix).toContain(HINT);
  });

  it('with no network (a closed port) it fails at once, saying where to download by hand and which path: to give', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/ml-1m.zip`;
    const t0 = Date.now();
    const e = await dataError(
      downloadFile({ url, dest: join(tmp(), 'ml-1m.zip'), checksum: null, manualHint: HINT, connectTimeoutMs: 2_000 }),
    );
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(e.file).toBe(url);
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.message).toMatch(/no network/);
    expect(e.fix).toContain('path:');
  });
});
