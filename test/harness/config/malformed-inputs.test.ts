/**
 * A corpus of malformed inputs: configs, option values, dataset files and CLI
 * arguments. Each must end as a configuration error (exit 2) with a one-line
 * message that names the file and the key or line, and never a stack trace.
 * Most cases run in process (load, plan, or a command function) and format the
 * error as the CLI prints it; a few run the real CLI to check that the error
 * classes really map to exit 2 and reach stderr as one line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../harness/cli/dispatch.js';
import { UsageError } from '../../../harness/cli/exit-codes.js';
import { ConfigError } from '../../../harness/config/config-error.js';
import { loadConfig } from '../../../harness/config/load.js';
import { DataError } from '../../../harness/data/data-error.js';
import { buildPlan } from '../../../harness/plan/build-plan.js';
import { RunError } from '../../../harness/runner/run-error.js';
import { cliProcess } from '../../support/cli-process.js';

const root = mkdtempSync(join(tmpdir(), 'usersim-malformed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };

// ---- configs ---------------------------------------------------------------

const DATASET = '{ plugin: synthetic-ratings, users: 20, items: 60, minRatings: 20, maxRatings: 25, minLiked: 5 }';
const METHOD = '{ plugin: popularity }';
const TASK = '{ task: preference-discrimination, ratios: [1] }';

/**
 * A config with known line numbers: the dataset entry is on line 6, the
 * method on line 8, the task on line 10, anything extra from line 11.
 */
function config(p: { dataset?: string; method?: string; task?: string; extra?: string; llm?: string } = {}): string {
  return [
    'name: corpus',
    'seed: 1',
    'report: { B: 200 }',
    p.llm ?? 'llm: { plugin: offline }',
    'datasets:',
    `  - ${p.dataset ?? DATASET}`,
    'methods:',
    `  - ${p.method ?? METHOD}`,
    'tasks:',
    `  - ${p.task ?? TASK}`,
    ...(p.extra ? [p.extra] : []),
    '',
  ].join('\n');
}

const ML1M = {
  'ml/movies.dat': '1::Toy Story (1995)::Animation|Comedy\n2::Jumanji (1995)::Adventure\n',
  'ml/users.dat': '1::F::1::10::48067\n2::M::56::16::70072\n',
};
const KAGGLE = {
  'steam/item_info.dat': 'Game_ID\tGame Name\n1\tSkyrim\n2\tFallout 4\n',
  'steam/user_info.dat': 'New_ID\tReal_ID\n1\t151603712\n',
  'steam/game_purchase.dat': 'User_ID\tGame_ID\tPurchase\n1\t1\t1.0\n1\t2\t1.0\n',
  'steam/game_play.dat': 'User_ID\tGame_ID\tHours\n1\t1\t273.0\n',
};

interface Case {
  readonly name: string;
  /** The config (c.yaml) and any other file of the case's folder. */
  readonly files: Readonly<Record<string, string>>;
  readonly sets?: readonly string[];
  readonly allowLocalPlugins?: boolean;
  /** The start of the one-line message: where (file:line:col, --set, data file:line) and which key. */
  readonly at: RegExp;
  /** What it must say (the cause or the fix). */
  readonly says: RegExp;
}

const c = (name: string, text: string, at: RegExp, says: RegExp, more: Partial<Case> = {}): Case => ({
  name,
  files: { 'c.yaml': text, ...(more.files ?? {}) },
  at,
  says,
  ...(more.sets ? { sets: more.sets } : {}),
  ...(more.allowLocalPlugins ? { allowLocalPlugins: true } : {}),
});

const CASES: Case[] = [
  // Structure and types, found by the loader.
  c('YAML that does not parse', 'name: corpus\nseed: [1, 2\n', /^c\.yaml:\d+:\d+: /, /YAML|flow|expected/i),
  c(
    'a tab in the indentation',
    'name: corpus\ndatasets:\n\t- { plugin: synthetic-ratings }\n',
    /^c\.yaml:3:\d+: /,
    /tab/i,
  ),
  c('a config that is a list', '- name: corpus\n', /^c\.yaml/, /mapping|object/i),
  c('an unknown top-level key', config({ extra: 'sed: 3' }), /^c\.yaml:11:1: sed: /, /unknown key "sed".*"seed"/),
  c('no name', config().replace('name: corpus\n', ''), /^c\.yaml(:\d+:\d+)?: \(top level\): /, /"name"/),
  c('a name with spaces', config().replace('name: corpus', 'name: my run'), /^c\.yaml:1:\d+: name: /, /pattern/),
  c('a seed that is text', config().replace('seed: 1', 'seed: abc'), /^c\.yaml:2:\d+: seed: /, /integer/),
  c('concurrency 0', config({ extra: 'concurrency: 0' }), /^c\.yaml:11:\d+: concurrency: /, />= 1/),
  c('costLimitUsd 0', config({ extra: 'costLimitUsd: 0' }), /^c\.yaml:11:\d+: costLimitUsd: /, /> 0|null/),
  c('a cache mode typo', config({ extra: 'cache: { mode: readonly }' }), /^c\.yaml:11:\d+: cache\.mode: /, /read-only/),
  c('repeated seeds', config({ extra: 'seeds: [1, 1]' }), /^c\.yaml:11:\d+: seeds: /, /duplicate/),
  c(
    'a negative price',
    config({ extra: 'prices: { m: { input: -1, output: 1 } }' }),
    /^c\.yaml:11:\d+: prices\.m\.input: /,
    />= 0/,
  ),
  c(
    'no datasets',
    config().replace(/datasets:\n {2}- .*\n/, 'datasets: []\n'),
    /^c\.yaml:5:\d+: datasets: /,
    /fewer than 1/,
  ),
  c(
    'an unknown dataset plugin',
    config({ dataset: '{ plugin: movielns }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.plugin: /,
    /"movielens"/,
  ),
  c(
    'an unknown dataset option',
    config({ dataset: '{ plugin: synthetic-ratings, user: 20 }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.user: /,
    /unknown key "user".*"users"/,
  ),
  c(
    'users below the minimum',
    config({ dataset: '{ plugin: synthetic-ratings, users: 1 }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.users: /,
    />= 2/,
  ),
  c(
    'items as text',
    config({ dataset: '{ plugin: synthetic-ratings, items: many }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.items: /,
    /integer/,
  ),
  c(
    'a split typo',
    config({ dataset: '{ plugin: synthetic-ratings, split: agent4rek }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.split: /,
    /"agent4rec"/,
  ),
  c(
    'a fraction above 1',
    config({ dataset: '{ plugin: synthetic-ratings, split: random, fractions: [1.5, 0, 0] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions\[0\]: /,
    /<= 1/,
  ),
  c(
    'two fractions',
    config({ dataset: '{ plugin: synthetic-ratings, split: random, fractions: [0.5, 0.5] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions: /,
    /fewer than 3/,
  ),
  c(
    'an unknown method plugin',
    config({ method: '{ plugin: popularty }' }),
    /^c\.yaml:8:\d+: methods\[0\]\.plugin: /,
    /"popularity"/,
  ),
  c(
    'an unknown method option',
    config({ method: '{ plugin: mf, factor: 4 }' }),
    /^c\.yaml:8:\d+: methods\[0\]\.factor: /,
    /"factors"/,
  ),
  c('an unknown task', config({ task: '{ task: ratings }' }), /^c\.yaml:10:\d+: tasks\[0\]\.task: /, /"rating"/),
  c(
    'an unknown task option',
    config({ task: '{ task: rating, maxitems: 3 }' }),
    /^c\.yaml:10:\d+: tasks\[0\]\.maxitems: /,
    /"maxItemsPerUser"/,
  ),
  c(
    'no ratios',
    config({ task: '{ task: preference-discrimination, ratios: [] }' }),
    /^c\.yaml:10:\d+: tasks\[0\]\.ratios: /,
    /fewer than 1/,
  ),
  c(
    'a task naming a method the config lacks',
    config({ task: '{ task: rating, methods: [popularty] }' }),
    /^c\.yaml:10:\d+: tasks\[0\]\.methods\[0\]: /,
    /not a method id.*"popularity"/,
  ),
  c(
    'a task methods: that is not a list',
    config({ task: '{ task: rating, methods: popularity }' }),
    /^c\.yaml:10:\d+: tasks\[0\]\.methods: /,
    /list of method ids/,
  ),
  c('${VAR} outside a secret field', config({ extra: 'output: ${OUT_DIR}' }), /^c\.yaml:11:\d+: output: /, /secret/),
  c(
    'two datasets with one id',
    config({ dataset: `${DATASET}\n  - ${DATASET}` }),
    /^c\.yaml:7:\d+: datasets\[1\]: /,
    /appears twice/,
  ),
  c(
    'a baseline that is no method',
    config().replace('report: { B: 200 }', 'report: { B: 200, baseline: mf }'),
    /^c\.yaml:3:\d+: report\.baseline: /,
    /not a method id/,
  ),
  c(
    'a missing reported-numbers file',
    config().replace('report: { B: 200 }', 'report: { B: 200, reported: paper.yaml }'),
    /^c\.yaml:3:\d+: report\.reported: /,
    /does not exist/,
  ),
  c(
    'extends: a missing file',
    `extends: base.yaml\n${config()}`,
    /^c\.yaml:1:10: extends: /,
    /base\.yaml does not exist/,
  ),
  c(
    'an extends cycle',
    `extends: b.yaml\n${config()}`,
    /^b\.yaml:1:10: extends: /,
    /cycle: c\.yaml → b\.yaml → c\.yaml/,
    { files: { 'b.yaml': 'extends: c.yaml\n' } },
  ),
  c(
    'an LLM method without llm:',
    config({ llm: '', method: '{ plugin: zero-shot }' }),
    /^c\.yaml:8:\d+: methods\[0\]: /,
    /calls an LLM.*llm:/,
  ),
  c(
    'a judge task without judge or llm',
    config({
      llm: '',
      dataset: '{ plugin: synthetic-sessions, users: 3, maxSessions: 5 }',
      method: '{ plugin: markov }',
      task: '{ task: opera-consistency }',
    }),
    /^c\.yaml:10:\d+: tasks\[0\]: /,
    /judge/,
  ),
  c(
    'recommender-evaluation without recommenders',
    config({ task: '{ task: recommender-evaluation }', method: '{ plugin: mf, factors: 2, epochs: 1 }' }),
    /^c\.yaml:10:\d+: tasks\[0\]: /,
    /recommenders:/,
  ),
  c(
    'recommender-evaluation naming an unknown recommender',
    config({
      task: '{ task: recommender-evaluation, recommenders: [popp] }',
      method: '{ plugin: mf, factors: 2, epochs: 1 }',
      extra: 'recommenders: [{ plugin: pop }]',
    }),
    /^c\.yaml:10:\d+: tasks\[0\]\.recommenders\[0\]: /,
    /"pop"/,
  ),
  c(
    'an unknown LLM runtime option',
    config({ llm: 'llm: { plugin: offline, maxConcurency: 2 }' }),
    /^c\.yaml:4:\d+: llm\.maxConcurency: /,
    /"maxConcurrency"/,
  ),
  c(
    'maxAttempts 0',
    config({ llm: 'llm: { plugin: offline, maxAttempts: 0 }' }),
    /^c\.yaml:4:\d+: llm\.maxAttempts: /,
    />= 1/,
  ),
  c(
    'a local plugin without --allow-local-plugins',
    config({ method: '{ plugin: ./m.ts }' }),
    /^c\.yaml:8:\d+: methods\[0\]\.plugin: /,
    /--allow-local-plugins/,
    { files: { 'm.ts': 'export default {};\n' } },
  ),
  c(
    'a local plugin file that is missing',
    config({ method: '{ plugin: ./nope.ts }' }),
    /^c\.yaml:8:\d+: methods\[0\]\.plugin: /,
    /not found/,
    { allowLocalPlugins: true },
  ),
  c('--set without =', config(), /^--set seed: /, /=/, { sets: ['seed'] }),
  c('--set with a wrong type', config(), /^--set seed=abc: seed: /, /integer/, { sets: ['seed=abc'] }),
  c('--set of an unknown option', config(), /^--set datasets\.0\.userz=3: datasets\[0\]\.userz: /, /"users"/, {
    sets: ['datasets.0.userz=3'],
  }),
  c('--set past the end of a list', config(), /^--set methods\.5\.plugin=mf: /, /index|list|entries/i, {
    sets: ['methods.5.plugin=mf'],
  }),

  // Options that contradict each other, found by the plugins' checks at load.
  c(
    'maxRatings below minRatings',
    config({ dataset: '{ plugin: synthetic-ratings, minRatings: 50, maxRatings: 10 }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.maxRatings: /,
    /below minRatings \(50\).*raise maxRatings/,
  ),
  c(
    'minRatings above items',
    config({ dataset: '{ plugin: synthetic-ratings, items: 20, minRatings: 30, maxRatings: 30 }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.minRatings: /,
    /above items \(20\)/,
  ),
  c(
    'minLiked above maxRatings',
    config({ dataset: '{ plugin: synthetic-ratings, minRatings: 10, maxRatings: 20, minLiked: 40 }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.minLiked: /,
    /keeps nobody/,
  ),
  c(
    'movielens fractions summing to 1.3',
    config({ dataset: '{ plugin: movielens, path: ./ml, fractions: [0.5, 0.6, 0.2] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions: /,
    /sum to 1\.3, not 1/,
  ),
  c(
    'fractions summing to 0.9',
    config({ dataset: '{ plugin: synthetic-ratings, split: random, fractions: [0.7, 0.1, 0.1] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions: /,
    /sum to 0\.9/,
  ),
  c(
    'no training fraction',
    config({ dataset: '{ plugin: synthetic-ratings, split: temporal, fractions: [0, 0.5, 0.5] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions\[0\]: /,
    /train fraction is 0/,
  ),
  c(
    'nothing held out',
    config({ dataset: '{ plugin: synthetic-ratings, split: random, fractions: [1, 0, 0] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions: /,
    /nothing is held out/,
  ),
  c(
    'fractions for leave-last-out',
    config({ dataset: '{ plugin: synthetic-ratings, split: leave-last-out, fractions: [0.8, 0.1, 0.1] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions: /,
    /takes no fractions/,
  ),
  c(
    'fractions for an official fold',
    config({ dataset: '{ plugin: movielens, path: ./ml, split: official-fold, fractions: [0.8, 0.1, 0.1] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions: /,
    /takes no fractions/,
  ),
  c(
    'an official fold of MovieLens-1M',
    config({ dataset: '{ plugin: movielens, variant: 1m, path: ./ml, split: official-fold }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.split: /,
    /only for MovieLens-100K/,
  ),
  c(
    "Amazon's official split without kgat",
    config({ dataset: '{ plugin: amazon-books, path: ./a, split: official }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.split: /,
    /only for the kgat variant/,
  ),
  c(
    'steam fractions summing to 1.1',
    config({ dataset: '{ plugin: steam, path: ./s, split: random, fractions: [0.8, 0.1, 0.2] }' }),
    /^c\.yaml:6:\d+: datasets\[0\]\.fractions: /,
    /sum to 1\.1/,
  ),
  c(
    'maxSessions below minSessions',
    config({
      dataset: '{ plugin: synthetic-sessions, minSessions: 6, maxSessions: 2 }',
      method: '{ plugin: markov }',
      task: '{ task: next-action }',
    }),
    /^c\.yaml:6:\d+: datasets\[0\]\.maxSessions: /,
    /below minSessions/,
  ),
  c(
    'a testFraction that holds out no session',
    config({
      dataset: '{ plugin: synthetic-sessions, maxSessions: 5, testFraction: 0.1 }',
      method: '{ plugin: markov }',
      task: '{ task: next-action }',
    }),
    /^c\.yaml:6:\d+: datasets\[0\]\.testFraction: /,
    /at least 0\.2/,
  ),
  c(
    'little tired after very tired',
    config({ method: '{ plugin: agent4rec, littleTiredAfter: 5, veryTiredAfter: 2 }' }),
    /^c\.yaml:8:\d+: methods\[0\]\.littleTiredAfter: /,
    /never be a little tired/,
  ),
  c(
    'a ratio listed twice',
    config({ task: '{ task: preference-discrimination, ratios: [1, 3, 1] }' }),
    /^c\.yaml:10:\d+: tasks\[0\]\.ratios\[2\]: /,
    /listed twice/,
  ),
  c(
    'a ratio that leaves no positive',
    config({ task: '{ task: preference-discrimination, ratios: [1, 30] }' }),
    /^c\.yaml:10:\d+: tasks\[0\]\.ratios\[1\]: /,
    /itemsPerUser \(20\) \/\/ \(30 \+ 1\) is 0/,
  ),
  c(
    'a back-off base above its cap',
    config({ llm: 'llm: { plugin: offline, backoffBaseMs: 5000, backoffCapMs: 100 }' }),
    /^c\.yaml:4:\d+: llm\.backoffBaseMs: /,
    /above backoffCapMs/,
  ),

  // Options that contradict the data, found by the plan once the dataset is loaded.
  c(
    'likedAbove 9 on a 1–5 scale',
    config({
      dataset: '{ plugin: synthetic-ratings, users: 20, items: 60, minRatings: 20, maxRatings: 25, likedAbove: 9 }',
    }),
    /^c\.yaml:6:\d+: datasets\[0\]\.likedAbove: /,
    /\(1–5\).*keeps nobody/,
  ),
  c(
    'likedAbove below the scale',
    config({
      dataset:
        '{ plugin: synthetic-ratings, users: 20, items: 60, minRatings: 20, maxRatings: 25, minLiked: 5, likedAbove: 0 }',
    }),
    /^c\.yaml:6:\d+: datasets\[0\]\.likedAbove: /,
    /every rating would count as liked/,
  ),
  c(
    'an MF like threshold of 7 on 1–5',
    config({ method: '{ plugin: mf, factors: 2, epochs: 1, likeThreshold: 7 }' }),
    /^c\.yaml:8:\d+: methods\[0\]\.likeThreshold: /,
    /above the rating scale/,
  ),
  c(
    'a recommender minRating of 6',
    config({
      method: '{ plugin: mf, factors: 2, epochs: 1 }',
      task: '{ task: recommender-evaluation }',
      extra: 'recommenders: [{ plugin: itemknn, minRating: 6 }]',
    }),
    /^c\.yaml:11:\d+: recommenders\[0\]\.minRating: /,
    /as a positive for training/,
  ),
  c(
    'a recommender-evaluation likeThreshold of 0',
    config({
      method: '{ plugin: mf, factors: 2, epochs: 1 }',
      task: '{ task: recommender-evaluation, likeThreshold: 0 }',
      extra: 'recommenders: [{ plugin: pop }]',
    }),
    /^c\.yaml:10:\d+: tasks\[0\]\.likeThreshold: /,
    /below the rating scale/,
  ),
  c(
    'options that leave no eligible user',
    config({
      dataset: '{ plugin: synthetic-ratings, users: 20, items: 60, minRatings: 55, maxRatings: 60, minLiked: 55 }',
    }),
    /^c\.yaml:10:\d+: tasks\[0\]: /,
    /no eligible unit.*no valid or test interaction/,
  ),
  c(
    'a sessions task on a ratings dataset',
    config({ method: '{ plugin: markov }', task: '{ task: next-action }' }),
    /^c\.yaml:\d+:\d+: (tasks\[0\]\.task|methods\[0\]): /,
    /sessions/,
  ),
  c(
    'a method that can run none of the tasks',
    config({ method: '{ plugin: markov }' }),
    /^c\.yaml:8:\d+: methods\[0\]: /,
    /can run none/,
  ),

  // Dataset files that do not parse: the loader's DataError names the data file and line.
  c(
    'ratings.dat separated by tabs',
    config({ dataset: '{ plugin: movielens, variant: 1m, path: ./ml }' }),
    /ratings\.dat:1: /,
    /tab/,
    { files: { ...ML1M, 'ml/ratings.dat': '1\t1\t5\t978300760\n' } },
  ),
  c(
    'a rating of 7 in ratings.dat',
    config({ dataset: '{ plugin: movielens, variant: 1m, path: ./ml }' }),
    /ratings\.dat:2: /,
    /rating 7/,
    { files: { ...ML1M, 'ml/ratings.dat': '1::1::5::978300760\n1::2::7::978300761\n' } },
  ),
  c(
    'a ratings.dat line with 3 fields',
    config({ dataset: '{ plugin: movielens, variant: 1m, path: ./ml }' }),
    /ratings\.dat:2: /,
    /found 3/,
    { files: { ...ML1M, 'ml/ratings.dat': '1::1::5::978300760\n2::1::4\n' } },
  ),
  c(
    'a rating that is not a number',
    config({ dataset: '{ plugin: movielens, variant: 1m, path: ./ml }' }),
    /ratings\.dat:1: /,
    /not a number/,
    { files: { ...ML1M, 'ml/ratings.dat': '1::1::five::978300760\n' } },
  ),
  c(
    'a movies.dat line with 2 fields',
    config({ dataset: '{ plugin: movielens, variant: 1m, path: ./ml }' }),
    /movies\.dat:2: /,
    /found 2/,
    {
      files: {
        ...ML1M,
        'ml/movies.dat': '1::Toy Story (1995)::Animation\n2::Jumanji\n',
        'ml/ratings.dat': '1::1::5::1\n',
      },
    },
  ),
  c(
    'a dataset folder that does not exist',
    config({ dataset: '{ plugin: movielens, variant: 1m, path: ./no-such-folder }' }),
    /no-such-folder/,
    /does not exist/,
  ),
  c(
    'a ratings.csv with the wrong header',
    config({ dataset: '{ plugin: movielens, variant: latest-small, path: ./ml }' }),
    /ratings\.csv:1: /,
    /userId,movieId,rating,timestamp/,
    {
      files: {
        'ml/movies.csv': 'movieId,title,genres\n1,Toy Story (1995),Animation\n',
        'ml/ratings.csv': 'user,movie,rating,timestamp\n1,1,4.0,964982703\n',
      },
    },
  ),
  c(
    'an Amazon ratings CSV with a tab-separated line',
    config({ dataset: '{ plugin: amazon-books, variant: 2014-ratings, kcore: 0, path: ./a }' }),
    /ratings_Books\.csv:2: /,
    /tab-separated/,
    { files: { 'a/ratings_Books.csv': 'A1,B1,5.0,1\nA2\tB2\t4.0\t2\n' } },
  ),
  c(
    'an Amazon ratings CSV with a header',
    config({ dataset: '{ plugin: amazon-books, variant: 2014-ratings, kcore: 0, path: ./a }' }),
    /ratings_Books\.csv:1: /,
    /header/,
    { files: { 'a/ratings_Books.csv': 'user,item,rating,timestamp\nA1,B1,5.0,1\n' } },
  ),
  c(
    'an Amazon rating of 7',
    config({ dataset: '{ plugin: amazon-books, variant: 2014-ratings, kcore: 0, path: ./a }' }),
    /ratings_Books\.csv:2: /,
    /rating 7/,
    { files: { 'a/ratings_Books.csv': 'A1,B1,5.0,1\nA1,B2,7.0,2\n' } },
  ),
  c(
    'Kaggle steam files written with commas',
    config({ dataset: '{ plugin: steam, variant: kaggle, path: ./steam }' }),
    /game_play\.dat:1: /,
    /not tab-separated/,
    { files: { ...KAGGLE, 'steam/game_play.dat': 'User_ID,Game_ID,Hours\n1,1,273.0\n' } },
  ),
  c(
    'a Kaggle steam file without its Hours column',
    config({ dataset: '{ plugin: steam, variant: kaggle, path: ./steam }' }),
    /game_play\.dat:1: /,
    /missing column "Hours"/,
    { files: { ...KAGGLE, 'steam/game_play.dat': 'User_ID\tGame_ID\n1\t1\n' } },
  ),
  c(
    'a Kaggle purchase of an unknown game',
    config({ dataset: '{ plugin: steam, variant: kaggle, path: ./steam }' }),
    /game_purchase\.dat:3: /,
    /Game_ID 99 is not in item_info\.dat/,
    { files: { ...KAGGLE, 'steam/game_purchase.dat': 'User_ID\tGame_ID\tPurchase\n1\t1\t1.0\n1\t99\t1.0\n' } },
  ),
];

/** What the CLI prints for an error that is the user's to fix (main.ts), or null for anything else (a bug: exit 1). */
function printed(command: string, e: unknown): string | null {
  if (e instanceof ConfigError || e instanceof UsageError || e instanceof RunError)
    return `usersim ${command}: ${e.message}`;
  if (e instanceof DataError) return `usersim ${command}: dataset error: ${e.message}`;
  return null;
}

function expectOneLine(out: string | null, what: string): asserts out is string {
  expect(out, `${what}: not a configuration error (exit 2)`).not.toBeNull();
  expect((out as string).split('\n'), `${what}: more than one line`).toHaveLength(1);
  expect(out, `${what}: a stack trace`).not.toMatch(/\n\s+at |\bat .*\.(ts|js):\d+/);
}

let n = 0;
function folderWith(files: Readonly<Record<string, string>>): string {
  const dir = join(root, `case-${++n}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('malformed configs, option values and dataset files', () => {
  it('the corpus is large enough', () => {
    expect(CASES.length + CLI_CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((k) => [k.name, k] as const))('%s', async (_name, k) => {
    const dir = folderWith(k.files);
    const error = await loadConfig(join(dir, 'c.yaml'), {
      sets: k.sets ?? [],
      allowLocalPlugins: k.allowLocalPlugins === true,
      env: {},
      displayBase: dir,
    })
      .then((cfg) => buildPlan(cfg, { log: quiet }))
      .then(
        () => null,
        (e: unknown) => e,
      );
    const out = printed('run', error);
    expectOneLine(out, k.name);
    const message = out.replace(/^usersim run: (dataset error: )?/, '');
    expect(message).toMatch(k.at);
    expect(message).toMatch(k.says);
  });
});

// ---- command-line arguments --------------------------------------------------

interface CliCase {
  readonly name: string;
  readonly command: string;
  readonly argv: readonly string[];
  readonly says: RegExp;
}

const CFG = join(root, 'cli.yaml');
writeFileSync(CFG, config());
const cli = (name: string, command: string, argv: string[], says: RegExp): CliCase => ({ name, command, argv, says });

const CLI_CASES: CliCase[] = [
  cli('--limit 0', 'run', [CFG, '--limit', '0'], /--limit needs a positive whole number, got "0"/),
  cli('--limit that is not a number', 'run', [CFG, '--limit', 'ten'], /--limit .*"ten"/),
  cli('--shard 3/2', 'run', [CFG, '--shard', '3/2'], /shard/),
  cli('--shard that is not i/n', 'run', [CFG, '--shard', 'half'], /shard.*half|i\/n/),
  cli('run without a config', 'run', [], /run needs exactly CONFIG \(got none\)/),
  cli('run with two configs', 'run', [CFG, CFG], /run needs exactly CONFIG \(got /),
  cli('a misspelt option', 'run', [CFG, '--frsh'], /--frsh.*usersim run --help/),
  cli('a --set without its value', 'run', [CFG, '--set'], /--set/),
  cli('validate a file that does not exist', 'validate', [join(root, 'missing.yaml')], /missing\.yaml/),
  cli('report in an unknown format', 'report', [root, '--format', 'pdf'], /--format must be one of .*"pdf"/),
  cli('report with 12 decimals', 'report', [root, '--decimals', '12'], /--decimals .*"12"/),
  cli('report of a folder without metrics.json', 'report', [root], /metrics\.json does not exist/),
  cli('cache prune with nothing to keep', 'cache', ['prune', '--cache', CFG], /--keep RESULTS_DIR.*--before/),
  cli(
    'cache prune --before that is not a date',
    'cache',
    ['prune', '--cache', CFG, '--before', 'yesterday'],
    /--before needs an ISO date.*"yesterday"/,
  ),
  cli('an unknown cache subcommand', 'cache', ['purge', '--cache', CFG], /unknown cache subcommand "purge"/),
  cli(
    'verify with a negative tolerance',
    'verify',
    [root, '--tolerance=-1'],
    /--tolerance needs a number ≥ 0, got "-1"/,
  ),
  cli(
    'an option value that starts with a dash',
    'verify',
    [root, '--tolerance', '-1'],
    /'--tolerance' argument is ambiguous.*--tolerance=-XYZ/,
  ),
  cli('fetch an unknown dataset', 'datasets', ['fetch', 'movielenz'], /unknown dataset "movielenz".*"movielens"/),
];

describe('malformed command-line arguments', () => {
  it.each(CLI_CASES.map((k) => [k.name, k] as const))('%s', async (_name, k) => {
    const out = { stdout: '', stderr: '' };
    const write = {
      stdout: process.stdout.write.bind(process.stdout),
      stderr: process.stderr.write.bind(process.stderr),
    };
    process.stdout.write = ((s: string) => ((out.stdout += s), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => ((out.stderr += s), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main([k.command, ...k.argv]);
    } finally {
      process.stdout.write = write.stdout;
      process.stderr.write = write.stderr;
    }
    expect(code, out.stderr).toBe(2);
    const lines = out.stderr.split('\n').filter((l) => l !== '' && !/^loading dataset /.test(l));
    expectOneLine(lines.join('\n'), k.name);
    expect(lines[0]).toMatch(new RegExp(`^usersim ${k.command.split(' ')[0]}`));
    expect(lines[0]).toMatch(k.says);
    expect(out.stdout).toBe('');
  });
});

// ---- the real CLI: exit 2 and one line on stderr -----------------------------

describe('through the CLI process', () => {
  it('config, option, data and argument errors all exit 2 with one line on stderr and no stack trace', async () => {
    const dir = folderWith({
      'a.yaml': config({ dataset: '{ plugin: synthetic-ratings, minRatings: 50, maxRatings: 10 }' }),
      'b.yaml': config({ dataset: '{ plugin: movielens, path: ./ml, fractions: [0.5, 0.6, 0.2] }' }),
      'c.yaml': config({
        dataset: '{ plugin: synthetic-ratings, users: 20, items: 60, minRatings: 20, maxRatings: 25, likedAbove: 9 }',
      }),
      'd.yaml': config({ dataset: '{ plugin: movielens, variant: 1m, path: ./ml }' }),
      'e.yaml': 'name: corpus\nseed: [1, 2\n',
      ...ML1M,
      'ml/ratings.dat': '1::1::5::978300760\n1::2::7::978300761\n',
    });
    const runs = await Promise.all([
      cliProcess(['run', 'a.yaml'], dir),
      cliProcess(['validate', 'b.yaml'], dir),
      cliProcess(['run', 'c.yaml'], dir),
      cliProcess(['run', 'd.yaml', '--quiet'], dir),
      cliProcess(['validate', 'e.yaml'], dir),
      cliProcess(['run', 'a.yaml', '--limit', '0'], dir),
    ]);
    const expected = [
      /^usersim run: a\.yaml:6:\d+: datasets\[0\]\.maxRatings: maxRatings \(10\) is below minRatings \(50\)/,
      /^usersim validate: b\.yaml:6:\d+: datasets\[0\]\.fractions: the train\/valid\/test fractions \[0\.5, 0\.6, 0\.2\] sum to 1\.3/,
      /^usersim run: c\.yaml:6:\d+: datasets\[0\]\.likedAbove: likedAbove \(9\)/,
      /^usersim run: dataset error: .*ratings\.dat:2: .*rating 7/,
      /^usersim validate: e\.yaml:\d+:\d+: /,
      /^usersim run: --limit needs a positive whole number, got "0"/,
    ];
    runs.forEach((r, k) => {
      const lines = r.stderr.split('\n').filter((l) => l !== '' && !/^loading dataset /.test(l));
      expect(r.status, r.stderr).toBe(2);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(expected[k] as RegExp);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }, 60_000);
});
