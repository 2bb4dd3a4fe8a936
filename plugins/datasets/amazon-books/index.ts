import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataError,
  datasetFolder,
  defineDataset,
  InteractionTable,
  kCore,
  splitOptionProperties,
  splitByOptions,
  Type,
  type Interaction,
  type Item,
  type RatingsSplit,
  splitOptionIssues,
  splitDataIssues,
} from '../../../harness/plugin-api.js';
import { AMAZON_DOWNLOADS, AMAZON_FILES } from './downloads.js';
import { readKgat } from './kgat.js';
import { bookItem, readMetadata } from './metadata.js';
import { readRatingsCsv } from './ratings-csv.js';
import { readReviews } from './reviews.js';

const Options = Type.Object(
  {
    variant: Type.Union(
      [Type.Literal('2014-5core'), Type.Literal('2014-ratings'), Type.Literal('2018-5core'), Type.Literal('kgat')],
      {
        default: '2014-5core',
        description:
          '2014-5core (reviews_Books_5.json.gz), 2014-ratings (ratings_Books.csv), 2018-5core (Books_5.json.gz), kgat (KGAT amazon-book, implicit).',
      },
    ),
    path: Type.Optional(
      Type.String({
        description:
          'Folder with the files as published, relative to the config file; omit it to use the copy "usersim datasets fetch amazon-books" put in datasets/cache.',
      }),
    ),
    metadata: Type.Boolean({
      default: true,
      description: 'Read meta_Books.json.gz from the folder (when there) for titles, categories and descriptions.',
    }),
    kcore: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
      default: null,
      description:
        'k-core filter, repeated until every user and item has ≥ k interactions; 0 disables; null: 5 for 2014-ratings, none for files already k-cored by their publishers (5-core, kgat).',
    }),
    split: Type.Union(
      [
        Type.Literal('agent4rec'),
        Type.Literal('random'),
        Type.Literal('leave-last-out'),
        Type.Literal('temporal'),
        Type.Literal('official'),
      ],
      {
        default: 'agent4rec',
        description: 'agent4rec, random, leave-last-out, temporal, or official (kgat: its train.txt/test.txt).',
      },
    ),
    ...splitOptionProperties,
  },
  { additionalProperties: false },
);

export default defineDataset({
  name: 'amazon-books',
  description:
    'Amazon Books (McAuley lab): 2014 ratings-only CSV, 2014/2018 5-core reviews, KGAT amazon-book; item metadata; k-core filtering; shared splits.',
  options: Options,
  check(o) {
    if (o.split === 'official' && o.variant !== 'kgat')
      return [
        {
          path: ['split'],
          message: `split "official" exists only for the kgat variant (its train.txt/test.txt), not ${o.variant}: use split: agent4rec, random, leave-last-out or temporal, or variant: kgat`,
        },
      ];
    return splitOptionIssues(o);
  },
  checkDataset: (o, dataset) => splitDataIssues(o, dataset),
  downloads: AMAZON_DOWNLOADS,
  choices: [
    'amazon-books: k-core filtering is repeated until every user and item has at least k interactions (default 5 on ratings-only files; 5-core and KGAT files are used as released)',
    "amazon-books: the papers' user sampling is not public; the Agent4Rec protocol is used",
    'amazon-books: KGAT pairs are implicit (no scale: the rating task shows n/a) and undated (timestamp 0)',
    'amazon-books: genres are the metadata category paths without the root "Books"; descriptions are cut at 600 characters; items without metadata are titled "Amazon book <ASIN>"',
  ],
  async load(o, ctx) {
    const variant = o.variant;
    const dir = datasetFolder({
      plugin: 'amazon-books',
      variant,
      path: o.path,
      configDir: ctx.configDir,
      downloads: AMAZON_DOWNLOADS,
    });
    const checksums: Record<string, string> = {};
    const need = (name: string) => {
      const p = join(dir, name);
      if (!existsSync(p))
        throw new DataError(
          p,
          null,
          `the ${variant} file ${name} is missing`,
          `put ${name} (named as published) in ${dir}, or run "npx usersim datasets fetch amazon-books --variant ${variant}"`,
        );
      return p;
    };
    if (o.split === 'official' && variant !== 'kgat') {
      throw new DataError(
        dir,
        null,
        `split "official" exists only for the kgat variant (its train.txt/test.txt), not ${variant}`,
        'use split: agent4rec, random, leave-last-out or temporal',
      );
    }

    let split: RatingsSplit;
    let total: number;
    // The catalogue: every item left after filtering, not only those of the sampled users.
    const catalogue = new Set<string>();
    if (variant === 'kgat') {
      const f = AMAZON_FILES.kgat;
      for (const name of [f.train, f.test, f.users, f.items]) need(name);
      const data = await readKgat(dir);
      Object.assign(checksums, data.checksums);
      let train = data.train;
      let test = data.test;
      const k = o.kcore ?? 0;
      if (k > 0) {
        const table = new InteractionTable();
        for (const x of train) table.add(x.user, x.item, null, 0);
        for (const x of test) table.add(x.user, x.item, null, 0);
        const { keep } = kCore(table, k);
        const nTrain = data.train.length;
        train = data.train.filter((_, row) => keep[row] === 1);
        test = data.test.filter((_, row) => keep[nTrain + row] === 1);
      }
      total = train.length + test.length;
      for (const x of train) catalogue.add(x.item);
      for (const x of test) catalogue.add(x.item);
      split =
        o.split === 'official' ? { name: 'official', train, valid: [], test } : splitByOptions([...train, ...test], o);
    } else {
      const table = new InteractionTable();
      const file = variant === '2014-ratings' ? AMAZON_FILES['2014-ratings'].ratings : AMAZON_FILES[variant].reviews;
      const r =
        variant === '2014-ratings' ? await readRatingsCsv(need(file), table) : await readReviews(need(file), table);
      checksums[file] = r.sha256;
      const k = o.kcore ?? (variant === '2014-ratings' ? 5 : 0);
      const core = k > 0 ? kCore(table, k) : null;
      const keep = core ? core.keep : table.all();
      if (core)
        ctx.log.info(
          `amazon-books ${variant}: ${k}-core keeps ${core.rows} of ${table.length} interactions (${core.users} users, ${core.items} items, ${core.passes} passes)`,
        );
      // agent4rec keeps only users with enough liked items: make objects for those alone.
      let all: Interaction[];
      if (o.split === 'agent4rec') {
        const liked = table.likedCounts(keep, o.likedAbove);
        all = table.toInteractions(keep, (u) => (liked[u] as number) >= o.minLiked);
      } else {
        all = table.toInteractions(keep);
      }
      total = core ? core.rows : table.length;
      for (let row = 0; row < table.length; row++)
        if (keep[row] === 1) catalogue.add(table.itemIds[table.itemOf(row)] as string);
      split = splitByOptions(all, o);
    }

    const wanted = catalogue;
    const userIds = new Set<string>();
    for (const part of [split.train, split.valid, split.test, split.excluded ?? []])
      for (const x of part) userIds.add(x.user);
    let meta = new Map<string, Item>();
    const metaFile = join(dir, AMAZON_FILES[variant].metadata);
    if (o.metadata && existsSync(metaFile)) {
      const m = await readMetadata(metaFile, wanted);
      meta = m.items;
      checksums[AMAZON_FILES[variant].metadata] = m.read.sha256;
    } else if (o.metadata) {
      ctx.log.warn(
        `amazon-books: no ${AMAZON_FILES[variant].metadata} in ${dir}: items have no titles or categories (only ASINs)`,
      );
    }
    const items = [...wanted].sort().map((asin) => meta.get(asin) ?? bookItem(asin, null));
    ctx.log.info(
      `amazon-books ${variant}: ${total} interactions; split ${split.name}: ${split.train.length}/${split.valid.length}/${split.test.length}; ${items.length} items (${meta.size} with metadata)`,
    );
    return {
      kind: 'ratings',
      name: `amazon-books-${variant}`,
      users: [...userIds].sort().map((id) => ({ id, attributes: {} })),
      items,
      scale: variant === 'kgat' ? null : { min: 1, max: 5, step: 1 },
      split,
      checksums,
      choices: [],
    };
  },
});
