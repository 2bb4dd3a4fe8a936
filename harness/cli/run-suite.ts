import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, formatIssue } from '../config/config-error.js';
import { loadConfig } from '../config/load.js';
import { DataError } from '../data/data-error.js';
import { RunError } from '../runner/run-error.js';
import type { Parsed } from './args.js';
import { verifyRuns, verifyText } from './commands/verify.js';
import { EXIT, UsageError } from './exit-codes.js';

/** One config of a suite, with the --set values the suite gives it (before the command line's). */
export interface SuiteEntry {
  readonly file: string;
  readonly sets: readonly string[];
}

/**
 * A suite file (e.g. configs/paper/all.yaml) lists configs to run one after
 * the other: `suite: [ table1.yaml, { config: table2.yaml, set: [...] } ]`,
 * paths relative to the suite file. null when the file is an ordinary config.
 */
export function readSuite(file: string): SuiteEntry[] | null {
  if (!existsSync(file)) return null;
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    // Not YAML: loadConfig reports it with its place.
    return null;
  }
  if (!doc || typeof doc !== 'object' || !('suite' in doc)) return null;
  const list = (doc as { suite: unknown }).suite;
  if (!Array.isArray(list) || list.length === 0)
    throw new UsageError(`${file}: suite: must list configs (a path, or { config: PATH, set: [KEY=VALUE, ...] })`);
  return list.map((e: unknown, i: number) => {
    const x = typeof e === 'string' ? { config: e } : (e as { config?: unknown; set?: unknown });
    if (!x || typeof x.config !== 'string')
      throw new UsageError(`${file}: suite[${i}] must be a config path or { config: PATH, set: [...] }`);
    const sets = x.set === undefined ? [] : x.set;
    if (!Array.isArray(sets) || sets.some((s) => typeof s !== 'string'))
      throw new UsageError(`${file}: suite[${i}].set must be a list of KEY=VALUE strings`);
    const path = resolve(dirname(file), x.config);
    if (!existsSync(path)) throw new UsageError(`${file}: suite[${i}]: ${path} does not exist`);
    return { file: relative(process.cwd(), path) || path, sets: sets as string[] };
  });
}

/** The command's arguments for one entry: the entry's config and sets, then every flag the suite was given. */
function entryArgs(args: Parsed, entry: SuiteEntry): Parsed {
  const rest = args.argv.filter((a) => a !== args.positionals[0]);
  return {
    ...args,
    argv: [entry.file, ...entry.sets.flatMap((s) => ['--set', s]), ...rest],
    positionals: [entry.file],
    list: (name) => (name === 'set' ? [...entry.sets, ...args.list('set')] : args.list(name)),
  };
}

/**
 * Runs every config of the suite with `run`, as if each were given on the
 * command line (their leaderboards printed and written), then prints one
 * verify summary over all their results. The exit code is the worst run's.
 */
export async function runSuite(
  args: Parsed,
  entries: readonly SuiteEntry[],
  run: (a: Parsed) => Promise<number>,
): Promise<number> {
  let worst: number = EXIT.ok;
  const dirs: string[] = [];
  const started = performance.now();
  for (const [k, entry] of entries.entries()) {
    process.stderr.write(
      `\n=== ${k + 1}/${entries.length}: ${entry.file}${entry.sets.length ? ` (${entry.sets.join(', ')})` : ''}\n`,
    );
    const a = entryArgs(args, entry);
    const t0 = performance.now();
    let rc: number;
    try {
      rc = await run(a);
    } catch (e) {
      // One config the suite cannot run (a config error, a missing dataset) does not stop the others.
      const msg = e instanceof ConfigError ? e.issues.map(formatIssue).join('\n') : (e as Error).message;
      if (!(e instanceof ConfigError || e instanceof DataError || e instanceof UsageError || e instanceof RunError))
        throw e;
      process.stderr.write(`usersim run: ${e instanceof DataError ? 'dataset error: ' : ''}${msg}\n`);
      rc = EXIT.usage;
    }
    process.stderr.write(`=== ${entry.file}: exit ${rc} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    if (rc === EXIT.interrupted) return rc;
    worst = Math.max(worst, rc);
    if (rc === EXIT.usage) continue;
    const cfg = await loadConfig(entry.file, {
      sets: a.list('set'),
      allowLocalPlugins: args.flag('allow-local-plugins'),
    });
    dirs.push(resolve(process.cwd(), cfg.resolved.output, cfg.resolved.name));
  }
  const withReported = dirs.filter((d) => existsSync(resolve(d, 'metrics.json')));
  const summary = verifyRuns(withReported, 0);
  process.stdout.write(
    `\n=== verify: every table against the paper\n${summary.rows.length > 0 ? verifyText(summary, 0) : 'no reported values\n'}`,
  );
  process.stderr.write(
    `suite: ${entries.length} config(s) in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return worst;
}
