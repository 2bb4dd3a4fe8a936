import { join } from 'node:path';
import {
  DataError,
  datasetFolder,
  defineDataset,
  splitOptionProperties,
  splitByOptions,
  Type,
  type Interaction,
  type Item,
  type RatingsSplit,
  type UserRecord,
  splitOptionIssues,
  splitDataIssues,
} from '../../../harness/plugin-api.js';
import { MOVIELENS_DOWNLOADS } from './downloads.js';
import { parseCsvRecords, parseDelimited, parseRatingLines, readRaw, type RawFile } from './parse.js';
import { ML1M_AGES, ML1M_OCCUPATIONS, VARIANTS, type Variant } from './variants.js';

const Options = Type.Object(
  {
    variant: Type.Union([Type.Literal('100k'), Type.Literal('1m'), Type.Literal('latest-small')], {
      default: '100k',
      description: 'MovieLens release.',
    }),
    path: Type.Optional(
      Type.String({
        description:
          'Folder with the unpacked release (u.data…, ratings.dat…, or ratings.csv…), relative to the config file; omit it to use the copy "usersim datasets fetch movielens" put in datasets/cache.',
      }),
    ),
    split: Type.Union(
      [
        Type.Literal('agent4rec'),
        Type.Literal('official-fold'),
        Type.Literal('random'),
        Type.Literal('leave-last-out'),
        Type.Literal('temporal'),
      ],
      {
        default: 'agent4rec',
        description: 'agent4rec, official-fold (100k u1–u5), random, leave-last-out, temporal.',
      },
    ),
    fold: Type.Integer({ minimum: 1, maximum: 5, default: 1, description: 'official-fold: which of u1…u5.' }),
    ...splitOptionProperties,
  },
  { additionalProperties: false },
);

export default defineDataset({
  name: 'movielens',
  description:
    'GroupLens MovieLens 100K, 1M and latest-small, from path: or a copy fetched with "usersim datasets fetch movielens"; splits agent4rec, official-fold, random, leave-last-out, temporal.',
  options: Options,
  check(o) {
    if (o.split === 'official-fold' && o.variant !== '100k')
      return [
        {
          path: ['split'],
          message: `split "official-fold" exists only for MovieLens-100K (u1…u5), not ${o.variant}: use split: agent4rec, random, leave-last-out or temporal, or variant: 100k`,
        },
      ];
    return splitOptionIssues(o);
  },
  checkDataset: (o, dataset) => splitDataIssues(o, dataset),
  downloads: MOVIELENS_DOWNLOADS,
  choices: ['movielens: items have no plot text; the description is the release date where the file gives one'],
  async load(o, ctx) {
    const variant = o.variant as Variant;
    const spec = VARIANTS[variant];
    const dir = datasetFolder({
      plugin: 'movielens',
      variant,
      path: o.path,
      configDir: ctx.configDir,
      downloads: MOVIELENS_DOWNLOADS,
    });
    const fix = `point path: at the unpacked ml-${variant} folder (download ${spec.url} and unzip it, or run "npx usersim datasets fetch movielens --variant ${variant}")`;
    const files: RawFile[] = [];
    const read = (name: string) => {
      const f = readRaw(join(dir, name), spec.encoding, fix);
      files.push(f);
      return f;
    };

    let items: Item[];
    let users: UserRecord[];
    let all: Interaction[];
    if (variant === '100k') {
      const genreNames = parseDelimited(read('u.genre'), '|', 2, fix).map((r) => r.fields[0] as string);
      items = parseDelimited(read('u.item'), '|', 24, fix).map(({ line, fields }) => {
        const flags = fields.slice(5);
        if (flags.length !== genreNames.length)
          throw new DataError(
            join(dir, 'u.item'),
            line,
            `${flags.length} genre flags but u.genre lists ${genreNames.length}`,
            fix,
          );
        return {
          id: fields[0] as string,
          title: fields[1] as string,
          genres: genreNames.filter((_, k) => flags[k] === '1'),
          ...(fields[2] ? { description: `Released ${fields[2]}.` } : {}),
        };
      });
      users = parseDelimited(read('u.user'), '|', 5, fix).map(({ fields }) => ({
        id: fields[0] as string,
        attributes: {
          age: Number(fields[1]),
          gender: fields[2] === 'F' ? 'female' : 'male',
          occupation: fields[3] as string,
        },
      }));
      all = parseRatingLines(read('u.data'), '\t', spec.scale);
    } else if (variant === '1m') {
      items = parseDelimited(read('movies.dat'), '::', 3, fix).map(({ fields }) => ({
        id: fields[0] as string,
        title: fields.slice(1, -1).join('::'),
        genres: (fields[fields.length - 1] as string).split('|').filter((g) => g !== ''),
      }));
      users = parseDelimited(read('users.dat'), '::', 5, fix).map(({ fields }) => ({
        id: fields[0] as string,
        attributes: {
          gender: fields[1] === 'F' ? 'female' : 'male',
          age: ML1M_AGES[fields[2] as string] ?? (fields[2] as string),
          occupation: ML1M_OCCUPATIONS[Number(fields[3])] ?? 'other',
        },
      }));
      all = parseRatingLines(read('ratings.dat'), '::', spec.scale);
    } else {
      items = parseCsvRecords(read('movies.csv'), ['movieId', 'title', 'genres']).map((r) => ({
        id: r['movieId'] as string,
        title: r['title'] as string,
        genres: (r['genres'] as string).split('|').filter((g) => g !== '' && g !== '(no genres listed)'),
      }));
      const ratingsFile = read('ratings.csv');
      const header = ratingsFile.text.slice(0, ratingsFile.text.indexOf('\n')).trim();
      if (header !== 'userId,movieId,rating,timestamp') {
        throw new DataError(
          ratingsFile.path,
          1,
          `unexpected header ${JSON.stringify(header)}`,
          'use the original ml-latest-small ratings.csv (header userId,movieId,rating,timestamp)',
        );
      }
      all = parseRatingLines(ratingsFile, ',', spec.scale, 1);
      users = [...new Set(all.map((x) => x.user))].map((id) => ({ id, attributes: {} }));
    }

    let split: RatingsSplit;
    if (o.split === 'official-fold') {
      if (variant !== '100k')
        throw new DataError(
          dir,
          null,
          `split "official-fold" exists only for MovieLens-100K (u1…u5), not ${variant}`,
          'use split: agent4rec, random, leave-last-out or temporal',
        );
      const train = parseRatingLines(read(`u${o.fold}.base`), '\t', spec.scale);
      const test = parseRatingLines(read(`u${o.fold}.test`), '\t', spec.scale);
      split = { name: `official-fold-u${o.fold}`, train, valid: [], test };
    } else {
      split = splitByOptions(all, o);
    }
    ctx.log.info(
      `movielens ${variant}: ${all.length} ratings, ${users.length} users, ${items.length} items; split ${split.name}: ${split.train.length}/${split.valid.length}/${split.test.length}`,
    );
    return {
      kind: 'ratings',
      name: `movielens-${variant}`,
      users,
      items,
      scale: spec.scale,
      split,
      checksums: Object.fromEntries(files.map((f) => [f.path.slice(dir.length + 1), f.sha256])),
      choices: [],
    };
  },
});
