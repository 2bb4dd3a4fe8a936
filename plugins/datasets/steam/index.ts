import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DataError,
  datasetFolder,
  defineDataset,
  kCore,
  noteDataFolder,
  splitOptionProperties,
  splitByOptions,
  Type,
  type Interaction,
  type Item,
  type UserRecord,
  splitOptionIssues,
  splitDataIssues,
} from '../../../harness/plugin-api.js';
import { deriveRatings, describeRule } from './derive-rating.js';
import { STEAM_DOWNLOADS, STEAM_FILES } from './downloads.js';
import { gameItem, readSteamGames } from './games.js';
import { readKaggle } from './kaggle.js';
import { SteamRows } from './steam-rows.js';
import { readAustralian } from './ucsd-v1.js';
import { readSteamReviews } from './ucsd-v2.js';

const Options = Type.Object(
  {
    variant: Type.Union([Type.Literal('v2'), Type.Literal('v1'), Type.Literal('kaggle')], {
      default: 'v2',
      description:
        'v2 (UCSD steam_reviews, SASRec), v1 (UCSD australian_users_items + australian_user_reviews), kaggle (steam-200k, CaseRecommender files).',
    }),
    path: Type.Optional(
      Type.String({
        description:
          'Folder with the files as published, relative to the config file; omit it to use the copy "usersim datasets fetch steam" put in datasets/cache.',
      }),
    ),
    metadata: Type.Boolean({
      default: true,
      description: 'Read steam_games.json.gz (from the folder, or games:) for titles, genres, tags and features.',
    }),
    games: Type.Optional(
      Type.String({
        description:
          'steam_games.json.gz elsewhere (relative to the config file), e.g. to give the Kaggle games genres by title.',
      }),
    ),
    rating: Type.Union([Type.Literal('playtime'), Type.Literal('implicit')], {
      default: 'playtime',
      description:
        'playtime: derive 1–5 stars from play time and recommendation (ours, see choices); implicit: no ratings (the rating task shows n/a).',
    }),
    recommendBonus: Type.Integer({
      minimum: 0,
      maximum: 2,
      default: 1,
      description: 'Stars a recommendation adds and a non-recommendation removes.',
    }),
    minItemPlayers: Type.Integer({
      minimum: 1,
      default: 10,
      description: 'Games with fewer players of known play time use the quintiles of all players.',
    }),
    kcore: Type.Integer({
      minimum: 0,
      default: 5,
      description: 'k-core filter, repeated until every user and game has ≥ k interactions; 0 disables.',
    }),
    split: Type.Union(
      [Type.Literal('agent4rec'), Type.Literal('random'), Type.Literal('leave-last-out'), Type.Literal('temporal')],
      {
        default: 'agent4rec',
        description: 'agent4rec, random, leave-last-out, temporal.',
      },
    ),
    ...splitOptionProperties,
  },
  { additionalProperties: false },
);

export default defineDataset({
  name: 'steam',
  description:
    'Steam games: UCSD v2 reviews (hours), v1 Australian users (play time + recommendations), Kaggle steam-200k; 1–5 rating derived from play time (ours).',
  options: Options,
  check: (o) => splitOptionIssues(o),
  checkDataset: (o, dataset) => splitDataIssues(o, dataset),
  downloads: STEAM_DOWNLOADS,
  choices: [
    'steam: Steam has no stars; the plugin derives 1–5 from play time quintiles per game and the recommendation (options rating, recommendBonus, minItemPlayers; the exact rule is in the dataset choices)',
    "steam: 5-core filtering (kcore) as for Amazon; the papers' user sampling is not public, the Agent4Rec protocol is used",
    'steam v1: every owned game is an interaction (playtime_forever minutes → hours); a review adds its recommendation and date; unreviewed games and reviews without a year are undated (timestamp 0)',
    'steam kaggle: each purchased game is one interaction, hours summed from the play rows (0 when never played); no dates (timestamp 0)',
    'steam: genres are steam_games genres (tags when a game has none); the description lists tags, features, developer, release date and price',
  ],
  async load(o, ctx) {
    const variant = o.variant;
    let dir = datasetFolder({
      plugin: 'steam',
      variant,
      path: o.path,
      configDir: ctx.configDir,
      downloads: STEAM_DOWNLOADS,
    });
    const need = (name: string) => {
      const p = join(dir, name);
      if (!existsSync(p))
        throw new DataError(
          p,
          null,
          `the steam ${variant} file ${name} is missing`,
          `put ${name} (named as published) in ${dir}, or run "npx usersim datasets fetch steam --variant ${variant}"`,
        );
      return p;
    };
    const rows = new SteamRows();
    const checksums: Record<string, string> = {};
    let kaggleUsers: UserRecord[] | null = null;
    let kaggleTitles: Map<string, string> | null = null;
    if (variant === 'v2') {
      checksums[STEAM_FILES.v2.reviews] = (await readSteamReviews(need(STEAM_FILES.v2.reviews), rows)).sha256;
    } else if (variant === 'v1') {
      const r = await readAustralian(need(STEAM_FILES.v1.items), need(STEAM_FILES.v1.reviews), rows);
      checksums[STEAM_FILES.v1.items] = r.items.sha256;
      checksums[STEAM_FILES.v1.reviews] = r.reviews.sha256;
    } else {
      dir = kaggleFolder(dir);
      for (const name of Object.values(STEAM_FILES.kaggle)) need(name);
      const k = await readKaggle(dir, rows);
      Object.assign(checksums, k.checksums);
      kaggleUsers = k.users;
      kaggleTitles = k.titles;
    }
    if (rows.length === 0)
      throw new DataError(
        dir,
        null,
        `no interactions found in the steam ${variant} files`,
        'check that the files are complete',
      );

    const rule = { recommendBonus: o.recommendBonus, minItemPlayers: o.minItemPlayers };
    if (o.rating === 'playtime') deriveRatings(rows, rule);
    const table = rows.table;
    const core = o.kcore > 0 ? kCore(table, o.kcore) : null;
    const keep = core ? core.keep : table.all();
    if (core)
      ctx.log.info(
        `steam ${variant}: ${o.kcore}-core keeps ${core.rows} of ${table.length} interactions (${core.users} users, ${core.items} games)`,
      );
    let all: Interaction[];
    if (o.split === 'agent4rec') {
      const liked = table.likedCounts(keep, o.likedAbove);
      all = table.toInteractions(keep, (u) => (liked[u] as number) >= o.minLiked);
    } else {
      all = table.toInteractions(keep);
    }
    const split = splitByOptions(all, o);

    const catalogue = new Set<string>();
    for (let row = 0; row < table.length; row++)
      if (keep[row] === 1) catalogue.add(table.itemIds[table.itemOf(row)] as string);
    const gamesPath = o.games ? resolve(ctx.configDir, o.games) : join(dir, STEAM_FILES.games);
    if (o.games) noteDataFolder(gamesPath);
    if (o.games && !existsSync(gamesPath))
      throw new DataError(
        gamesPath,
        null,
        'the games: file does not exist',
        'give the path of steam_games.json.gz relative to the config file, or leave games: out',
      );
    let games: Map<string, Item> | null = null;
    if (o.metadata && existsSync(gamesPath)) {
      const g = await readSteamGames(gamesPath);
      games = g.byId;
      checksums[STEAM_FILES.games] = g.read.sha256;
    } else if (o.metadata && variant !== 'kaggle') {
      ctx.log.warn(`steam: no ${STEAM_FILES.games} in ${dir}: games have no titles or genres (only app ids)`);
    }
    const items = [...catalogue]
      .sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map((id) => itemFor(id, games, kaggleTitles));

    const userIds = new Set<string>();
    for (const part of [split.train, split.valid, split.test, split.excluded ?? []])
      for (const x of part) userIds.add(x.user);
    const byId = new Map((kaggleUsers ?? []).map((u) => [u.id, u]));
    const users = [...userIds].sort().map((id) => byId.get(id) ?? { id, attributes: {} });
    ctx.log.info(
      `steam ${variant}: ${core ? core.rows : table.length} interactions; split ${split.name}: ${split.train.length}/${split.valid.length}/${split.test.length}; ${items.length} games`,
    );
    return {
      kind: 'ratings',
      name: `steam-${variant}`,
      users,
      items,
      scale: o.rating === 'playtime' ? { min: 1, max: 5, step: 1 } : null,
      split,
      checksums,
      choices: o.rating === 'playtime' ? [describeRule(rule)] : ['steam rating: implicit (no stars derived)'],
    };
  },
});

/** The CaseRecommender zip may unpack into a sub-folder: use it when the files are there. */
function kaggleFolder(dir: string): string {
  if (existsSync(join(dir, STEAM_FILES.kaggle.purchases))) return dir;
  const subs = readdirSync(dir).filter(
    (d) => statSync(join(dir, d)).isDirectory() && existsSync(join(dir, d, STEAM_FILES.kaggle.purchases)),
  );
  return subs.length === 1 ? join(dir, subs[0] as string) : dir;
}

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

let titleIndexFor: Map<string, Item> | null = null;
let titleIndex = new Map<string, Item>();

/** The item text: steam_games by app id (v1, v2); Kaggle games by title, matched to steam_games when possible. */
function itemFor(id: string, games: Map<string, Item> | null, kaggleTitles: Map<string, string> | null): Item {
  if (!kaggleTitles) return games?.get(id) ?? gameItem(id, null);
  const title = kaggleTitles.get(id) ?? `Steam game ${id}`;
  if (games) {
    if (titleIndexFor !== games) {
      titleIndex = new Map();
      for (const g of games.values()) if (!titleIndex.has(normalise(g.title))) titleIndex.set(normalise(g.title), g);
      titleIndexFor = games;
    }
    const g = titleIndex.get(normalise(title));
    if (g) return { ...g, id, title };
  }
  return { id, title, genres: [] };
}
