import { loadConfig } from '../../config/load.js';
import { buildPlan } from '../../plan/build-plan.js';
import { describePlan } from '../../plan/describe-plan.js';
import type { Parsed } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { stderrLogger } from '../logger.js';

export async function validateCommand(args: Parsed): Promise<number> {
  const file = args.positionals[0] as string;
  const cfg = await loadConfig(file, {
    sets: args.list('set'),
    allowLocalPlugins: args.flag('allow-local-plugins'),
  });
  const plan = await buildPlan(cfg, { log: stderrLogger(!args.flag('plan')) });
  const units = plan.cells.reduce((s, c) => s + (c.units?.length ?? 0), 0);
  process.stdout.write(
    `${file}: valid. ${cfg.datasets.length} dataset(s), ${cfg.methods.length} method(s), ${cfg.tasks.length} task(s), seeds ${cfg.seeds.join(', ')}; ${plan.cells.length} cell(s), ${units} unit(s); config hash ${cfg.hash}\n`,
  );
  if (args.flag('plan')) process.stdout.write(`\n${describePlan(plan)}`);
  return EXIT.ok;
}
