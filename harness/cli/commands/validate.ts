import { loadConfig } from '../../config/load.js';
import { parse } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';

export const VALIDATE_HELP = `usersim validate CONFIG [--set key.path=value]... [--allow-local-plugins]

Checks CONFIG and every plugin's options without running anything, and prints
every problem at once as file:line:col: path: message.

Exit codes: 0 valid, 2 problems found.`;

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { set: { type: 'string', multiple: true }, 'allow-local-plugins': { type: 'boolean' } },
    'validate',
  );
  if (values.help) {
    process.stdout.write(`${VALIDATE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new UsageError('usersim validate needs exactly one CONFIG file. See: usersim validate --help');
  const cfg = await loadConfig(positionals[0] as string, {
    sets: values.set ?? [],
    allowLocalPlugins: values['allow-local-plugins'] === true,
  });
  process.stdout.write(
    `${positionals[0]}: valid. ${cfg.datasets.length} dataset(s), ${cfg.methods.length} method(s), ${cfg.tasks.length} task(s), seeds ${cfg.seeds.join(', ')}; config hash ${cfg.hash}\n`,
  );
  return EXIT.ok;
}
