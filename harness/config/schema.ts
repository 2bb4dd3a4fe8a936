import { Type, type Static } from '@sinclair/typebox';

const PluginRef = (what: string) =>
  Type.String({
    minLength: 1,
    description: `Name of a built-in ${what} plugin (see \`usersim list\`), or ./path/to/plugin.ts with --allow-local-plugins.`,
  });

const Id = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'Row/folder label; defaults to the plugin name.',
});

export const LlmEntry = Type.Object(
  { plugin: PluginRef('llm') },
  { additionalProperties: true, description: 'LLM plugin and its options.' },
);

export const DatasetEntry = Type.Object(
  { plugin: PluginRef('dataset'), id: Type.Optional(Id) },
  { additionalProperties: true },
);

export const MethodEntry = Type.Object(
  { plugin: PluginRef('method'), id: Type.Optional(Id), llm: Type.Optional(LlmEntry) },
  { additionalProperties: true },
);

export const RecommenderEntry = Type.Object(
  { plugin: PluginRef('recommender'), id: Type.Optional(Id) },
  { additionalProperties: true },
);

export const TaskEntry = Type.Object(
  { task: Type.String({ minLength: 1, description: 'A standard task (see `usersim list tasks`).' }) },
  { additionalProperties: true },
);

export const ReportSection = Type.Object(
  {
    baseline: Type.Optional(
      Type.String({
        description: 'Method id every other method is compared with (paired tests); default: no comparisons.',
      }),
    ),
    test: Type.Union(
      [Type.Literal('paired-bootstrap'), Type.Literal('permutation'), Type.Literal('wilcoxon'), Type.Literal('t-test')],
      {
        default: 'paired-bootstrap',
        description:
          'Paired test of each method against the baseline, on the same units; its direction comes from the metric.',
      },
    ),
    correction: Type.Union([Type.Literal('holm'), Type.Literal('bh'), Type.Literal('none')], {
      default: 'holm',
      description: 'Multiple-testing correction across each table.',
    }),
    alpha: Type.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.05,
      description: 'Significance level for the † marks (after correction).',
    }),
    B: Type.Integer({ minimum: 100, default: 10_000, description: 'Bootstrap / permutation resamples.' }),
    level: Type.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.95,
      description: "Confidence level of every cell's interval.",
    }),
    ci: Type.Union([Type.Literal('percentile'), Type.Literal('bca')], {
      default: 'percentile',
      description: 'Bootstrap interval method.',
    }),
    reported: Type.Optional(
      Type.String({
        description:
          "YAML file of the paper's numbers (cells: dataset, task, method, metric, value), relative to the config.",
      }),
    ),
    formats: Type.Array(
      Type.Union([
        Type.Literal('txt'),
        Type.Literal('md'),
        Type.Literal('csv'),
        Type.Literal('tex'),
        Type.Literal('html'),
      ]),
      {
        default: ['txt', 'md', 'csv', 'tex', 'html'],
        description: 'Leaderboard files written into the results dir.',
      },
    ),
    decimals: Type.Integer({ minimum: 1, maximum: 6, default: 3, description: 'Digits after the point in tables.' }),
  },
  { additionalProperties: false, default: {} },
);

export const ConfigSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'Run name: results go to <output>/<name>/.',
    }),
    extends: Type.Optional(
      Type.String({ description: 'Path of a config this one builds on (deep-merged; this file wins).' }),
    ),
    description: Type.Optional(Type.String()),
    seed: Type.Integer({ default: 2024, description: 'Seed of every random choice (datasets, units, methods).' }),
    seeds: Type.Optional(
      Type.Array(Type.Integer(), {
        minItems: 1,
        uniqueItems: true,
        description: 'Repeat the whole grid per seed (overrides seed).',
      }),
    ),
    concurrency: Type.Integer({ minimum: 1, maximum: 1024, default: 8, description: 'Units in flight at once.' }),
    output: Type.String({
      default: 'results',
      description: 'Directory holding run folders, relative to the working directory.',
    }),
    llm: Type.Optional(LlmEntry),
    judge: Type.Optional(
      Type.Object(
        { plugin: PluginRef('llm') },
        {
          additionalProperties: true,
          description:
            'The LLM judge of tasks that need one (opera-consistency); default: the top-level llm. The same judge for every method.',
        },
      ),
    ),
    cache: Type.Object(
      {
        path: Type.String({
          default: '.cache/llm.sqlite',
          description: 'SQLite file of LLM responses (relative to the working directory); ship it with a paper.',
        }),
        mode: Type.Union([Type.Literal('read-write'), Type.Literal('read-only'), Type.Literal('off')], {
          default: 'read-write',
          description: 'read-only: use hits, never store; off: no cache. --cache-only makes every miss an error.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    costLimitUsd: Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()], {
      default: null,
      description: 'Stop the run cleanly (resumable) once LLM spend reaches this.',
    }),
    maxErrorRate: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.25,
      description:
        "Stop the run cleanly (resumable) when a cell's share of unit errors passes this, once 20 of its units are done (fit errors excepted); 1: never.",
    }),
    prices: Type.Record(
      Type.String(),
      Type.Object(
        {
          input: Type.Number({ minimum: 0 }),
          cachedInput: Type.Optional(Type.Number({ minimum: 0 })),
          output: Type.Number({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
      { default: {}, description: 'USD per million tokens by model, overriding harness/llm/prices.yaml.' },
    ),
    datasets: Type.Array(DatasetEntry, { minItems: 1 }),
    methods: Type.Array(MethodEntry, { minItems: 1 }),
    recommenders: Type.Optional(
      Type.Array(RecommenderEntry, {
        description:
          "Recommenders the recommender-evaluation task puts in front of the simulated users (fitted on each dataset's train split).",
      }),
    ),
    tasks: Type.Array(TaskEntry, { minItems: 1 }),
    report: ReportSection,
  },
  { additionalProperties: false },
);

export type RawConfig = Static<typeof ConfigSchema>;

/** Keys that change how a run goes but not what it computes: left out of the config hash. */
export const UNHASHED_KEYS = [
  'concurrency',
  'description',
  'report',
  'output',
  'cache',
  'costLimitUsd',
  'maxErrorRate',
  'prices',
] as const;
