import { join } from 'node:path';
import {
  DataError,
  datasetFolder,
  defineDataset,
  Type,
  type Interaction,
  type Item,
  type PublishedProfile,
  type TraitLevel,
  type UserRecord,
} from '../../../harness/plugin-api.js';
import { parseCsvRecords, readRaw, type RawFile } from '../movielens/parse.js';
import { AGENT4REC_COMMIT, AGENT4REC_DOWNLOADS } from './downloads.js';

const Options = Type.Object(
  {
    path: Type.Optional(
      Type.String({
        description:
          'Folder laid out as Agent4Rec\'s datasets/ml-1m (cf_data/, simulation/, raw_data/), relative to the config file; omit it to use the copy "usersim datasets fetch agent4rec-ml1m" put in datasets/cache.',
      }),
    ),
  },
  { additionalProperties: false },
);

const SCALE = { min: 1, max: 5, step: 1 } as const;

/** `user item item …` lines (cf_data/*.txt): the user's items in the file's order. */
function parseUserLists(file: RawFile, fix: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  file.text.split('\n').forEach((line, k) => {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === '') return;
    if (!fields.every((f) => /^\d+$/.test(f)))
      throw new DataError(file.path, k + 1, 'expected "user item item …" with integer ids', fix);
    const [user, ...items] = fields as [string, ...string[]];
    if (out.has(user)) throw new DataError(file.path, k + 1, `user ${user} has a second line`, fix);
    out.set(user, items);
  });
  return out;
}

function level(value: string | undefined, file: string, line: number, column: string, fix: string): TraitLevel {
  if (value === '1' || value === '2' || value === '3') return Number(value) as TraitLevel;
  throw new DataError(file, line, `${column} is ${JSON.stringify(value)}, not a level 1, 2 or 3`, fix);
}

/**
 * Agent4Rec's own MovieLens-1M evaluation data (LehengTHU/Agent4Rec @ f4ee73e,
 * datasets/ml-1m): exactly its 1,000 users, items and 40/30/30 split. See README.md.
 */
export default defineDataset({
  name: 'agent4rec-ml1m',
  description:
    "Agent4Rec's released MovieLens-1M evaluation data: its 1,000 users and published train/valid/test split, items with mean rating and summary, released traits and tastes; training ratings where agg_top_25.csv has them.",
  options: Options,
  downloads: AGENT4REC_DOWNLOADS,
  choices: [
    'agent4rec-ml1m: the published split has no ratings; training interactions take their 1–5 rating from agg_top_25.csv (up to 25 per user) and are otherwise unrated (null), held-out ones are unrated, so the rating task has nothing to score',
    'agent4rec-ml1m: no timestamps are published; a training interaction is dated by its position in train.txt (the order Agent4Rec wrote, itself a random sample), so "most recent" means "last in the file"',
    "agent4rec-ml1m: item text = title, genres and the one-sentence summary of movie_detail.csv; its mean rating (over all of MovieLens-1M, as Agent4Rec shows it) is the item's published meanRating",
  ],
  async load(o, ctx) {
    const dir = datasetFolder({
      plugin: 'agent4rec-ml1m',
      variant: 'f4ee73e',
      path: o.path,
      configDir: ctx.configDir,
      downloads: AGENT4REC_DOWNLOADS,
    });
    const fix = `point path: at a folder with Agent4Rec's datasets/ml-1m files (cf_data/, simulation/, raw_data/), from https://github.com/LehengTHU/Agent4Rec/tree/${AGENT4REC_COMMIT}/datasets/ml-1m, or run "npx usersim datasets fetch agent4rec-ml1m"`;
    const files: RawFile[] = [];
    const read = (name: string) => {
      const f = readRaw(join(dir, name), 'utf8', fix);
      files.push(f);
      return f;
    };

    const detailFile = read('simulation/movie_detail.csv');
    const items: Item[] = parseCsvRecords(detailFile, ['movie_id', 'title', 'genres', 'rating', 'summary'], fix).map(
      (r, k) => {
        const mean = Number(r['rating']);
        if (!/^\d+$/.test(r['movie_id'] ?? '') || !Number.isFinite(mean))
          throw new DataError(detailFile.path, k + 2, 'movie_id must be an integer and rating a number', fix);
        const summary = (r['summary'] ?? '').trim();
        return {
          id: r['movie_id'] as string,
          title: (r['title'] as string).trim(),
          genres: (r['genres'] ?? '').split('|').filter((g) => g !== ''),
          ...(summary ? { description: summary } : {}),
          meanRating: mean,
        };
      },
    );
    const itemIds = new Set(items.map((i) => i.id));
    const byTitle = new Map(items.map((i) => [i.title, i.id]));

    const parts = {
      train: parseUserLists(read('cf_data/train.txt'), fix),
      valid: parseUserLists(read('cf_data/valid.txt'), fix),
      test: parseUserLists(read('cf_data/test.txt'), fix),
    };
    for (const [part, lists] of Object.entries(parts))
      for (const [user, list] of lists)
        for (const item of list)
          if (!itemIds.has(item))
            throw new DataError(
              join(dir, `cf_data/${part}.txt`),
              null,
              `user ${user} has item ${item}, which movie_detail.csv does not list`,
              fix,
            );

    // Ratings and demographics of the training movies agg_top_25.csv lists, matched to items by title.
    const aggFile = read('raw_data/agg_top_25.csv');
    const ratings = new Map<string, Map<string, number>>();
    const attributes = new Map<string, Record<string, string>>();
    let unmatched = 0;
    parseCsvRecords(
      aggFile,
      ['user_id', 'movie_title_list', 'rating_list', 'gender', 'age', 'occupation'],
      fix,
    ).forEach((r, k) => {
      const user = r['user_id'] as string;
      const titles = (r['movie_title_list'] ?? '').split('; ');
      const stars = (r['rating_list'] ?? '').split('; ').map(Number);
      if (titles.length !== stars.length || stars.some((s) => !Number.isInteger(s) || s < 1 || s > 5))
        throw new DataError(
          aggFile.path,
          k + 2,
          `user ${user}: ${titles.length} titles but ${stars.length} ratings, or a rating outside 1–5`,
          fix,
        );
      const m = new Map<string, number>();
      titles.forEach((t, j) => {
        const id = byTitle.get(t.trim());
        if (id === undefined) unmatched++;
        else m.set(id, stars[j] as number);
      });
      ratings.set(user, m);
      attributes.set(user, {
        gender: String(r['gender']).toLowerCase(),
        age: r['age'] as string,
        occupation: r['occupation'] as string,
      });
    });

    const statFile = read('simulation/user_statistic.csv');
    const traits = new Map<string, NonNullable<PublishedProfile['traits']>>();
    parseCsvRecords(statFile, ['user_id', 'activity', 'diversity', 'conformity'], fix).forEach((r, k) => {
      const at = (c: string) => level(r[c], statFile.path, k + 2, c, fix);
      traits.set(r['user_id'] as string, {
        activity: at('activity'),
        diversity: at('diversity'),
        conformity: at('conformity'),
      });
    });
    // all_personas_like.csv has no id column: row k is user k (Agent4Rec reads it by position).
    const tastes = parseCsvRecords(read('simulation/all_personas_like.csv'), ['taste'], fix).map((r) =>
      (r['taste'] ?? '')
        .split('|')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );

    const userIds = [...parts.train.keys()];
    const users: UserRecord[] = userIds.map((id) => {
      const published: PublishedProfile = {
        ...(traits.has(id) ? { traits: traits.get(id) } : {}),
        ...((tastes[Number(id)]?.length ?? 0) > 0 ? { taste: tastes[Number(id)] } : {}),
      };
      return { id, attributes: attributes.get(id) ?? {}, published };
    });

    const interactions = (lists: Map<string, string[]>, rated: boolean): Interaction[] =>
      [...lists].flatMap(([user, list]) =>
        list.map((item, k) => ({
          user,
          item,
          rating: rated ? (ratings.get(user)?.get(item) ?? null) : null,
          timestamp: k,
        })),
      );
    const split = {
      name: 'agent4rec-published',
      train: interactions(parts.train, true),
      valid: interactions(parts.valid, false),
      test: interactions(parts.test, false),
    };
    const ratedTrain = split.train.filter((x) => x.rating !== null).length;
    ctx.log.info(
      `agent4rec-ml1m: ${users.length} users, ${items.length} items; published split ${split.train.length}/${split.valid.length}/${split.test.length}; ${ratedTrain} training interactions rated (agg_top_25.csv)`,
    );
    return {
      kind: 'ratings',
      name: 'agent4rec-ml1m',
      users,
      items,
      scale: SCALE,
      split,
      checksums: Object.fromEntries(files.map((f) => [f.path.slice(dir.length + 1), f.sha256])),
      choices: [],
      counts: {
        ratedTrainingInteractions: ratedTrain,
        unratedTrainingInteractions: split.train.length - ratedTrain,
        aggTop25TitlesUnmatched: unmatched,
        usersWithReleasedTraits: users.filter((u) => u.published?.traits).length,
        usersWithReleasedTaste: users.filter((u) => u.published?.taste).length,
      },
    };
  },
});
