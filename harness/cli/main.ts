import { inspect } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { DataError } from '../data/data-error.js';
import { RunError } from '../runner/run-error.js';
import { cacheCommand } from './commands/cache.js';
import { datasetsCommand } from './commands/datasets.js';
import { listCommand } from './commands/list.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT, UsageError } from './exit-codes.js';
import { didYouMean } from '../util/suggest.js';
import { redact } from '../util/secrets.js';
import { redactOutput } from './redacted-output.js';

const HELP = `usersim — benchmark harness for LLM user simulators in recommender evaluation

Usage:
  usersim run CONFIG [--set k=v]... [--fresh] [--limit N] [--cache-only] [--allow-local-plugins]
  usersim validate CONFIG
  usersim list [datasets|methods|llms|recommenders|tasks]
  usersim datasets list | fetch NAME [--variant V] [--dir DIR]
  usersim report RESULTS_DIR [--format md|csv|tex|txt|html]
  usersim verify RESULTS_DIR [--tolerance X]
  usersim cache stats|export|import|prune

Run "usersim COMMAND --help" for a command's options.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  validate: validateCommand,
  list: listCommand,
  datasets: datasetsCommand,
  report: reportCommand,
  cache: cacheCommand,
  verify: verifyCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const fn = COMMANDS[command];
  if (!fn) {
    process.stderr.write(
      `usersim: unknown command "${command}".${didYouMean(command, Object.keys(COMMANDS))}\n\n${HELP}\n`,
    );
    return EXIT.usage;
  }
  try {
    return await fn(rest);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof RunError) {
      process.stderr.write(`usersim ${command}: ${redact(e.message)}\n`);
      return EXIT.usage;
    }
    if (e instanceof DataError) {
      process.stderr.write(`usersim ${command}: dataset error: ${redact(e.message)}\n`);
      return EXIT.usage;
    }
    // Anything else is a bug: shown as Node would show it (stack, properties such as an SDK error's body), minus secrets.
    process.stderr.write(`${redact(inspect(e))}\n`);
    return 1;
  }
}

redactOutput(process.stdout);
redactOutput(process.stderr);
const code = await main(process.argv.slice(2));
process.exitCode = code;
