import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../harness/data/data-error.ts';
import { readFetchRecord } from '../../../harness/datasets/cache-dir.ts';
import type { DatasetDownload } from '../../../harness/datasets/download-spec.ts';
import { fetchDataset } from '../../../harness/datasets/fetch-dataset.ts';
import { datasetFolder } from '../../../harness/datasets/local-copy.ts';
import { extractZip, gunzipFile } from '../../../harness/datasets/unpack.ts';
import { closedPort, FileServer } from '../../support/file-server.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const quiet = { info() {}, warn() {} };

const server = new FileServer();
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'usersim-fetch-'));
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

// A MovieLens-shaped archive: one folder with two members.
const RATINGS = '1::1193::5::978300760\n1::661::3::978302109\n';
const MOVIES = "1::Toy Story (1995)::Animation|Children's|Comedy\n";
const ZIP = Buffer.from(
  zipSync({ 'ml-tiny/ratings.dat': strToU8(RATINGS), 'ml-tiny/movies.dat': [strToU8(MOVIES), { level: 0 }] }),
);

const zipDownload = (url: string, checksum: DatasetDownload['files'][number]['checksum']): DatasetDownload => ({
  variant: 'tiny',
  description: 'a test archive',
  licence: 'test data',
  homepage: 'http://example.invalid/',
  root: 'ml-tiny',
  files: [{ url, checksum, unpack: 'zip' }],
});

describe('fetchDataset', () => {
  it('downloads a zip, verifies its md5, unpacks it and records sha256 and md5 in checksums.json', async () => {
    server.files.set('/ml-tiny.zip', { body: ZIP });
    const cache = tmp();
    const out = await fetchDataset({
      plugin: 'movielens',
      download: zipDownload(server.url('/ml-tiny.zip'), { algorithm: 'md5', value: md5(ZIP), source: 'test' }),
      cacheDir: cache,
      log: quiet,
    });
    expect(out.dir).toBe(join(cache, 'movielens', 'tiny'));
    expect(out.root).toBe(join(cache, 'movielens', 'tiny', 'ml-tiny'));
    expect(readFileSync(join(out.root, 'ratings.dat'), 'utf8')).toBe(RATINGS);
    expect(readFileSync(join(out.root, 'movies.dat'), 'utf8')).toBe(MOVIES);
    const rec = readFetchRecord(out.dir);
    expect(rec?.files['ml-tiny.zip']).toMatchObject({
      sha256: sha256(ZIP),
      md5: md5(ZIP),
      bytes: ZIP.length,
      pinned: { algorithm: 'md5', value: md5(ZIP) },
    });
    expect(rec?.unpacked).toEqual(['ml-tiny/movies.dat', 'ml-tiny/ratings.dat']);

    // Fetching again verifies the copy on disk and does not download.
    server.requests.length = 0;
    await fetchDataset({
      plugin: 'movielens',
      download: zipDownload(server.url('/ml-tiny.zip'), { algorithm: 'md5', value: md5(ZIP), source: 'test' }),
      cacheDir: cache,
      log: quiet,
    });
    expect(server.requests.length).toBe(0);
  });

  it('gunzip: writes the decompressed file beside the download', async () => {
    const text = Buffer.from('{"reviewerID": "A1", "asin": "B1", "overall": 5.0}\n'.repeat(500));
    const gz = Buffer.from(gzipSync(text));
    server.files.set('/reviews.json.gz', { body: gz });
    const cache = tmp();
    const out = await fetchDataset({
      plugin: 'amazon-books',
      download: {
        variant: 'x',
        description: '',
        licence: '',
        homepage: '',
        root: '',
        files: [
          {
            url: server.url('/reviews.json.gz'),
            checksum: { algorithm: 'sha256', value: sha256(gz), source: 'test' },
            unpack: 'gunzip',
          },
        ],
      },
      cacheDir: cache,
      log: quiet,
    });
    expect(readFileSync(join(out.dir, 'reviews.json')).equals(text)).toBe(true);
    expect(readFetchRecord(out.dir)?.unpacked).toEqual(['reviews.json']);
  });

  it('a file without a published checksum has its sha256 recorded, and a later fetch of different bytes is refused', async () => {
    const cache = tmp();
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m) };
    const download: DatasetDownload = {
      variant: 'v2',
      description: '',
      licence: '',
      homepage: 'h',
      root: '',
      files: [{ url: server.url('/steam_games.json.gz'), checksum: null, unpack: 'none' }],
    };
    server.files.set('/steam_games.json.gz', { body: Buffer.from(gzipSync(strToU8('{}\n'))) });
    const first = await fetchDataset({ plugin: 'steam', download, cacheDir: cache, log });
    expect(warnings.join('\n')).toMatch(/no checksum; recorded sha256/);
    expect(first.record.files['steam_games.json.gz']?.pinned).toBeNull();
    rmSync(join(first.dir, 'steam_games.json.gz'));
    server.files.set('/steam_games.json.gz', { body: Buffer.from(gzipSync(strToU8('{"changed": 1}\n'))) });
    const e = await dataError(fetchDataset({ plugin: 'steam', download, cacheDir: cache, log }));
    expect(e.message).toMatch(/checksum mismatch/);
    expect(e.message).toMatch(/recorded by the first fetch/);
  });

  it('a corrupt zip is a DataError naming the archive', async () => {
    const bad = Buffer.from(ZIP);
    bad.fill(0x41, 40, 200);
    server.files.set('/bad.zip', { body: bad });
    const e = await dataError(
      fetchDataset({
        plugin: 'movielens',
        download: zipDownload(server.url('/bad.zip'), null),
        cacheDir: tmp(),
        log: quiet,
      }),
    );
    expect(e.file).toMatch(/bad\.zip$/);
    expect(e.message).toMatch(/not a valid zip archive/);
    expect(e.fix).toMatch(/fetch again/);
  });

  it('no network: the message names the URL, the file to save by hand and the path: to give', async () => {
    const port = await closedPort();
    const cache = tmp();
    const e = await dataError(
      fetchDataset({
        plugin: 'movielens',
        download: zipDownload(`http://127.0.0.1:${port}/ml-tiny.zip`, null),
        cacheDir: cache,
        log: quiet,
        connectTimeoutMs: 2_000,
      }),
    );
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.fix).toContain(`http://127.0.0.1:${port}/ml-tiny.zip`);
    expect(e.fix).toContain(join(cache, 'movielens', 'tiny', 'ml-tiny.zip'));
    expect(e.fix).toContain('usersim datasets fetch movielens --variant tiny');
    expect(e.fix).toMatch(/path: <that folder>/);
  });

  it('a file saved by hand in the cache folder is verified and unpacked without any network', async () => {
    const cache = tmp();
    const port = await closedPort();
    mkdirSync(join(cache, 'movielens', 'tiny'), { recursive: true });
    writeFileSync(join(cache, 'movielens', 'tiny', 'ml-tiny.zip'), ZIP);
    const out = await fetchDataset({
      plugin: 'movielens',
      download: zipDownload(`http://127.0.0.1:${port}/ml-tiny.zip`, {
        algorithm: 'sha256',
        value: sha256(ZIP),
        source: 'test',
      }),
      cacheDir: cache,
      log: quiet,
    });
    expect(readFileSync(join(out.root, 'ratings.dat'), 'utf8')).toBe(RATINGS);
  });
});

describe('unpack', () => {
  it('refuses zip entries that would escape the folder', async () => {
    const d = tmp();
    const evil = join(d, 'evil.zip');
    writeFileSync(evil, zipSync({ '../outside.txt': strToU8('x') }));
    const e = await dataError(extractZip(evil, join(d, 'out')));
    expect(e.message).toMatch(/outside its folder/);
    expect(existsSync(join(d, 'outside.txt'))).toBe(false);
  });

  it('a truncated gzip is a DataError, and no half-written output is left', async () => {
    const d = tmp();
    const gz = gzipSync(strToU8('line\n'.repeat(20_000)));
    writeFileSync(join(d, 'cut.gz'), gz.subarray(0, gz.length >> 1));
    const e = await dataError(gunzipFile(join(d, 'cut.gz'), join(d, 'cut')));
    expect(e.file).toBe(join(d, 'cut.gz'));
    expect(e.message).toMatch(/not valid gzip data/);
    expect(existsSync(join(d, 'cut'))).toBe(false);
    expect(existsSync(join(d, 'cut.unpacking'))).toBe(false);
  });
});

describe('datasetFolder', () => {
  const downloads = [zipDownload('http://example.invalid/ml-tiny.zip', null)];
  const saved = process.env['USERSIM_DATASETS_DIR'];
  afterEach(() => {
    if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
    else process.env['USERSIM_DATASETS_DIR'] = saved;
  });

  it('without path: and without a fetched copy, says how to fetch or where to point path:', () => {
    process.env['USERSIM_DATASETS_DIR'] = tmp();
    let e: unknown = null;
    try {
      datasetFolder({ plugin: 'movielens', variant: 'tiny', path: undefined, configDir: '/', downloads });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(/no path: in the config and no fetched copy/);
    expect((e as DataError).fix).toContain('npx usersim datasets fetch movielens --variant tiny');
    expect((e as DataError).fix).toContain('path:');
  });

  it('without path:, uses the fetched copy in the cache', async () => {
    const cache = tmp();
    process.env['USERSIM_DATASETS_DIR'] = cache;
    server.files.set('/ml-tiny.zip', { body: ZIP });
    await fetchDataset({
      plugin: 'movielens',
      download: zipDownload(server.url('/ml-tiny.zip'), null),
      cacheDir: cache,
      log: quiet,
    });
    expect(datasetFolder({ plugin: 'movielens', variant: 'tiny', path: undefined, configDir: '/', downloads })).toBe(
      join(cache, 'movielens', 'tiny', 'ml-tiny'),
    );
  });

  it('a path: that does not exist is a DataError naming it; a relative path resolves against the config folder', () => {
    const d = tmp();
    mkdirSync(join(d, 'data'));
    expect(datasetFolder({ plugin: 'movielens', variant: 'tiny', path: 'data', configDir: d, downloads })).toBe(
      join(d, 'data'),
    );
    expect(() =>
      datasetFolder({ plugin: 'movielens', variant: 'tiny', path: 'nope', configDir: d, downloads }),
    ).toThrow(DataError);
  });
});
