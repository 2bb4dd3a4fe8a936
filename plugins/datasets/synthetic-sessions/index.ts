import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataError,
  datasetsCacheDir,
  noteDataFolder,
  DEFAULT_OBSERVATION_CHARS,
  defineDataset,
  hashJson,
  Type,
  type OptionIssue,
} from '../../../harness/plugin-api.js';
import { loadOpera, OPERA_CHOICES } from '../opera/load-opera.js';
import { writeOperaTables } from './opera-tables.js';

/** Bump when the generator's output changes, so that cached worlds are regenerated. */
const GENERATOR_VERSION = 1;
const DONE = 'generated.json';

const Options = Type.Object(
  {
    users: Type.Integer({ minimum: 1, default: 20, description: 'Shoppers generated.' }),
    minSessions: Type.Integer({ minimum: 1, default: 3, description: 'Fewest sessions per shopper.' }),
    maxSessions: Type.Integer({ minimum: 1, default: 12, description: 'Most sessions per shopper.' }),
    testFraction: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.2,
      description: "Share of each shopper's latest sessions in the test split.",
    }),
    dataSeed: Type.Union([Type.Integer(), Type.Null()], {
      default: null,
      description: 'Seed of the generated world; null: the run seed.',
    }),
    observationChars: Type.Union([Type.Integer({ minimum: 500 }), Type.Null()], {
      default: DEFAULT_OBSERVATION_CHARS,
      description: "Budget of an observation's text per step, as the opera loader's (null: none).",
    }),
  },
  { additionalProperties: false },
);

/**
 * OPeRA-shaped sessions with no download: a seeded generator writes the user,
 * session and action tables as Parquet in OPeRA's Hugging Face layout into
 * datasets/cache/synthetic-sessions/<hash>/ (once per seed and options), and
 * the opera plugin's loader reads them back, so every session pipeline runs
 * offline on files in the real format.
 */
export default defineDataset({
  name: 'synthetic-sessions',
  description:
    'Seeded synthetic OPeRA: shoppers with survey personas and sessions (13 click types, rationales, purchases) written as OPeRA Parquet, loaded by the opera loader.',
  options: Options,
  check(o) {
    const issues: OptionIssue[] = [];
    if (o.maxSessions < o.minSessions)
      issues.push({
        path: ['maxSessions'],
        message: `maxSessions (${o.maxSessions}) is below minSessions (${o.minSessions}): raise maxSessions to at least ${o.minSessions}, or lower minSessions`,
      });
    // A shopper's test sessions are floor(sessions × testFraction): below one even for the busiest, nothing is held out.
    else if (Math.floor(o.maxSessions * o.testFraction) === 0)
      issues.push({
        path: ['testFraction'],
        message: `testFraction (${o.testFraction}) puts no session in the test split: even a shopper with maxSessions (${o.maxSessions}) sessions gets floor(${o.maxSessions} × ${o.testFraction}) = 0; raise testFraction to at least ${Math.ceil(1000 / o.maxSessions) / 1000}`,
      });
    return issues;
  },
  choices: [
    ...OPERA_CHOICES,
    'synthetic-sessions: shoppers have research/thrift/impulse/buyer traits that shape both their survey answers and their choices; each session searches one product line of a generated shop',
  ],
  async load(o, ctx) {
    if (o.maxSessions < o.minSessions)
      throw new DataError(
        'synthetic-sessions options',
        null,
        `maxSessions (${o.maxSessions}) is below minSessions (${o.minSessions})`,
        `raise maxSessions to at least ${o.minSessions}, or lower minSessions`,
      );
    const seed = o.dataSeed ?? ctx.seed;
    const { observationChars, ...world } = o;
    const key = hashJson({ generator: GENERATOR_VERSION, seed, world });
    const dir = join(datasetsCacheDir(), 'synthetic-sessions', key.slice(0, 16));
    noteDataFolder(dir);
    if (!existsSync(join(dir, DONE))) {
      const tmp = `${dir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true });
      const out = writeOperaTables(tmp, {
        users: o.users,
        minSessions: o.minSessions,
        maxSessions: o.maxSessions,
        testFraction: o.testFraction,
        seed,
      });
      writeFileSync(
        join(tmp, DONE),
        `${JSON.stringify({ generator: GENERATOR_VERSION, seed, options: world, files: out.files, sessions: out.sessions.length }, null, 2)}\n`,
      );
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
      ctx.log.info(`synthetic-sessions: generated ${out.sessions.length} sessions of ${o.users} shoppers into ${dir}`);
    }
    const d = await loadOpera(dir, {
      version: 'filtered',
      observationChars,
      unknownClickType: 'error',
      log: ctx.log,
      name: 'synthetic-sessions',
    });
    return { ...d, checksums: { ...d.checksums, generated: key } };
  },
});
