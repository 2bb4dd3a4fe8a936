import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import steam from '../../../plugins/datasets/steam/index.ts';
import { deriveRatings, quintileCuts } from '../../../plugins/datasets/steam/derive-rating.ts';
import { readSteamGames, type SteamGames } from '../../../plugins/datasets/steam/games.ts';
import { readKaggle } from '../../../plugins/datasets/steam/kaggle.ts';
import { SteamRows } from '../../../plugins/datasets/steam/steam-rows.ts';
import { forEachRecord } from '../../../harness/data/record-lines.ts';
import type { RatingsDataset } from '../../../harness/data/types.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { sharedDataset } from '../../support/shared-data.ts';
import { allInteractions, dataError, gz, tempFolders } from '../../support/data-files.js';

type Options = Parameters<typeof steam.load>[0];
const ctx = () => ({ seed: 1, rng: new Rng(1), configDir: '/', log: { info() {}, warn() {} } });
const options = (o: Partial<Options>): Options => ({
  variant: 'v2',
  metadata: true,
  rating: 'playtime',
  recommendBonus: 1,
  minItemPlayers: 10,
  kcore: 0,
  split: 'random',
  users: null,
  splitSeed: 101,
  minLiked: 20,
  likedAbove: 3,
  fractions: [1, 0, 0],
  ...o,
});
const load = async (o: Partial<Options>) => {
  const d = await steam.load(options(o), ctx());
  if (d.kind !== 'ratings') throw new Error('ratings expected');
  return d;
};
const all = allInteractions;
const rating = (d: RatingsDataset, user: string, item: string) =>
  all(d).find((x) => x.user === user && x.item === item)?.rating;

const { folder } = tempFolders('usersim-steam-');

const UCSD = sharedDataset('steam/ucsd');
const KAGGLE = sharedDataset('steam/kaggle-steam-video-games-caserec');

describe.skipIf(UCSD === null)('steam UCSD metadata (real files)', () => {
  let games: SteamGames;
  beforeAll(async () => {
    games = await readSteamGames(join(UCSD as string, 'steam_games.json.gz'));
  });

  it('steam_games.json.gz parses completely: 32,135 records, 32,132 distinct ids (MANIFEST.md)', () => {
    expect(games.records).toBe(32_135);
    expect(games.byId.size).toBe(32_132);
    expect(games.read.lines).toBe(32_135);
    expect(games.read.sha256).toBe('717f4653a26585fec8f463f59311a654127c2ed66b07b9f78b4c0ce64961c740');
  });

  it('games get the uniform title / genres / description', () => {
    expect(games.byId.get('761140')).toEqual({
      id: '761140',
      title: 'Lost Summoner Kitty',
      genres: ['Action', 'Casual', 'Indie', 'Simulation', 'Strategy'],
      description:
        'Tags: Strategy, Action, Indie, Casual, Simulation. Features: Single-player. Developer: Kotoshiro. Released 2018-01-04. Price $4.99.',
    });
    expect(games.byId.get('377160')?.title).toBe('Fallout 4');
    expect([...games.byId.values()].every((g) => g.title.trim() !== '')).toBe(true);
  });

  it('bundle_data.json.gz (the other UCSD file) parses with the same reader: 615 bundles', async () => {
    let n = 0;
    const ids = new Set<string>();
    await forEachRecord(
      join(UCSD as string, 'bundle_data.json.gz'),
      (r) => {
        n++;
        ids.add(String(r['bundle_id']));
      },
      { fix: 'x' },
    );
    expect(n).toBe(615);
    expect(ids.size).toBe(615);
  });
});

describe.skipIf(KAGGLE === null)('steam kaggle steam-200k (real files)', () => {
  let d: RatingsDataset;
  beforeAll(async () => {
    d = await load({
      variant: 'kaggle',
      path: KAGGLE as string,
      ...(UCSD ? { games: join(UCSD, 'steam_games.json.gz') } : {}),
    });
  });

  it('129,511 purchase rows and 70,489 play rows; 12,393 users and 5,155 games (MANIFEST.md)', async () => {
    const k = await readKaggle(KAGGLE as string, new SteamRows());
    expect(k.purchaseRows).toBe(129_511);
    expect(k.playRows).toBe(70_489);
    expect(k.users.length).toBe(12_393);
    expect(k.titles.size).toBe(5_155);
    expect(k.users[0]).toEqual({ id: '1', attributes: { steamId: '151603712' } });
  });

  it('each purchased game is one interaction: 128,804 distinct user–game pairs, all 12,393 users and 5,155 games', () => {
    expect(all(d).length).toBe(128_804);
    expect(d.users.length).toBe(12_393);
    expect(d.items.length).toBe(5_155);
    expect(d.items.find((i) => i.id === '1')?.title).toBe('The Elder Scrolls V Skyrim');
  });

  it('derived ratings are 1–5 on the 1-star scale, and never-played purchases are the lowest bin', () => {
    expect(d.scale).toEqual({ min: 1, max: 5, step: 1 });
    const hist = new Map<number, number>();
    for (const x of all(d)) hist.set(x.rating as number, (hist.get(x.rating as number) ?? 0) + 1);
    expect([...hist.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    // user 1 bought and played Skyrim 273 h, one of the heaviest players of it
    expect(rating(d, '1', '1')).toBeGreaterThanOrEqual(4);
    expect(d.choices[0]).toMatch(/quintile of log\(1 \+ hours played\)/);
  });

  it.skipIf(UCSD === null)('Kaggle games are matched by title to steam_games for genres', () => {
    expect(d.items.find((i) => i.title === 'Fallout 4')?.genres).toEqual(['RPG']);
  });

  it('rating: implicit gives no scale', async () => {
    const implicit = await load({ variant: 'kaggle', path: KAGGLE as string, rating: 'implicit' });
    expect(implicit.scale).toBeNull();
    expect(all(implicit).every((x) => x.rating === null)).toBe(true);
  });
});

describe('steam rating derivation (ours)', () => {
  it('quintiles of log play time per game; a recommendation moves one star; unknown hours count 3', () => {
    const rows = new SteamRows();
    // Game A: 10 players with 1..512 hours: per-game quintiles.
    for (let k = 0; k < 10; k++) rows.add(`u${k}`, 'A', 0, 2 ** k - 1, null);
    rows.add('x', 'A', 0, 1000, false); // top bin (5) minus a non-recommendation → 4
    rows.add('y', 'A', 0, 0, true); // bottom bin (1) plus a recommendation → 2
    rows.add('z', 'A', 0, null, true); // unknown hours (3) plus recommendation → 4
    deriveRatings(rows, { recommendBonus: 1, minItemPlayers: 10 });
    const r = rows.table.toInteractions(rows.table.all());
    expect(r.slice(0, 10).map((x) => x.rating)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(r.slice(10).map((x) => x.rating)).toEqual([4, 2, 4]);
  });

  it("games with fewer than minItemPlayers players use everyone's quintiles", () => {
    const rows = new SteamRows();
    for (let k = 0; k < 20; k++) rows.add(`u${k}`, 'Big', 0, k * 10, null);
    rows.add('solo', 'Small', 0, 190, null);
    deriveRatings(rows, { recommendBonus: 2, minItemPlayers: 5 });
    expect(rows.table.ratingOf(20)).toBe(5);
  });

  it('quintileCuts interpolates', () => {
    expect(quintileCuts([0, 1, 2, 3, 4, 5])).toEqual([1, 2, 3, 4]);
  });
});

describe('steam UCSD v1 and v2 formats (files written by the test)', () => {
  const v2Lines = [
    "{u'username': u'Chaos Syren', u'hours': 0.1, u'products': 41, u'product_id': u'725280', u'page_order': 0, u'date': u'2017-12-17', u'text': u'This would not be acceptable as an entertainment even back in the day', u'early_access': False, u'page': 1}",
    "{u'username': u'Ann', u'user_id': u'76561197970982479', u'hours': 120.5, u'product_id': u'725280', u'date': u'2018-01-02', u'text': u'it\\'s \"great\"', u'early_access': False}",
    "{u'username': u'Bob', u'product_id': u'10', u'date': u'2016-05-01', u'text': u'no hours here'}",
  ];

  it('v2: user_id when present, else the username; hours optional; dates to Unix seconds', async () => {
    const d = await load({ path: folder({ 'steam_reviews.json.gz': gz(v2Lines.join('\n')) }), minItemPlayers: 1 });
    const rows = [...all(d)].sort((a, b) => a.timestamp - b.timestamp);
    expect(rows.map((x) => [x.user, x.item, x.timestamp])).toEqual([
      ['Bob', '10', Date.UTC(2016, 4, 1) / 1000],
      ['Chaos Syren', '725280', Date.UTC(2017, 11, 17) / 1000],
      ['76561197970982479', '725280', Date.UTC(2018, 0, 2) / 1000],
    ]);
    expect(rows[0]?.rating).toBe(3);
    expect(d.items.map((i) => i.title)).toEqual(['Steam app 10', 'Steam app 725280']);
  });

  it('v1: owned games with play time, reviews add recommendation and date, reviewed-but-unowned games still count', async () => {
    const items =
      "{'user_id': 'u1', 'items_count': 2, 'steam_id': '1', 'user_url': 'x', 'items': [{'item_id': '10', 'item_name': 'Counter-Strike', 'playtime_forever': 600, 'playtime_2weeks': 0}, {'item_id': '20', 'item_name': 'Day of Defeat', 'playtime_forever': 0, 'playtime_2weeks': 0}]}\n" +
      "{'user_id': 'u2', 'items_count': 1, 'steam_id': '2', 'user_url': 'y', 'items': [{'item_id': '10', 'item_name': 'Counter-Strike', 'playtime_forever': 6, 'playtime_2weeks': 0}]}\n";
    const reviews =
      "{'user_id': 'u1', 'user_url': 'x', 'reviews': [{'funny': '', 'posted': 'Posted November 5, 2011.', 'last_edited': '', 'item_id': '10', 'helpful': 'No ratings yet', 'recommend': True, 'review': 'Simple yet great'}]}\n" +
      "{'user_id': 'u2', 'user_url': 'y', 'reviews': [{'posted': 'Posted July 15.', 'item_id': '30', 'recommend': False, 'review': 'no'}]}\n";
    const d = await load({
      variant: 'v1',
      path: folder({ 'australian_users_items.json.gz': gz(items), 'australian_user_reviews.json.gz': gz(reviews) }),
    });
    expect(all(d).length).toBe(4);
    const r10 = all(d).find((x) => x.user === 'u1' && x.item === '10');
    expect(r10?.timestamp).toBe(Date.UTC(2011, 10, 5) / 1000);
    expect(rating(d, 'u1', '20')).toBe(1);
    expect(rating(d, 'u2', '30')).toBe(2); // unknown hours (3) minus a non-recommendation
    expect(all(d).find((x) => x.item === '30')?.timestamp).toBe(0);
  });

  it('offers the shared splits and 5-core filtering', async () => {
    const lines: string[] = [];
    for (let u = 0; u < 8; u++)
      for (let g = 0; g < 25; g++)
        lines.push(
          `{u'user_id': u'U${u}', u'username': u'n', u'hours': ${(u * 7 + g * 3) % 50}, u'product_id': u'${100 + ((u + g) % 30)}', u'date': u'2017-0${1 + (g % 9)}-1${g % 10}'}`,
        );
    const path = folder({ 'steam_reviews.json.gz': gz(lines.join('\n')) });
    for (const split of ['agent4rec', 'random', 'leave-last-out', 'temporal'] as const) {
      const d = await load({ path, split, kcore: 5, minLiked: 5, fractions: undefined, minItemPlayers: 3 });
      expect(d.split.name).toBe(split);
      expect(d.split.test.length).toBeGreaterThan(0);
    }
  });
});

describe('steam: malformed inputs are DataErrors naming the file, the line and the fix', () => {
  const kaggleFiles = (over: Record<string, string>) =>
    folder({
      'item_info.dat': 'Game_ID\tGame Name\n1\tSkyrim\n2\tFallout 4\n',
      'user_info.dat': 'New_ID\tReal_ID\n1\t151603712\n',
      'game_purchase.dat': 'User_ID\tGame_ID\tPurchase\n1\t1\t1.0\n1\t2\t1.0\n',
      'game_play.dat': 'User_ID\tGame_ID\tHours\n1\t1\t273.0\n',
      ...over,
    });

  it('Kaggle files written with commas (wrong delimiter)', async () => {
    const e = await dataError(
      load({ variant: 'kaggle', path: kaggleFiles({ 'game_play.dat': 'User_ID,Game_ID,Hours\n1,1,273.0\n' }) }),
    );
    expect(e.file).toMatch(/game_play\.dat$/);
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/not tab-separated/);
  });

  it('Kaggle file with a missing column', async () => {
    const e = await dataError(
      load({ variant: 'kaggle', path: kaggleFiles({ 'game_play.dat': 'User_ID\tGame_ID\n1\t1\n' }) }),
    );
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/missing column "Hours"/);
    expect(e.fix).toMatch(/tab-separated, with a header line/);
  });

  it('Kaggle purchase of a game item_info.dat does not list', async () => {
    const e = await dataError(
      load({
        variant: 'kaggle',
        path: kaggleFiles({ 'game_purchase.dat': 'User_ID\tGame_ID\tPurchase\n1\t1\t1.0\n1\t99\t1.0\n' }),
      }),
    );
    expect(e.file).toMatch(/game_purchase\.dat$/);
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/Game_ID 99 is not in item_info\.dat/);
  });

  it('v2: a Python literal with a nested quote (a username with an apostrophe written unescaped)', async () => {
    const e = await dataError(
      load({
        path: folder({
          'steam_reviews.json.gz': gz(
            "{u'username': u'ok', u'product_id': u'1'}\n{u'username': u'O'Brien', u'product_id': u'2'}\n",
          ),
        }),
      }),
    );
    expect(e.file).toMatch(/steam_reviews\.json\.gz$/);
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/column 19: .*found "Brien/);
  });

  it('v2: a review without product_id', async () => {
    const e = await dataError(
      load({ path: folder({ 'steam_reviews.json.gz': gz("{u'username': u'a', u'hours': 1.0}\n") }) }),
    );
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/missing field "product_id"/);
  });

  it('v2: a date that is not YYYY-MM-DD', async () => {
    const e = await dataError(
      load({
        path: folder({
          'steam_reviews.json.gz': gz("{u'username': u'a', u'product_id': u'1', u'date': u'17/12/2017'}\n"),
        }),
      }),
    );
    expect(e.message).toMatch(/"date" is "17\/12\/2017", not YYYY-MM-DD/);
  });

  it('v1: a user without "items"; a review whose recommend is not True/False', async () => {
    const reviewsOk = gz("{'user_id': 'u1', 'reviews': []}\n");
    const e = await dataError(
      load({
        variant: 'v1',
        path: folder({
          'australian_users_items.json.gz': gz("{'user_id': 'u1', 'items_count': 0}\n"),
          'australian_user_reviews.json.gz': reviewsOk,
        }),
      }),
    );
    expect(e.file).toMatch(/australian_users_items\.json\.gz$/);
    expect(e.message).toMatch(/missing field "items"/);
    const f = await dataError(
      load({
        variant: 'v1',
        path: folder({
          'australian_users_items.json.gz': gz("{'user_id': 'u1', 'items': []}\n"),
          'australian_user_reviews.json.gz': gz(
            "{'user_id': 'u1', 'reviews': [{'item_id': '1', 'recommend': 'yes'}]}\n",
          ),
        }),
      }),
    );
    expect(f.message).toMatch(/"recommend" is "yes", not True or False/);
  });

  it('a truncated steam_games.json.gz', async () => {
    const full = gz("{u'id': u'1', u'app_name': u'A'}\n".repeat(20_000));
    const e = await dataError(
      load({
        path: folder({
          'steam_reviews.json.gz': gz("{u'username': u'a', u'product_id': u'1'}\n"),
          'steam_games.json.gz': full.subarray(0, full.length - 100),
        }),
      }),
    );
    expect(e.file).toMatch(/steam_games\.json\.gz$/);
    expect(e.message).toMatch(/gzip data is damaged or cut short/);
  });
});
