import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import amazon from '../../../plugins/datasets/amazon-books/index.ts';
import type { RatingsDataset } from '../../../harness/data/types.ts';
import { TASKS } from '../../support/tasks.ts';
import { unitsFor } from '../../../harness/plan/dataset-kinds.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { sharedDataset } from '../../support/shared-data.ts';
import { allInteractions, dataError, gz, tempFolders } from '../../support/data-files.js';

type Options = Parameters<typeof amazon.load>[0];
const ctx = () => ({ seed: 1, rng: new Rng(1), configDir: '/', log: { info() {}, warn() {} } });
const options = (o: Partial<Options>): Options => ({
  variant: '2014-5core',
  metadata: true,
  kcore: null,
  split: 'random',
  users: null,
  splitSeed: 101,
  minLiked: 20,
  likedAbove: 3,
  fractions: [1, 0, 0],
  ...o,
});
const load = async (o: Partial<Options>) => {
  const d = await amazon.load(options(o), ctx());
  if (d.kind !== 'ratings') throw new Error('ratings expected');
  return d;
};
const all = allInteractions;

const { tmp, folder } = tempFolders('usersim-amazon-');

const KGAT = sharedDataset('amazon-books');

describe.skipIf(KGAT === null)('amazon-books kgat (real files)', () => {
  let official: RatingsDataset;
  beforeAll(async () => {
    official = await load({ variant: 'kgat', path: KGAT as string, split: 'official' });
  });

  it('70,679 users, 24,915 items, 652,514 train + 193,920 test = 846,434 interactions (MANIFEST.md)', () => {
    expect(official.split.name).toBe('official');
    expect(official.split.train.length).toBe(652_514);
    expect(official.split.test.length).toBe(193_920);
    expect(official.split.valid).toEqual([]);
    expect(official.users.length).toBe(70_679);
    expect(official.items.length).toBe(24_915);
    expect(new Set(all(official).map((x) => x.user)).size).toBe(70_679);
    expect(new Set(all(official).map((x) => x.item)).size).toBe(24_915);
  });

  it('ids are the original reviewerIDs and ASINs; no train/test overlap; the file checksums match MANIFEST.md', () => {
    const firstTrain = official.split.train[0];
    expect(firstTrain).toEqual({ user: 'A3RTKL9KB8KLID', item: '0553092626', rating: null, timestamp: 0 });
    const train = new Set(official.split.train.map((x) => `${x.user} ${x.item}`));
    expect(official.split.test.some((x) => train.has(`${x.user} ${x.item}`))).toBe(false);
    expect(official.checksums['train.txt']).toBe('4d10106bb06a77e11df660429903c0067aeb85b86431807836b0d8b7edc30c38');
    expect(official.checksums['user_list.txt']).toBe(
      'ae2e001d4e49fd82d4c7e25f950827a8be2fbd5c6f3a16dacb2d104edb32310e',
    );
  });

  it('is implicit: no scale, so the rating task has no units (n/a), and items have uniform text', () => {
    expect(official.scale).toBeNull();
    expect(unitsFor(TASKS['rating']!, official, { maxItemsPerUser: 20 }, new Rng(1))).toBeNull();
    expect(official.items[0]).toMatchObject({
      id: expect.any(String),
      title: expect.stringMatching(/^Amazon book /),
      genres: [],
    });
  });

  it('agent4rec on implicit data: 1,000 users sampled from those with ≥ 20 interactions (implicit counts as liked)', async () => {
    const d = await load({ variant: 'kgat', path: KGAT as string, split: 'agent4rec', users: 1000 });
    const users = new Set(all(d).map((x) => x.user));
    expect(users.size).toBe(1000);
    const trainItems = new Set(d.split.train.map((x) => x.item));
    expect(d.split.test.every((x) => trainItems.has(x.item))).toBe(true);
    expect(d.items.length).toBe(24_915);
  });

  it('kcore 5 on KGAT: every user and item keeps at least 5 interactions across train and test', async () => {
    const d = await load({ variant: 'kgat', path: KGAT as string, split: 'official', kcore: 5 });
    const count = (key: 'user' | 'item') =>
      all(d).reduce((m, x) => m.set(x[key], (m.get(x[key]) ?? 0) + 1), new Map<string, number>());
    expect(Math.min(...count('user').values())).toBeGreaterThanOrEqual(5);
    expect(Math.min(...count('item').values())).toBeGreaterThanOrEqual(5);
    expect(all(d).length).toBeLessThan(846_434);
  });
});

// Raw McAuley formats, on small files written by the test (the real dumps are multi-GB and not in ../shared).
const REVIEWS_2014 = [
  {
    reviewerID: 'A1',
    asin: '0000000001',
    reviewerName: 'Ann',
    helpful: [0, 0],
    reviewText: 'Loved it, "really".',
    overall: 5.0,
    summary: 'Great',
    unixReviewTime: 1355616000,
    reviewTime: '12 16, 2012',
  },
  {
    reviewerID: 'A1',
    asin: '0000000002',
    reviewerName: 'Ann',
    helpful: [1, 2],
    reviewText: 'Meh \\ so-so',
    overall: 3.0,
    summary: 'Ok',
    unixReviewTime: 1355700000,
    reviewTime: '12 17, 2012',
  },
  {
    reviewerID: 'A2',
    asin: '0000000001',
    reviewText: 'Unicode ✓ naïve',
    overall: 4.0,
    summary: 'Good',
    unixReviewTime: 1356000000,
    reviewTime: '12 20, 2012',
  },
];
const META_2014 =
  "{'asin': '0000000001', 'title': 'The Hobbit', 'categories': [['Books', 'Literature & Fiction', 'Fantasy']], 'description': u'Bilbo\\'s   journey', 'salesRank': {'Books': 10}}\n" +
  "{'asin': '0000000002', 'categories': [['Books', 'Cookbooks']], 'price': 9.99}\n" +
  "{'asin': '0000000099', 'title': 'Not rated'}\n";

describe('amazon-books raw formats', () => {
  it('2014 5-core reviews (JSON lines, gzip) with 2014 metadata (Python literals) give uniform item text', async () => {
    const d = await load({
      path: folder({
        'reviews_Books_5.json.gz': gz(REVIEWS_2014.map((r) => JSON.stringify(r)).join('\n')),
        'meta_Books.json.gz': gz(META_2014),
      }),
    });
    expect([...all(d)].sort((a, b) => a.timestamp - b.timestamp)).toEqual([
      { user: 'A1', item: '0000000001', rating: 5, timestamp: 1355616000 },
      { user: 'A1', item: '0000000002', rating: 3, timestamp: 1355700000 },
      { user: 'A2', item: '0000000001', rating: 4, timestamp: 1356000000 },
    ]);
    expect(d.scale).toEqual({ min: 1, max: 5, step: 1 });
    expect(d.items).toEqual([
      {
        id: '0000000001',
        title: 'The Hobbit',
        genres: ['Literature & Fiction', 'Fantasy'],
        description: "Bilbo's journey",
      },
      { id: '0000000002', title: 'Amazon book 0000000002', genres: ['Cookbooks'] },
    ]);
    expect(Object.keys(d.checksums).sort()).toEqual(['meta_Books.json.gz', 'reviews_Books_5.json.gz']);
  });

  it('2018 5-core (vote, style) with 2018 JSON metadata (category list, HTML description list)', async () => {
    const reviews = [
      {
        overall: 5.0,
        vote: '1,234',
        verified: true,
        reviewTime: '01 2, 2016',
        reviewerID: 'B1',
        asin: '1111111111',
        style: { 'Format:': ' Kindle Edition' },
        reviewerName: 'Bo',
        reviewText: 'x',
        summary: 'y',
        unixReviewTime: 1451692800,
      },
      { overall: 2.0, reviewerID: 'B2', asin: '1111111111', unixReviewTime: 1451779200, image: ['http://x'] },
    ];
    const meta = JSON.stringify({
      category: ['Books', 'Mystery, Thriller & Suspense', 'Thrillers'],
      description: ['<b>A gripping</b> read &amp; more', ''],
      title: 'Gone Girl',
      asin: '1111111111',
    });
    const d = await load({
      variant: '2018-5core',
      path: folder({
        'Books_5.json.gz': gz(reviews.map((r) => JSON.stringify(r)).join('\n')),
        'meta_Books.json.gz': gz(meta),
      }),
    });
    expect(
      all(d)
        .map((x) => x.rating)
        .sort(),
    ).toEqual([2, 5]);
    expect(d.items).toEqual([
      {
        id: '1111111111',
        title: 'Gone Girl',
        genres: ['Mystery, Thriller & Suspense', 'Thrillers'],
        description: 'A gripping read & more',
      },
    ]);
  });

  it('2014 ratings-only CSV (no header) is 5-cored by default, repeating until stable', async () => {
    const rows: string[] = [];
    // 6 users × 6 items all rated: a 6-core block; plus a thin user whose only items are thin.
    for (let u = 1; u <= 6; u++)
      for (let i = 1; i <= 6; i++) rows.push(`U${u},I${i},${1 + ((u + i) % 5)}.0,${1400000000 + u * 100 + i}`);
    rows.push('U9,I9,5.0,1400000999', 'U9,I1,4.0,1400001000');
    const d = await load({ variant: '2014-ratings', path: folder({ 'ratings_Books.csv': rows.join('\n') + '\n' }) });
    expect(all(d).length).toBe(36);
    expect(d.users.map((u) => u.id)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6']);
    const none = await load({
      variant: '2014-ratings',
      kcore: 0,
      path: folder({ 'ratings_Books.csv': rows.join('\n') + '\n' }),
    });
    expect(all(none).length).toBe(38);
  });

  it('offers the shared splits: agent4rec, random, leave-last-out, temporal', async () => {
    const rows: string[] = [];
    for (let u = 1; u <= 8; u++)
      for (let i = 1; i <= 30; i++) rows.push(`U${u},I${(u * 3 + i) % 40},${4 + (i % 2)},${1400000000 + u * 1000 + i}`);
    const path = folder({ 'ratings_Books.csv': rows.join('\n') });
    for (const split of ['agent4rec', 'random', 'leave-last-out', 'temporal'] as const) {
      const d = await load({ variant: '2014-ratings', kcore: 0, path, split, fractions: undefined });
      expect(d.split.name).toBe(split);
      expect(d.split.train.length).toBeGreaterThan(0);
      expect(d.split.test.length).toBeGreaterThan(0);
    }
  });
});

describe('amazon-books: malformed inputs are DataErrors naming the file, the line and the fix', () => {
  const csv = (text: string) =>
    load({ variant: '2014-ratings', kcore: 0, path: folder({ 'ratings_Books.csv': text }) });
  const reviews = (data: string | Buffer) =>
    load({ path: folder({ 'reviews_Books_5.json.gz': typeof data === 'string' ? gz(data) : data }) });

  it('ratings CSV with the wrong delimiter (tabs)', async () => {
    const e = await dataError(csv('A1,B1,5.0,1\nA2\tB2\t4.0\t2\n'));
    expect(e.file).toMatch(/ratings_Books\.csv$/);
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/expected 4 comma-separated fields .* found 1 \(the line is tab-separated\)/);
    expect(e.fix).toMatch(/user,item,rating,timestamp/);
  });

  it('ratings CSV with a header line', async () => {
    const e = await dataError(csv('user,item,rating,timestamp\nA1,B1,5.0,1\n'));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/looks like a header/);
    expect(e.fix).toMatch(/remove the header/);
  });

  it('ratings CSV with a rating of 7', async () => {
    const e = await dataError(csv('A1,B1,5.0,1\nA1,B2,7.0,2\n'));
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/rating 7 is outside/);
  });

  it('reviews: a truncated last line (the download stopped mid-record)', async () => {
    const text = REVIEWS_2014.map((r) => JSON.stringify(r)).join('\n');
    const e = await dataError(reviews(text.slice(0, text.length - 30)));
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/not a JSON object or Python dict literal/);
  });

  it('reviews: a record without "asin" (missing column)', async () => {
    const e = await dataError(
      reviews(
        `${JSON.stringify(REVIEWS_2014[0])}\n${JSON.stringify({ reviewerID: 'A3', overall: 4, unixReviewTime: 1 })}\n`,
      ),
    );
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/missing field "asin"/);
    expect(e.fix).toMatch(/reviewerID, asin, overall, unixReviewTime/);
  });

  it('reviews: "overall" that is not a star rating', async () => {
    const e = await dataError(
      reviews(JSON.stringify({ reviewerID: 'A', asin: 'B', overall: 'five', unixReviewTime: 1 })),
    );
    expect(e.message).toMatch(/"overall" is "five", not a number/);
  });

  it('reviews: a corrupt gzip', async () => {
    const bad = Buffer.from(
      gz(
        REVIEWS_2014.map((r) => JSON.stringify(r))
          .join('\n')
          .repeat(50),
      ),
    );
    bad.fill(0, 30, 60);
    const e = await dataError(reviews(bad));
    expect(e.file).toMatch(/reviews_Books_5\.json\.gz$/);
    expect(e.message).toMatch(/gzip data is damaged/);
  });

  it('reviews: bytes that are not UTF-8', async () => {
    const e = await dataError(
      reviews(
        Buffer.from(
          gzipSync(
            Buffer.concat([
              Buffer.from('{"reviewerID": "A1", "asin": "B1", "overall": 5, "unixReviewTime": 1, "summary": "caf'),
              Buffer.from([0xe9, 0x22, 0x7d, 0x0a]),
            ]),
          ),
        ),
      ),
    );
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/not valid UTF-8/);
  });

  it('metadata: a Python literal with a nested quote', async () => {
    const e = await dataError(
      load({
        path: folder({
          'reviews_Books_5.json.gz': gz(JSON.stringify(REVIEWS_2014[0])),
          'meta_Books.json.gz': gz("{'asin': '0000000001', 'title': 'Ender's Game'}\n"),
        }),
      }),
    );
    expect(e.file).toMatch(/meta_Books\.json\.gz$/);
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/column 40: .* found "s Game.}"/);
    expect(e.fix).toMatch(/meta_Books\.json\.gz/);
  });

  it('KGAT: user_list.txt without its header line', async () => {
    const e = await dataError(
      load({
        variant: 'kgat',
        split: 'official',
        path: folder({
          'user_list.txt': 'A1 0\n',
          'item_list.txt': 'org_id remap_id freebase_id\nX 0 m.1\n',
          'train.txt': '0 0\n',
          'test.txt': '0 0\n',
        }),
      }),
    );
    expect(e.file).toMatch(/user_list\.txt$/);
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/expected the header line "org_id remap_id"/);
  });

  it('KGAT: an item id that item_list.txt does not have', async () => {
    const e = await dataError(
      load({
        variant: 'kgat',
        split: 'official',
        path: folder({
          'user_list.txt': 'org_id remap_id\nA1 0\n',
          'item_list.txt': 'org_id remap_id freebase_id\nX 0 m.1\n',
          'train.txt': '0 0\n0 0 5\n',
          'test.txt': '0 0\n',
        }),
      }),
    );
    expect(e.file).toMatch(/train\.txt$/);
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/item id 5 is not in item_list\.txt/);
  });

  it('KGAT: a comma-separated train.txt (wrong delimiter)', async () => {
    const e = await dataError(
      load({
        variant: 'kgat',
        split: 'official',
        path: folder({
          'user_list.txt': 'org_id remap_id\nA1 0\n',
          'item_list.txt': 'org_id remap_id freebase_id\nX 0 m.1\n',
          'train.txt': '0,0\n',
          'test.txt': '0 0\n',
        }),
      }),
    );
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/not a whole number/);
  });

  it('a missing file and the official split on a non-KGAT variant', async () => {
    const d = tmp();
    const e = await dataError(load({ variant: '2018-5core', path: d }));
    expect(e.file).toBe(join(d, 'Books_5.json.gz'));
    expect(e.fix).toContain('usersim datasets fetch amazon-books --variant 2018-5core');
    const f = await dataError(load({ variant: '2014-5core', split: 'official', path: d }));
    expect(f.message).toMatch(/exists only for the kgat variant/);
  });
});

describe.skipIf(KGAT === null)('amazon-books kgat files copied with metadata', () => {
  it('joins item_list ASINs with meta_Books.json.gz when it is in the folder', async () => {
    const d = tmp();
    for (const f of ['train.txt', 'test.txt', 'user_list.txt', 'item_list.txt'])
      copyFileSync(join(KGAT as string, f), join(d, f));
    writeFileSync(
      join(d, 'meta_Books.json.gz'),
      gz("{'asin': '0553092626', 'title': 'A Real Title', 'categories': [['Books', 'Fiction']]}\n"),
    );
    const ds = await load({ variant: 'kgat', path: d, split: 'official' });
    expect(ds.items.find((i) => i.id === '0553092626')).toEqual({
      id: '0553092626',
      title: 'A Real Title',
      genres: ['Fiction'],
    });
  });
});
