/**
 * The CLI's one definition: every command, its arguments and flags. The
 * parser (args.ts), `--help` (help.ts) and the README's CLI section
 * (readme-section.ts) are all made from it, so they cannot drift apart.
 * This module imports nothing, so `usersim --help` loads no command code.
 */

export interface FlagSpec {
  /** Long name without the dashes: `--retry-errors` is "retry-errors". */
  readonly name: string;
  readonly short?: string;
  /** Placeholder of the flag's value (`--limit N`); absent for a boolean flag. */
  readonly value?: string;
  /** May be given more than once; the values are collected in order. */
  readonly repeatable?: boolean;
  readonly help: string;
}

export interface CommandSpec {
  /** "run", or "datasets fetch" for a subcommand. */
  readonly name: string;
  /** The positional arguments as the synopsis shows them: "CONFIG", "RUN_A RUN_B", "NAME...". */
  readonly args: string;
  /** How many positional arguments it takes (max null: any number). */
  readonly positionals: { readonly min: number; readonly max: number | null };
  /** One line for the command list. */
  readonly summary: string;
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  readonly exitCodes?: string;
  /** A command made of subcommands (`usersim cache stats`): the first argument names one. */
  readonly subcommands?: readonly CommandSpec[];
}

const SET: FlagSpec = {
  name: 'set',
  value: 'KEY.PATH=VALUE',
  repeatable: true,
  help: 'Override a config value, read as YAML: --set seed=7, --set methods.1.factors=32, --set tasks.0.ratios=[1,3]',
};
const LOCAL_PLUGINS: FlagSpec = {
  name: 'allow-local-plugins',
  help: 'Let the config load plugin files (plugin: ./x.ts): this runs their code',
};
const CACHE_PATH: FlagSpec = { name: 'cache', value: 'PATH', help: 'The cache file (default .cache/llm.sqlite)' };
const DATASETS_DIR: FlagSpec = {
  name: 'dir',
  value: 'DIR',
  help: 'The datasets cache folder (default datasets/cache, or $USERSIM_DATASETS_DIR)',
};

export const RUN: CommandSpec = {
  name: 'run',
  args: 'CONFIG',
  positionals: { min: 1, max: 1 },
  summary: 'Run every dataset × method × task (× seed) of a config and print the leaderboard',
  description:
    'Runs every dataset × method × task (× seed) of CONFIG. Finished units are appended to results/<name>/predictions as they complete; running the same config again resumes and skips them. The leaderboards are written to results/<name>/leaderboard.* and the terminal table is printed.',
  flags: [
    SET,
    { name: 'fresh', help: 'Delete results/<name>/ first (needed when the config changed)' },
    { name: 'limit', value: 'N', help: 'Run at most N units per cell (the rest stay pending)' },
    { name: 'retry-errors', help: 'Run again the units that ended in an error' },
    {
      name: 'shard',
      value: 'i/n',
      help: 'Run only every n-th unit of each cell, starting at the i-th, into *.shard-i-of-n.jsonl files; scores nothing. Once every shard is done and its files are in one results/<name>/, a run without --shard merges them (and runs any unit still missing)',
    },
    {
      name: 'cache-only',
      help: 'Answer every LLM call from the cache; a miss is an error (a reviewer replaying a shipped cache: no key, no network)',
    },
    LOCAL_PLUGINS,
    {
      name: 'no-preflight',
      help: 'Skip the checks of each LLM endpoint before the first unit (key variable set, endpoint answers, model known, structured mode accepted)',
    },
    {
      name: 'quiet',
      help: 'No progress or info messages (the leaderboard is still printed); progress is a bar on a terminal, else a plain line every 10 s',
    },
  ],
  exitCodes:
    '0 success, 1 finished with unit errors (or stopped at costLimitUsd), 2 usage or config error, 130 interrupted.',
};

export const VALIDATE: CommandSpec = {
  name: 'validate',
  args: 'CONFIG',
  positionals: { min: 1, max: 1 },
  summary: 'Check a config and build its plan without running a unit',
  description:
    "Checks CONFIG and every plugin's options, then builds the run's plan (loads the datasets, builds the units, checks capabilities, endpoints and task needs) without running a unit, and prints every problem at once as file:line:col: path: message.",
  flags: [
    { ...SET, help: 'Override a config value, as for run' },
    { name: 'plan', help: 'Print the plan: cells and their units, LLM endpoints, fit stages, task needs' },
    LOCAL_PLUGINS,
  ],
  exitCodes: '0 valid, 2 problems found.',
};

export const LIST: CommandSpec = {
  name: 'list',
  args: '[datasets|methods|llms|recommenders|tasks]',
  positionals: { min: 0, max: 1 },
  summary: 'List the built-in plugins with their options',
  description:
    'Lists the built-in plugins (or one kind of them) with their descriptions and options (type, default, meaning).',
  flags: [],
};

export const DATASETS_LIST: CommandSpec = {
  name: 'datasets list',
  args: '',
  positionals: { min: 0, max: 0 },
  summary: 'Every dataset plugin, its variants and licence, and which local copies exist',
  description:
    "Every dataset plugin, its variants, licence terms and official files, whether a fetched copy is in the datasets cache, and which local copies the configs under ./configs name with path: (each file's own datasets: entries; a config that extends another is read as written) and whether they exist.",
  flags: [DATASETS_DIR],
};

export const DATASETS_FETCH: CommandSpec = {
  name: 'datasets fetch',
  args: 'NAME...',
  positionals: { min: 1, max: null },
  summary: 'Download the official files of one or more datasets',
  description:
    "Downloads the official files of each named dataset (its default variant, or --variant's) into DIR/NAME/VARIANT/: progress on stderr, resumes an interrupted download, verifies the published checksum, unpacks zip/gzip and records the checksums. A config then needs no path: for that dataset (or give the folder printed at the end as path:).",
  flags: [
    { name: 'variant', value: 'V', help: 'Which variant (see "usersim datasets list"); only with one NAME' },
    DATASETS_DIR,
    { name: 'timeout', value: 'SECONDS', help: 'Give up connecting after this long (default 10)' },
    { name: 'quiet', help: 'No progress bar or info messages' },
  ],
  exitCodes: '0 done, 2 usage error or a download failed (the message says how to get the file by hand).',
};

export const DATASETS: CommandSpec = {
  name: 'datasets',
  args: 'list|fetch',
  positionals: { min: 1, max: null },
  summary: 'Local copies and downloads of the datasets',
  description: 'Lists the datasets and their local copies, or downloads them.',
  flags: [],
  subcommands: [DATASETS_LIST, DATASETS_FETCH],
};

export const REPORT: CommandSpec = {
  name: 'report',
  args: 'RESULTS_DIR',
  positionals: { min: 1, max: 1 },
  summary: "Print a finished run's leaderboard in any format",
  description:
    "Prints the leaderboard of a finished run, rendered from RESULTS_DIR/metrics.json (and the manifest's run facts) alone: nothing is recomputed. The terminal table splits into parts at the terminal's width ($COLUMNS when not a terminal; 100 otherwise).",
  flags: [
    { name: 'format', short: 'f', value: 'txt|md|csv|tex|html', help: 'Output format (default txt)' },
    { name: 'decimals', value: 'N', help: 'Digits after the point, 0–8 (default 3)' },
  ],
};

export const VERIFY: CommandSpec = {
  name: 'verify',
  args: 'RESULTS_DIR...',
  positionals: { min: 1, max: null },
  summary: "Check the paper's reported values against our intervals",
  description:
    "For every cell whose config named a reported-numbers file (report.reported), prints the cell's model, n and unit errors, ours, our confidence interval, the paper's value, and the verdict: inside (the paper's value lies inside our CI widened by X on each side), outside, or not comparable, when the paper measured it on other data (the reported cell's dataset plugin, variant or split differs from the run's, as its manifest records them); those are counted apart, with the reason. Several results folders give one table and one summary.",
  flags: [{ name: 'tolerance', value: 'X', help: 'Widen each interval by X on each side (default 0)' }],
  exitCodes: '0 every comparable reported value is inside, 1 some are outside, 2 usage error.',
};

export const ESTIMATE: CommandSpec = {
  name: 'estimate',
  args: 'CONFIG',
  positionals: { min: 1, max: 1 },
  summary: 'Project the LLM calls, tokens and cost of a config before paying for it',
  description:
    "Runs CONFIG's plan with the offline LLM in a temporary folder (no key, no cache, nothing written to results/): every fit in full and the first N units of each cell, then scales each cell's calls and tokens to its full unit count. Prints, per method, its units (with per-user state), its fit and the task judge apart, and the total: LLM calls, input and output tokens and cost at the configured models' prices (harness/llm/prices.yaml and the config's prices:), with the 95% sampling error of the projection. Token counts are the offline mock's (4 characters a token; replies as long as its schema-valid answers).",
  flags: [
    SET,
    { name: 'sample', value: 'N', help: 'Units run per cell (default 5); more units, smaller sampling error' },
    { name: 'format', value: 'txt|md', help: 'A terminal table (default) or a Markdown table' },
    LOCAL_PLUGINS,
  ],
  exitCodes: '0 estimated, 2 usage or config error.',
};

export const COMPARE: CommandSpec = {
  name: 'compare',
  args: 'RUN_A RUN_B',
  positionals: { min: 2, max: 2 },
  summary: 'Compare two runs cell by cell (a replay with the original, two seeds, two machines)',
  description:
    "Compares two finished runs' metrics.json cell by cell: each value is identical, within the tolerance, or different (by how much, and whether the two intervals overlap). Also flags a different config hash, different models and cells only one run has. RUN_A and RUN_B are results folders (or their metrics.json files).",
  flags: [
    { name: 'tolerance', value: 'X', help: 'Values at most X apart count as the same (default 0: identical only)' },
  ],
  exitCodes: '0 every value identical (or within the tolerance), 1 some differ, 2 usage error.',
};

const CACHE_STATS: CommandSpec = {
  name: 'cache stats',
  args: '',
  positionals: { min: 0, max: 0 },
  summary: 'Entries, size and cost by provider/model',
  description: 'Entries, size and cost of the LLM cache, by provider and model.',
  flags: [CACHE_PATH],
};
const CACHE_EXPORT: CommandSpec = {
  name: 'cache export',
  args: 'RESULTS_DIR OUT',
  positionals: { min: 2, max: 2 },
  summary: 'Write the entries a run used into a new file (to ship with a paper)',
  description:
    'Writes the entries RESULTS_DIR used into a new file OUT: what a reviewer needs to replay the run (usersim run CONFIG --cache-only).',
  flags: [CACHE_PATH],
  exitCodes: '0 written, 1 some keys the run used are missing from the cache, 2 usage error.',
};
const CACHE_IMPORT: CommandSpec = {
  name: 'cache import',
  args: 'FILE',
  positionals: { min: 1, max: 1 },
  summary: "Add a file's entries to the cache",
  description: "Adds FILE's entries to the cache (existing keys are kept).",
  flags: [CACHE_PATH],
};
const CACHE_PRUNE: CommandSpec = {
  name: 'cache prune',
  args: '',
  positionals: { min: 0, max: 0 },
  summary: 'Delete entries no kept run used, or older than a date',
  description:
    'Deletes the entries that no kept run used and/or that are older than the date; it needs at least one of the two, so it never deletes everything by accident.',
  flags: [
    CACHE_PATH,
    { name: 'keep', value: 'RESULTS_DIR', repeatable: true, help: 'Keep the entries this run used' },
    { name: 'before', value: 'ISO_DATE', help: 'Delete entries stored before this date (e.g. 2026-01-31)' },
  ],
};

export const CACHE: CommandSpec = {
  name: 'cache',
  args: 'stats|export|import|prune',
  positionals: { min: 1, max: null },
  summary: 'Inspect, ship and prune the LLM cache',
  description: 'The LLM cache: statistics, export of the entries a run used, import, pruning.',
  flags: [],
  subcommands: [CACHE_STATS, CACHE_EXPORT, CACHE_IMPORT, CACHE_PRUNE],
};

/** Every top-level command, in the order the help lists them. */
export const INSPECT: CommandSpec = {
  name: 'inspect',
  args: 'RESULTS_DIR',
  positionals: { min: 1, max: 1 },
  summary: 'Show what units of a run did: inputs, every LLM call (stage, attempt, reply), answer or error',
  description:
    "Shows what units of a run did, from their prediction lines and the LLM cache: a unit's inputs, every LLM call it made (stage, attempt, cached or not, usage, the messages sent and the reply), then its answer, its scores or its error.",
  flags: [
    { name: 'method', value: 'M', help: 'Only units of method M' },
    { name: 'unit', value: 'ID', help: 'Only the unit with this id (or unit key); a prefix is enough' },
    { name: 'errors', help: 'Only units that ended in an error' },
    { name: 'stage', value: 'S', help: 'Only calls whose stage contains S (and units that made one)' },
    { name: 'limit', value: 'N', help: 'Show at most N units in full (default 3; the rest are listed)' },
    { name: 'cache', value: 'PATH', help: 'The LLM cache (default: the one the run recorded in its manifest)' },
  ],
};

export const COMMANDS: readonly CommandSpec[] = [
  RUN,
  VALIDATE,
  LIST,
  DATASETS,
  REPORT,
  VERIFY,
  ESTIMATE,
  COMPARE,
  INSPECT,
  CACHE,
];

export const TOOL_SUMMARY = 'usersim — benchmark harness for LLM user simulators in recommender evaluation';
