import {
  DataError,
  defineDataset,
  Rng,
  sha256,
  splitOptionProperties,
  splitByOptions,
  Type,
  canonicalJson,
  type Interaction,
  type Item,
  type UserRecord,
  splitOptionIssues,
  splitDataIssues,
  type OptionIssue,
} from '../../../harness/plugin-api.js';
import { ADJECTIVES, GENRE_WORDS, GENRES, OCCUPATIONS } from './vocabulary.js';
import { GenreSetSampler } from './weighted-draws.js';

/**
 * Recorded in the dataset's checksums and part of the `generated` hash, so a
 * result says which generator made its data. 1: Efraimidis–Spirakis keys over
 * every item for every user. 2: the same distribution drawn by genre set and
 * alias table (GenreSetSampler); other random draws, so other data for the same seed.
 */
const GENERATOR_VERSION = 2;

const { users: _sampleSize, ...splitProperties } = splitOptionProperties;

const Options = Type.Object(
  {
    users: Type.Integer({ minimum: 2, default: 200, description: 'Users generated.' }),
    items: Type.Integer({ minimum: 10, default: 400, description: 'Items generated.' }),
    genres: Type.Integer({ minimum: 2, maximum: GENRES.length, default: 12, description: 'Genres in play.' }),
    minRatings: Type.Integer({ minimum: 3, default: 30, description: 'Fewest ratings per user.' }),
    maxRatings: Type.Integer({ minimum: 3, default: 60, description: 'Most ratings per user.' }),
    noise: Type.Number({ minimum: 0, default: 0.6, description: 'Standard deviation of rating noise (stars).' }),
    dataSeed: Type.Union([Type.Integer(), Type.Null()], {
      default: null,
      description: 'Seed of the generated world; null: the run seed.',
    }),
    split: Type.Union(
      [Type.Literal('agent4rec'), Type.Literal('random'), Type.Literal('leave-last-out'), Type.Literal('temporal')],
      {
        default: 'agent4rec',
        description: 'How interactions are split into train/valid/test.',
      },
    ),
    ...splitProperties,
    minLiked: Type.Integer({
      minimum: 0,
      default: 10,
      description: 'agent4rec split: a user needs this many ratings above likedAbove.',
    }),
  },
  { additionalProperties: false },
);

/**
 * A small world with known structure: users have latent tastes over genres,
 * items have genres, a quality and a popularity; users rate what they were
 * likely to pick, 1–5 from taste fit plus noise.
 */
export default defineDataset({
  name: 'synthetic-ratings',
  description:
    'Seeded synthetic ratings: latent genre tastes, generated titles and descriptions, 1–5 stars, timestamps.',
  options: Options,
  check(o) {
    const issues: OptionIssue[] = [];
    if (o.maxRatings < o.minRatings)
      issues.push({
        path: ['maxRatings'],
        message: `maxRatings (${o.maxRatings}) is below minRatings (${o.minRatings}): raise maxRatings to at least ${o.minRatings}, or lower minRatings`,
      });
    if (o.minRatings > o.items)
      issues.push({
        path: ['minRatings'],
        message: `minRatings (${o.minRatings}) is above items (${o.items}): a user cannot rate more items than there are; lower minRatings or raise items`,
      });
    if (o.split === 'agent4rec' && o.minLiked > o.maxRatings)
      issues.push({
        path: ['minLiked'],
        message: `minLiked (${o.minLiked}) is above maxRatings (${o.maxRatings}): no user rates that many items, so the agent4rec split keeps nobody; lower minLiked to at most ${o.maxRatings}`,
      });
    return [...issues, ...splitOptionIssues(o)];
  },
  checkDataset: (o, dataset) => splitDataIssues(o, dataset),
  choices: [
    'synthetic-ratings: users pick items with probability ∝ popularity × exp(taste fit), so held-out items are not uniform',
    `synthetic-ratings: generator ${GENERATOR_VERSION} draws a user's items without replacement by genre set, then by alias table within the set (O(genre sets + ratings) per user)`,
  ],
  async load(o, ctx) {
    if (o.maxRatings < o.minRatings)
      throw new DataError(
        'synthetic-ratings options',
        null,
        `maxRatings (${o.maxRatings}) is below minRatings (${o.minRatings})`,
        `raise maxRatings to at least ${o.minRatings}, or lower minRatings`,
      );
    const worldSeed = o.dataSeed ?? ctx.seed;
    const rng = Rng.derive(worldSeed, 'synthetic-ratings');
    const genres = GENRES.slice(0, o.genres);

    const items: Item[] = [];
    const itemGenres: number[][] = [];
    const quality: number[] = [];
    const popularity: number[] = [];
    const titles = new Set<string>();
    for (let i = 0; i < o.items; i++) {
      const k = 1 + rng.int(Math.min(3, genres.length));
      const gs = rng
        .sample(
          genres.map((_, j) => j),
          k,
        )
        .sort((a, b) => a - b);
      const main = genres[gs[0] as number] as string;
      const words = GENRE_WORDS[main] as { nouns: string[]; tones: string[]; subjects: string[] };
      let title = `The ${rng.pick(ADJECTIVES)} ${rng.pick(words.nouns)}`;
      if (titles.has(title)) title += ` ${['II', 'III', 'IV', 'Returns', 'Reborn'][rng.int(5)]}`;
      if (titles.has(title)) title += ` (${1970 + rng.int(55)})`;
      titles.add(title);
      items.push({
        id: String(i + 1),
        title,
        genres: gs.map((g) => genres[g] as string),
        description: `A ${rng.pick(words.tones)} ${main.toLowerCase()} about ${rng.pick(words.subjects)}.`,
      });
      itemGenres.push(gs);
      quality.push(rng.normal(0, 0.5));
      popularity.push(Math.exp(rng.normal(0, 1)));
    }

    const sampler = new GenreSetSampler(
      itemGenres,
      popularity.map((p, i) => p * Math.exp(quality[i] as number)),
    );
    const users: UserRecord[] = [];
    const interactions: Interaction[] = [];
    for (let u = 0; u < o.users; u++) {
      const id = String(u + 1);
      const taste = genres.map(() => rng.normal(0, 1));
      const bias = rng.normal(0, 0.3);
      users.push({ id, attributes: { age: 18 + rng.int(50), occupation: rng.pick(OCCUPATIONS) } });
      const n = Math.min(o.items, o.minRatings + rng.int(o.maxRatings - o.minRatings + 1));
      const picked = sampler.draw(rng, taste, n);
      let t = 1_500_000_000 + rng.int(50_000_000);
      for (const i of picked) {
        t += 60 + rng.int(7 * 86_400);
        const fit = (sampler.setMean[sampler.itemSet[i] as number] as number) + (quality[i] as number);
        const stars = Math.round(3 + 1.2 * (fit + bias) + rng.normal(0, o.noise));
        // The item's own id string: one string per item, not one per rating (issue 16: memory at 20,000 users).
        const item = (items[i] as Item).id;
        interactions.push({ user: id, item, rating: Math.min(5, Math.max(1, stars)), timestamp: t });
      }
    }

    // Every generated user is kept: the world's size is the users option.
    const split = splitByOptions(interactions, { ...o, users: null });
    return {
      kind: 'ratings',
      name: 'synthetic-ratings',
      users,
      items,
      scale: { min: 1, max: 5, step: 1 },
      split,
      checksums: {
        generated: sha256(canonicalJson({ worldSeed, options: o, generator: GENERATOR_VERSION })),
        generator: `synthetic-ratings ${GENERATOR_VERSION}`,
      },
      choices: [],
    };
  },
});
