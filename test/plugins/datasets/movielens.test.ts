import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import movielens from '../../../plugins/datasets/movielens/index.ts';
import type { Interaction, RatingsDataset } from '../../../harness/data/types.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { sharedDataset } from '../../support/shared-data.ts';
import { asRatings } from '../../support/hand-dataset.ts';
import { dataError, tempFolders } from '../../support/data-files.js';

/**
 * The MovieLens plugin on the real files in ../shared/datasets (never copied into the repo).
 * Expected counts are the published ones quoted in each folder's MANIFEST.md.
 */
type Options = Parameters<typeof movielens.load>[0];
const ctx = () => ({ seed: 1, rng: new Rng(1), configDir: '/', log: { info() {}, warn() {} } });
/** Complete options: defaults are applied by the config loader, not by load(). */
const options = (o: Partial<Options> & Pick<Options, 'path'>): Options => ({
  variant: '100k',
  split: 'agent4rec',
  fold: 1,
  users: 1000,
  splitSeed: 101,
  minLiked: 20,
  likedAbove: 3,
  ...o,
});
const load = async (o: Partial<Options> & Pick<Options, 'path'>) => asRatings(await movielens.load(options(o), ctx()));
/** Every rating of a release: split random, all users, everything in train. */
const loadAll = (o: Partial<Options> & Pick<Options, 'path'>) =>
  load({ split: 'random', users: null, fractions: [1, 0, 0], ...o });

const line = (x: Interaction) => `${x.user}|${x.item}|${x.rating}|${x.timestamp}`;
const rawLines = (file: string) =>
  readFileSync(file, 'latin1')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t').join('|'));
/** Same multiset of lines; compares one sorted, joined string (deep-equal on 100k strings is slow). */
function expectSameLines(actual: readonly string[], expected: readonly string[]): void {
  expect(actual.length).toBe(expected.length);
  const a = [...actual].sort();
  const b = [...expected].sort();
  if (a.join('\n') !== b.join('\n')) {
    const k = a.findIndex((x, i) => x !== b[i]);
    expect(`#${k}: ${a[k]}`).toBe(`#${k}: ${b[k]}`);
  }
}
const histogram = (xs: readonly Interaction[]) => {
  const h: Record<string, number> = {};
  for (const x of xs) h[String(x.rating)] = (h[String(x.rating)] ?? 0) + 1;
  return h;
};

const { tmp } = tempFolders('usersim-ml-');

const ML100K = sharedDataset('movielens-100k');
const ML1M = sharedDataset('movielens-1m');
const LATEST = sharedDataset('movielens-latest-small');

describe.skipIf(ML100K === null)('movielens 100k (real files)', () => {
  const dir = ML100K as string;
  let all: RatingsDataset;
  let uData: string[];
  beforeAll(async () => {
    all = await loadAll({ path: dir });
    uData = rawLines(join(dir, 'u.data'));
  });

  it('has 100,000 ratings, 943 users and 1,682 items (MANIFEST.md, u.info)', () => {
    const r = all.split.train;
    expect(r.length).toBe(100_000);
    expect(all.split.valid.length + all.split.test.length).toBe(0);
    expect(new Set(r.map((x) => x.user)).size).toBe(943);
    expect(new Set(r.map((x) => x.item)).size).toBe(1682);
    expect(all.users.length).toBe(943);
    expect(all.items.length).toBe(1682);
    expect(all.name).toBe('movielens-100k');
    expect(all.scale).toEqual({ min: 1, max: 5, step: 1 });
  });

  it('ratings, histogram and timestamps match MANIFEST.md', () => {
    // MANIFEST.md: rating histogram 1:6,110 / 2:11,370 / 3:27,145 / 4:34,174 / 5:21,201;
    // timestamps 874,724,710 – 893,286,638
    expect(histogram(all.split.train)).toEqual({ '1': 6110, '2': 11370, '3': 27145, '4': 34174, '5': 21201 });
    const ts = all.split.train.map((x) => x.timestamp);
    expect(Math.min(...ts)).toBe(874_724_710);
    expect(Math.max(...ts)).toBe(893_286_638);
  });

  it('the loaded ratings are exactly the lines of u.data', () => {
    expectSameLines(all.split.train.map(line), uData);
  });

  it('records the SHA-256 of u.data published in MANIFEST.md', () => {
    expect(all.checksums['u.data']).toBe('06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490');
    expect(all.checksums['u.item']).toBe('553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701');
  });

  it('decodes the latin-1 titles of u.item', () => {
    const byId = new Map(all.items.map((i) => [i.id, i]));
    // u.item line 543 / 1633 (ISO-8859-1 bytes 0xE9 é, 0xC1 Á, 0xF6 ö)
    expect(byId.get('543')?.title).toBe('Misérables, Les (1995)');
    expect(byId.get('1633')?.title).toBe('Á köldum klaka (Cold Fever) (1994)');
    expect(all.items.some((i) => i.title.includes('\uFFFD'))).toBe(false);
    // genres from the 19 flags, names from u.genre
    expect(byId.get('1')?.title).toBe('Toy Story (1995)');
    expect(byId.get('1')?.genres).toEqual(['Animation', "Children's", 'Comedy']);
    expect(byId.get('1')?.description).toBe('Released 01-Jan-1995.');
  });

  it('reads user demographics from u.user', () => {
    const u1 = all.users.find((u) => u.id === '1');
    expect(u1?.attributes).toEqual({ age: 24, gender: 'male', occupation: 'technician' });
  });

  for (const fold of [1, 5]) {
    it(`official fold u${fold}: 80,000/20,000 and train+test recombine to u.data`, async () => {
      const d = await load({ path: dir, split: 'official-fold', fold });
      expect(d.split.name).toBe(`official-fold-u${fold}`);
      expect(d.split.train.length).toBe(80_000);
      expect(d.split.test.length).toBe(20_000);
      expect(d.split.valid).toEqual([]);
      expectSameLines([...d.split.train, ...d.split.test].map(line), uData);
      expect(d.checksums[`u${fold}.base`]).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('agent4rec split: every kept user has at least 20 ratings above 3; all 703 eligible users kept', async () => {
    const d = await load({ path: dir });
    expect(d.split.name).toBe('agent4rec');
    const liked = new Map<string, number>();
    for (const x of all.split.train) if ((x.rating ?? 0) > 3) liked.set(x.user, (liked.get(x.user) ?? 0) + 1);
    const kept = new Set([...d.split.train, ...d.split.valid, ...d.split.test].map((x) => x.user));
    expect([...kept].filter((u) => (liked.get(u) ?? 0) < 20)).toEqual([]);
    // 703 users of u.data have ≥ 20 ratings > 3 (counted independently with python over u.data);
    // fewer than the 1,000 sample size, so all of them are kept
    const eligible = [...liked].filter(([, n]) => n >= 20).length;
    expect(eligible).toBe(703);
    expect(kept.size).toBe(703);
    const trainItems = new Set(d.split.train.map((x) => x.item));
    expect([...d.split.valid, ...d.split.test].filter((x) => !trainItems.has(x.item))).toEqual([]);
  });

  it('agent4rec split samples `users` of the eligible users with splitSeed', async () => {
    const a = await load({ path: dir, users: 100 });
    const b = await load({ path: dir, users: 100, splitSeed: 7 });
    const ua = new Set(a.split.train.map((x) => x.user));
    const ub = new Set(b.split.train.map((x) => x.user));
    expect(ua.size).toBe(100);
    expect(ub.size).toBe(100);
    expect([...ua].sort()).not.toEqual([...ub].sort());
  });
});

describe.skipIf(LATEST === null)('movielens latest-small (real files)', () => {
  const dir = LATEST as string;
  let all: RatingsDataset;
  beforeAll(async () => {
    all = await loadAll({ path: dir, variant: 'latest-small' });
  });

  it('has 100,836 ratings, 610 users, 9,742 movies (9,724 rated) (MANIFEST.md, README.txt)', () => {
    const r = all.split.train;
    expect(r.length).toBe(100_836);
    expect(new Set(r.map((x) => x.user)).size).toBe(610);
    expect(all.users.length).toBe(610);
    expect(all.items.length).toBe(9742);
    expect(new Set(r.map((x) => x.item)).size).toBe(9724);
    expect(all.scale).toEqual({ min: 0.5, max: 5, step: 0.5 });
  });

  it('half-star histogram matches MANIFEST.md', () => {
    expect(histogram(all.split.train)).toEqual({
      '0.5': 1370,
      '1': 2811,
      '1.5': 1791,
      '2': 7551,
      '2.5': 5550,
      '3': 20047,
      '3.5': 13136,
      '4': 26818,
      '4.5': 8551,
      '5': 13211,
    });
  });

  it('reads quoted UTF-8 titles with commas and drops "(no genres listed)"', () => {
    const byId = new Map(all.items.map((i) => [i.id, i]));
    expect(byId.get('29')?.title).toBe('City of Lost Children, The (Cité des enfants perdus, La) (1995)');
    expect(byId.get('29')?.genres).toEqual(['Adventure', 'Drama', 'Fantasy', 'Mystery', 'Sci-Fi']);
    expect(byId.get('284')?.title).toBe('New York Cop (Nyû Yôku no koppu) (1993)');
    expect(all.items.some((i) => i.genres.includes('(no genres listed)'))).toBe(false);
    expect(all.items.filter((i) => i.genres.length === 0).length).toBe(34);
  });

  it('official-fold exists only for 100k', async () => {
    const e = await dataError(load({ path: dir, variant: 'latest-small', split: 'official-fold' }));
    expect(e.line).toBeNull();
    expect(e.message).toMatch(/official-fold/);
  });

  it('random split (default 80/10/10) partitions all ratings', async () => {
    const d = await load({ path: dir, variant: 'latest-small', split: 'random', users: null });
    expect(d.split.train.length + d.split.valid.length + d.split.test.length).toBe(100_836);
    expect(d.split.train.length).toBe(Math.round(100_836 * 0.8));
  });
});

describe.skipIf(ML1M === null)('movielens 1m (shared movies.dat/users.dat + a small ratings.dat)', () => {
  // ratings.dat is not in ../shared (24.6 MB, see its MANIFEST.md): a hand-written one in the
  // exact UserID::MovieID::Rating::Timestamp format, beside copies of the real movies.dat and users.dat.
  const ratingsDat =
    [
      '1::1193::5::978300760',
      '1::661::3::978302109',
      '1::3054::4::978301968',
      '2::1320::5::978298413',
      '2::1193::1::978299941',
      '6040::1::4::956703932',
    ].join('\n') + '\n';
  let dir = '';
  beforeAll(() => {
    dir = tmp();
    copyFileSync(join(ML1M as string, 'movies.dat'), join(dir, 'movies.dat'));
    copyFileSync(join(ML1M as string, 'users.dat'), join(dir, 'users.dat'));
    writeFileSync(join(dir, 'ratings.dat'), ratingsDat);
  });

  it('parses ratings.dat, movies.dat (3,883) and users.dat (6,040)', async () => {
    const d = await loadAll({ path: dir, variant: '1m' });
    expect(d.name).toBe('movielens-1m');
    expect(d.split.train.map(line).sort()).toEqual(
      ratingsDat
        .trim()
        .split('\n')
        .map((l) => l.split('::').join('|'))
        .sort(),
    );
    expect(d.items.length).toBe(3883);
    expect(d.users.length).toBe(6040);
    // MANIFEST.md SHA-256 of the shared copies
    expect(d.checksums['movies.dat']).toBe('0140fc2356357c1a851d0f52e893a1e4d3696df632c4141cea8d5bc3d621f0b9');
    expect(d.checksums['users.dat']).toBe('1dc3a95300cb19f7c10e027daf29b8cdf1d908dab65b5edfb45950aa389a10a3');
  });

  it('decodes latin-1 titles and splits genres on "|"', async () => {
    const d = await loadAll({ path: dir, variant: '1m' });
    const byId = new Map(d.items.map((i) => [i.id, i]));
    expect(byId.get('1')?.title).toBe('Toy Story (1995)');
    expect(byId.get('1')?.genres).toEqual(['Animation', "Children's", 'Comedy']);
    expect(byId.get('3054')?.title).toBe('Pokémon: The First Movie (1998)');
    expect(byId.get('3054')?.genres).toEqual(['Animation', "Children's"]);
    expect(byId.get('1320')?.title).toBe('Alien³ (1992)');
    expect(byId.get('1320')?.genres).toEqual(['Action', 'Horror', 'Sci-Fi', 'Thriller']);
    expect(d.items.some((i) => i.title.includes('\uFFFD') || i.title.includes('::'))).toBe(false);
  });

  it('maps users.dat age and occupation codes (README)', async () => {
    const d = await loadAll({ path: dir, variant: '1m' });
    // users.dat line 1: 1::F::1::10::48067 → under 18, occupation 10 = K-12 student
    expect(d.users.find((u) => u.id === '1')?.attributes).toEqual({
      gender: 'female',
      age: 'under 18',
      occupation: 'K-12 student',
    });
    // 2::M::56::16::70072 → 56+, self-employed
    expect(d.users.find((u) => u.id === '2')?.attributes).toEqual({
      gender: 'male',
      age: '56+',
      occupation: 'self-employed',
    });
  });

  it('a ratings.dat separated by tabs under variant 1m is a DataError naming file and line', async () => {
    const bad = tmp();
    copyFileSync(join(dir, 'movies.dat'), join(bad, 'movies.dat'));
    copyFileSync(join(dir, 'users.dat'), join(bad, 'users.dat'));
    writeFileSync(join(bad, 'ratings.dat'), '1\t1193\t5\t978300760\n');
    const e = await dataError(loadAll({ path: bad, variant: '1m' }));
    expect(e.file).toBe(join(bad, 'ratings.dat'));
    expect(e.line).toBe(1);
    expect(e.message).toContain('ratings.dat:1');
    expect(e.message).toMatch(/tab/);
  });
});

describe.skipIf(ML100K === null)('movielens: malformed inputs are DataErrors naming file and line', () => {
  /** A copy of the 100k metadata with a hand-written u.data. */
  const with100kData = (uData: string) => {
    const d = tmp();
    for (const f of ['u.genre', 'u.item', 'u.user']) copyFileSync(join(ML100K as string, f), join(d, f));
    writeFileSync(join(d, 'u.data'), uData);
    return d;
  };

  it('a u.data line with 3 fields', async () => {
    const d = with100kData('196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\n');
    const e = await dataError(loadAll({ path: d }));
    expect(e.file).toBe(join(d, 'u.data'));
    expect(e.line).toBe(3);
    expect(e.message).toContain('u.data:3');
    expect(e.message).toMatch(/found 3/);
  });

  it('a rating of 7', async () => {
    const d = with100kData('196\t242\t3\t881250949\n186\t302\t7\t891717742\n');
    const e = await dataError(loadAll({ path: d }));
    expect(e.file).toBe(join(d, 'u.data'));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/rating 7 is not on the scale 1–5/);
  });

  it('a missing folder', async () => {
    const missing = join(tmp(), 'no-such-folder');
    const e = await dataError(loadAll({ path: missing }));
    expect(e.file).toBe(missing);
    expect(e.line).toBeNull();
    expect(e.message).toMatch(/does not exist/);
  });

  it('a relative path resolves against configDir', async () => {
    const d = with100kData('196\t242\t3\t881250949\n');
    const parts = d.split('/');
    const ds = asRatings(
      await movielens.load(
        options({ path: parts.pop() as string, split: 'random', users: null, fractions: [1, 0, 0] }),
        { ...ctx(), configDir: parts.join('/') },
      ),
    );
    expect(ds.split.train.map(line)).toEqual(['196|242|3|881250949']);
  });
});

describe.skipIf(LATEST === null)('movielens latest-small: malformed ratings.csv', () => {
  const withRatings = (csv: string) => {
    const d = tmp();
    copyFileSync(join(LATEST as string, 'movies.csv'), join(d, 'movies.csv'));
    writeFileSync(join(d, 'ratings.csv'), csv);
    return d;
  };

  it('a wrong header is a DataError on line 1', async () => {
    const d = withRatings('user,movie,rating,timestamp\n1,1,4.0,964982703\n');
    const e = await dataError(loadAll({ path: d, variant: 'latest-small' }));
    expect(e.file).toBe(join(d, 'ratings.csv'));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/header/);
  });

  // Bug fixed in plugins/datasets/movielens (latest-small): the header line was cut
  // off before parseRatingLines counted lines, so every error in ratings.csv named the line
  // one above the real one (here line 2 instead of 3): regression test.
  it('a bad rating names its real line in ratings.csv (header = line 1)', async () => {
    const d = withRatings('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,7,964981247\n');
    const e = await dataError(loadAll({ path: d, variant: 'latest-small' }));
    expect(e.message).toMatch(/rating 7/);
    expect(e.line).toBe(3);
  });
});
