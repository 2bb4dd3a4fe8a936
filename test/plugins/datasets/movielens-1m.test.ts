import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import movielens from '../../../plugins/datasets/movielens/index.ts';
import { parseRatingLines, type RawFile } from '../../../plugins/datasets/movielens/parse.ts';
import { DataError } from '../../../harness/data/data-error.ts';
import { FETCH_RECORD } from '../../../harness/datasets/cache-dir.ts';
import { Rng } from '../../../harness/util/rng.ts';

/**
 * MovieLens-1M's ratings.dat path on files this test writes in the exact
 * `UserID::MovieID::Rating::Timestamp` format (the real file is not
 * redistributable and not in ../shared), the fast ratings parser against the
 * general one, and the declared downloads.
 */
type Options = Parameters<typeof movielens.load>[0];
const ctx = () => ({ seed: 1, rng: new Rng(1), configDir: '/', log: { info() {}, warn() {} } });
const options = (o: Partial<Options>): Options => ({
  variant: '1m',
  split: 'random',
  fold: 1,
  users: null,
  splitSeed: 101,
  minLiked: 20,
  likedAbove: 3,
  fractions: [1, 0, 0],
  ...o,
});

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'usersim-ml1m-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const raw = (text: string, encoding: 'latin1' | 'utf8' = 'latin1'): RawFile => {
  const bytes = Buffer.from(text, encoding);
  return { path: '/x/ratings.dat', bytes, encoding, text, sha256: '' };
};

/** A tiny ML-1M folder: movies.dat and users.dat (latin-1, `::`) and the given ratings.dat. */
function ml1mFolder(ratings: string | Buffer): string {
  const d = tmp();
  writeFileSync(
    join(d, 'movies.dat'),
    Buffer.from(
      "1::Toy Story (1995)::Animation|Children's|Comedy\n3054::Pokémon: The First Movie (1998)::Animation|Children's\n1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n",
      'latin1',
    ),
  );
  writeFileSync(join(d, 'users.dat'), '1::F::1::10::48067\n2::M::56::16::70072\n');
  writeFileSync(join(d, 'ratings.dat'), ratings);
  return d;
}

async function dataError(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('movielens 1m ratings.dat', () => {
  it('parses UserID::MovieID::Rating::Timestamp lines, sorted by user as GroupLens ships them', async () => {
    const d = ml1mFolder('1::1193::5::978300760\n1::3054::4::978301968\n2::1::3::978298413\n');
    const ds = await movielens.load(options({ path: d }), ctx());
    expect(ds.kind).toBe('ratings');
    if (ds.kind !== 'ratings') return;
    expect([...ds.split.train].sort((a, b) => a.timestamp - b.timestamp)).toEqual([
      { user: '2', item: '1', rating: 3, timestamp: 978298413 },
      { user: '1', item: '1193', rating: 5, timestamp: 978300760 },
      { user: '1', item: '3054', rating: 4, timestamp: 978301968 },
    ]);
    expect(ds.items.find((i) => i.id === '3054')?.title).toBe('Pokémon: The First Movie (1998)');
    expect(Object.keys(ds.checksums).sort()).toEqual(['movies.dat', 'ratings.dat', 'users.dat']);
  });

  it('CRLF line ends, blank lines and a missing final newline read the same', async () => {
    const d = ml1mFolder('1::1193::5::978300760\r\n\r\n2::1::3::978298413');
    const ds = await movielens.load(options({ path: d }), ctx());
    if (ds.kind !== 'ratings') throw new Error('ratings expected');
    expect(ds.split.train.map((x) => `${x.user}|${x.item}|${x.rating}|${x.timestamp}`).sort()).toEqual([
      '1|1193|5|978300760',
      '2|1|3|978298413',
    ]);
  });

  it('a rating of 6 deep in the file names its line', async () => {
    const lines = Array.from(
      { length: 5000 },
      (_, k) => `${1 + (k % 50)}::${1 + (k % 700)}::${1 + (k % 5)}::${978300760 + k}`,
    );
    lines[4321] = '7::99::6::978300999';
    const d = ml1mFolder(lines.join('\n') + '\n');
    const e = await dataError(movielens.load(options({ path: d }), ctx()));
    expect(e.file).toBe(join(d, 'ratings.dat'));
    expect(e.line).toBe(4322);
    expect(e.message).toMatch(/rating 6 is not on the scale 1–5/);
  });

  it('a truncated last line (cut mid-field) names that line', async () => {
    const d = ml1mFolder('1::1193::5::978300760\n1::661::3::978302109\n1::914::');
    const e = await dataError(movielens.load(options({ path: d }), ctx()));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/expected 4 fields separated by "::" but found 3/);
    expect(e.fix).toMatch(/complete and unmodified/);
  });

  it('a ratings.dat written with commas (wrong delimiter) names line 1 and the separator it seems to use', async () => {
    const d = ml1mFolder('1,1193,5,978300760\n');
    const e = await dataError(movielens.load(options({ path: d }), ctx()));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/a comma \(ml-latest ratings\.csv\)/);
  });

  it('without path: it reads the copy fetched into the datasets cache', async () => {
    const cache = tmp();
    const variant = join(cache, 'movielens', '1m');
    mkdirSync(join(variant, 'ml-1m'), { recursive: true });
    const src = ml1mFolder('1::1::4::978300760\n');
    for (const f of ['movies.dat', 'users.dat', 'ratings.dat']) copyFileSync(join(src, f), join(variant, 'ml-1m', f));
    writeFileSync(
      join(variant, FETCH_RECORD),
      JSON.stringify({
        dataset: 'movielens',
        variant: '1m',
        fetchedAt: new Date().toISOString(),
        root: 'ml-1m',
        files: {},
        unpacked: [],
      }),
    );
    const saved = process.env['USERSIM_DATASETS_DIR'];
    process.env['USERSIM_DATASETS_DIR'] = cache;
    try {
      const { path: _omit, ...rest } = options({});
      const ds = await movielens.load(rest as Options, ctx());
      if (ds.kind !== 'ratings') throw new Error('ratings expected');
      expect(ds.split.train).toEqual([{ user: '1', item: '1', rating: 4, timestamp: 978300760 }]);
    } finally {
      if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
      else process.env['USERSIM_DATASETS_DIR'] = saved;
    }
  });

  it('declares the official archives with the checksums of shared/datasets/README.md', () => {
    const byVariant = Object.fromEntries((movielens.downloads ?? []).map((d) => [d.variant, d]));
    expect(Object.keys(byVariant).sort()).toEqual(['100k', '1m', 'latest-small']);
    expect(byVariant['1m']?.files[0]).toMatchObject({
      url: 'https://files.grouplens.org/datasets/movielens/ml-1m.zip',
      checksum: { algorithm: 'md5', value: 'c4d9eecfca2ab87c1945afe126590906' },
      unpack: 'zip',
    });
    expect(byVariant['100k']?.files[0]?.checksum?.value).toBe('0e33842e24a9c977be4e0107933c0723');
    expect(byVariant['1m']?.root).toBe('ml-1m');
    expect(byVariant['1m']?.licence).toMatch(/no redistribution/);
  });
});

describe('the fast ratings parser agrees with the general rules', () => {
  const scale = { min: 1, max: 5, step: 1 };
  it('ids with leading zeros keep their spelling (they take the general path)', () => {
    expect(parseRatingLines(raw('007::0042::3::1\n'), '::', scale)).toEqual([
      { user: '007', item: '0042', rating: 3, timestamp: 1 },
    ]);
  });

  it('half stars, "4.0" and spaces around fields give the same values as Number()', () => {
    const half = { min: 0.5, max: 5, step: 0.5 };
    expect(
      parseRatingLines(raw('1,2,4.5,964982703\n1,3,4.0,964981247\n1,4, 3 ,964981247\n', 'utf8'), ',', half),
    ).toEqual([
      { user: '1', item: '2', rating: 4.5, timestamp: 964982703 },
      { user: '1', item: '3', rating: 4, timestamp: 964981247 },
      { user: '1', item: '4', rating: 3, timestamp: 964981247 },
    ]);
  });

  it('u.data tabs work with the same code', () => {
    expect(parseRatingLines(raw('196\t242\t3\t881250949\n'), '\t', scale)).toEqual([
      { user: '196', item: '242', rating: 3, timestamp: 881250949 },
    ]);
  });

  it('one string object is shared by every rating of the same user', () => {
    const out = parseRatingLines(raw('12::1::3::1\n12::2::4::2\n'), '::', scale);
    expect(out[0]?.user).toBe(out[1]?.user);
  });

  it('a random mix of well-formed lines round-trips exactly', () => {
    const rng = new Rng(3);
    const rows = Array.from({ length: 2000 }, () => ({
      user: String(1 + rng.int(6040)),
      item: String(1 + rng.int(3952)),
      rating: 1 + rng.int(5),
      timestamp: 956703932 + rng.int(90_000_000),
    }));
    const text = rows.map((r) => `${r.user}::${r.item}::${r.rating}::${r.timestamp}`).join('\n') + '\n';
    expect(parseRatingLines(raw(text), '::', scale)).toEqual(rows);
  });

  it('a skipped header line still counts for line numbers', () => {
    let e: unknown = null;
    try {
      parseRatingLines(
        raw('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,x,964981247\n', 'utf8'),
        ',',
        { min: 0.5, max: 5, step: 0.5 },
        1,
      );
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).line).toBe(3);
    expect((e as DataError).message).toMatch(/not a number/);
  });
});
