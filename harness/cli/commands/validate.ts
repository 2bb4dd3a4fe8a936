import { loadConfig } from '../../config/load.js';
import { buildPlan } from '../../plan/build-plan.js';
import { describePlan } from '../../plan/describe-plan.js';
import { parse } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { stderrLogger } from '../logger.js';

export const VALIDATE_HELP = `usersim validate CONFIG [--set key.path=value]... [--plan] [--allow-local-plugins]

Checks CONFIG and every plugin's options, then builds the run's plan (loads
the datasets, builds the units, checks capabilities, endpoints and task needs)
without running a unit, and prints every problem at once as
file:line:col: path: message.

Options:
  --set key.path=value     Override a config value (repeatable), as for run
  --plan                   Print the plan: cells and their units, LLM endpoints, fit stages, task needs
  --allow-local-plugins    Let the config load plugin files (plugin: ./x.ts): this runs their code
  -h, --help               This help

Exit codes: 0 valid, 2 problems found.`;

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { set: { type: 'string', multiple: true }, plan: { type: 'boolean' }, 'allow-local-plugins': { type: 'boolean' } },
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
  const plan = await buildPlan(cfg, { log: stderrLogger(values.plan !== true) });
  const units = plan.cells.reduce((s, c) => s + (c.units?.length ?? 0), 0);
  process.stdout.write(
    `${positionals[0]}: valid. ${cfg.datasets.length} dataset(s), ${cfg.methods.length} method(s), ${cfg.tasks.length} task(s), seeds ${cfg.seeds.join(', ')}; ${plan.cells.length} cell(s), ${units} unit(s); config hash ${cfg.hash}\n`,
  );
  if (values.plan === true) process.stdout.write(`\n${describePlan(plan)}`);
  return EXIT.ok;
}
