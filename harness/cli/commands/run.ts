import { relative } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { renderFormat, writeLeaderboards } from '../../report/write-leaderboards.js';
import { type RunOutcome, runConfig } from '../../runner/run.js';
import { parseShard, type Shard } from '../../runner/shard.js';
import { numberFlag, type Parsed, shellQuote } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { formatErrors } from '../../runner/error-summary.js';
import type { ProgressMode } from '../../runner/progress.js';
import { interruptHandler } from '../interrupt-handler.js';
import { stderrLogger } from '../logger.js';
import { readSuite, runSuite } from '../run-suite.js';
import { terminalWidth } from '../terminal-width.js';

/** A bar when a person watches a terminal; plain lines in logs, pipes, Slurm and CI. */
function progressMode(quiet: boolean): ProgressMode {
  if (quiet) return 'off';
  return process.stderr.isTTY === true && process.stdout.isTTY === true ? 'bar' : 'lines';
}

/** The arguments without any --set of `key` (so the resume command can give a new value). */
function withoutSet(argv: readonly string[], key: string): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k] as string;
    if (a === '--set' && argv[k + 1]?.startsWith(`${key}=`)) {
      k++;
      continue;
    }
    if (a.startsWith(`--set=${key}=`)) continue;
    out.push(a);
  }
  return out;
}

function printErrorSummary(summary: RunOutcome['errorSummary']): void {
  if (!summary || summary.length === 0) return;
  const parts = summary.map((m) => {
    const n = m.errors.reduce((s, e) => s + e.count, 0);
    return `${m.method}: ${n} unit error(s)\n${formatErrors(m.errors, 5, '  ')}`;
  });
  process.stderr.write(`Errors by method:\n${parts.join('\n')}\n`);
}

export async function runCommand(args: Parsed): Promise<number> {
  // A suite file (configs/paper/all.yaml) runs its configs one after the other, then one verify summary.
  const suite = readSuite(args.positionals[0] as string);
  if (suite) return runSuite(args, suite, runCommand);
  const argv = [...args.argv];
  const limit = numberFlag(args, 'limit', { integer: true, min: 1, what: 'a positive whole number' }) ?? null;
  let shard: Shard | undefined;
  const shardArg = args.string('shard');
  if (shardArg !== undefined) {
    try {
      shard = parseShard(shardArg);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const values = {
    set: args.list('set'),
    fresh: args.flag('fresh'),
    'retry-errors': args.flag('retry-errors'),
    'cache-only': args.flag('cache-only'),
    'allow-local-plugins': args.flag('allow-local-plugins'),
    quiet: args.flag('quiet'),
    'no-preflight': args.flag('no-preflight'),
  };
  const file = args.positionals[0] as string;
  const log = stderrLogger(values.quiet === true);
  const cfg = await loadConfig(file, {
    sets: values.set,
    allowLocalPlugins: values['allow-local-plugins'] === true,
  });

  const controller = new AbortController();
  const resumeArgs = argv.filter((a) => a !== '--fresh');
  const resume = `npx usersim run ${resumeArgs.map(shellQuote).join(' ')}`;
  const onSigint = interruptHandler({
    stop: () => controller.abort(),
    resume,
    write: (text) => process.stderr.write(text),
    exit: () => process.exit(EXIT.interrupted),
  });
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const outcome = await runConfig(cfg, {
      fresh: values.fresh === true,
      limit,
      retryErrors: values['retry-errors'] === true,
      ...(shard ? { shard } : {}),
      cacheOnly: values['cache-only'] === true,
      noPreflight: values['no-preflight'] === true,
      signal: controller.signal,
      log,
      progress: progressMode(values.quiet === true),
      command: `usersim run ${argv.map(shellQuote).join(' ')}`,
    });
    const shown = relative(process.cwd(), outcome.dir) || '.';
    if (outcome.shard && !outcome.interrupted) {
      const tag = `shard-${outcome.shard.index}-of-${outcome.shard.count}`;
      process.stderr.write(
        `Shard ${outcome.shard.index} of ${outcome.shard.count}: ${outcome.computed} unit(s) run, ${outcome.skipped} already done, ${outcome.unitErrors} error(s); saved in ${shown}/predictions/**/*.${tag}.jsonl and ${shown}/manifest.${tag}.json.\n` +
          `When every shard is done, put their files into one ${shown}/ (and their LLM caches into one: usersim cache import), then merge and score with:\n  npx usersim run ${argv
            .filter(
              (a, k) => a !== '--shard' && argv[k - 1] !== '--shard' && !a.startsWith('--shard=') && a !== '--fresh',
            )
            .map(shellQuote)
            .join(' ')}\n`,
      );
      return outcome.unitErrors > 0 ? EXIT.unitErrors : EXIT.ok;
    }
    if (outcome.interrupted || !outcome.metrics) {
      printErrorSummary(outcome.errorSummary);
      if (outcome.stopKind === 'cost-limit') {
        const limit = cfg.resolved.costLimitUsd ?? 0;
        const raised = Math.ceil(limit * 2 * 100) / 100;
        const again = `npx usersim run ${[...withoutSet(resumeArgs, 'costLimitUsd'), '--set', `costLimitUsd=${raised}`].map(shellQuote).join(' ')}`;
        process.stderr.write(
          `Stopped: the cost limit ($${limit}) covers the whole run, every invocation included; ${outcome.computed} unit(s) saved in ${shown}. Continue with a higher limit:\n  ${again}\n`,
        );
        return EXIT.unitErrors;
      }
      const why = outcome.stopReason
        ? `Stopped (${outcome.stopKind === 'error-rate' ? 'maxErrorRate' : outcome.stopReason})`
        : 'Interrupted';
      const cancelled = outcome.cancelled ?? 0;
      const rerun = cancelled > 0 ? ` ${cancelled} unit(s) in flight were cancelled and run again on resume.` : '';
      process.stderr.write(
        `${why}: ${outcome.computed} unit(s) saved in ${shown}.${rerun} ${outcome.stopKind === 'error-rate' ? 'Fix the cause (inspect a unit with: npx usersim inspect ' + shown + ' --errors), then resume' : 'Resume'} with:\n  ${resume}\n`,
      );
      return outcome.stopReason ? EXIT.unitErrors : EXIT.interrupted;
    }
    const written = await writeLeaderboards(
      outcome.dir,
      outcome.metrics,
      cfg.resolved.report.formats,
      cfg.resolved.report.decimals,
    );
    process.stdout.write(
      await renderFormat(outcome.metrics, 'txt', {
        decimals: cfg.resolved.report.decimals,
        color: process.stdout.isTTY === true,
        width: terminalWidth(),
      }),
    );
    if (outcome.skipped > 0 && outcome.computed === 0)
      log.info(`nothing to run: all ${outcome.skipped} units were already done`);
    log.info(
      `results: ${shown}/ (manifest.json, metrics.json, predictions/, ${written.map((w) => relative(outcome.dir, w)).join(', ')})`,
    );
    if (outcome.unitErrors > 0) {
      printErrorSummary(outcome.errorSummary);
      log.warn(
        `${outcome.unitErrors} unit(s) ended in an error; see the "error" field in ${shown}/predictions/ and rerun with --retry-errors`,
      );
      return EXIT.unitErrors;
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
