import { ConfigError, formatIssue } from '../config/config-error.js';
import { DataError } from '../data/data-error.js';
import { RunError } from '../runner/run-error.js';
import { redact } from '../util/secrets.js';
import { didYouMean } from '../util/suggest.js';
import { type Parsed, parseCommand, subcommandOf } from './args.js';
import { EXIT, UsageError } from './exit-codes.js';
import { commandHelp, topHelp } from './help.js';
import { COMMANDS, type CommandSpec } from './spec.js';

type Command = (args: Parsed) => Promise<number>;

/**
 * Each command's code is imported only when it runs, so `usersim --help`
 * (and any usage error) loads the spec alone and answers at once.
 */
const LOADERS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  datasets: async () => (await import('./commands/datasets.js')).datasetsCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  estimate: async () => (await import('./commands/estimate.js')).estimateCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand,
  cache: async () => (await import('./commands/cache.js')).cacheCommand,
};

/** The message of an error the user can act on, one line per problem; null for a bug. */
function userMessage(e: unknown): string | null {
  if (e instanceof ConfigError) return e.issues.map(formatIssue).join('\n');
  if (e instanceof DataError) return `dataset error: ${e.message}`;
  if (e instanceof UsageError || e instanceof RunError) return e.message;
  return null;
}

/** `usersim …` without the process: the exit code, with output written to stdout and stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const about = command === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(about ? commandHelp(about) : topHelp());
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const top = COMMANDS.find((c) => c.name === command);
  if (!top) {
    process.stderr.write(
      `usersim: unknown command "${command}".${didYouMean(
        command,
        COMMANDS.map((c) => c.name),
      )} Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See: usersim --help\n`,
    );
    return EXIT.usage;
  }
  let spec: CommandSpec = top;
  try {
    let args = rest;
    if (top.subcommands) {
      const sub = subcommandOf(top, rest);
      if (sub === 'help') {
        process.stdout.write(commandHelp(top));
        return EXIT.ok;
      }
      spec = sub;
      args = rest.slice(1);
    }
    const parsed = parseCommand(spec, args);
    if (parsed.help) {
      process.stdout.write(commandHelp(spec));
      return EXIT.ok;
    }
    const fn = await (LOADERS[top.name] as () => Promise<Command>)();
    return await fn(parsed);
  } catch (e) {
    const found = userMessage(e);
    const message = found === null ? null : redact(found);
    if (message !== null) {
      process.stderr.write(
        `${message
          .split('\n')
          .map((l) => `usersim ${spec.name}: ${l}`)
          .join('\n')}\n`,
      );
      return EXIT.usage;
    }
    // A bug, not a usage error: still one line, with the way to the stack trace.
    if (process.env['USERSIM_DEBUG'] === '1') process.stderr.write(`${redact((e as Error)?.stack ?? String(e))}\n`);
    process.stderr.write(
      `usersim ${spec.name}: internal error: ${redact((e as Error)?.message ?? String(e))} (a bug; rerun with USERSIM_DEBUG=1 for the stack trace and report it)\n`,
    );
    return EXIT.usage;
  }
}
