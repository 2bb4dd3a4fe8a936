import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import type { MetricsFile } from '../../results/metrics-file.js';
import { parse } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';

export const VERIFY_HELP = `usersim verify RESULTS_DIR [--tolerance X]

For every cell whose config named a reported-numbers file (report.reported),
prints ours, our confidence interval, the paper's value, and the verdict: the
paper's value lies inside our CI widened by X on each side (default 0).

Exit codes: 0 every reported value is inside, 1 some are outside, 2 usage error.`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { tolerance: { type: 'string' } }, 'verify');
  if (values.help) {
    process.stdout.write(`${VERIFY_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new UsageError('usersim verify needs exactly one RESULTS_DIR. See: usersim verify --help');
  const tol = values.tolerance === undefined ? 0 : Number(values.tolerance);
  if (!Number.isFinite(tol) || tol < 0)
    throw new UsageError(`--tolerance needs a number ≥ 0, got "${values.tolerance}"`);
  const path = join(positionals[0] as string, 'metrics.json');
  if (!existsSync(path)) throw new UsageError(`${path} does not exist: RESULTS_DIR must be a finished run's folder`);
  const m = JSON.parse(readFileSync(path, 'utf8')) as MetricsFile;
  const table = new Table({
    head: ['dataset', 'task', 'method', 'metric', 'ours', 'CI', 'paper', 'diff', 'verdict'],
    style: { head: [], border: [] },
  });
  let outside = 0;
  let checked = 0;
  for (const c of m.cells) {
    for (const [key, x] of Object.entries(c.metrics)) {
      if (!x.reported) continue;
      checked++;
      const ok = x.ci !== undefined && x.reported.value >= x.ci.lo - tol && x.reported.value <= x.ci.hi + tol;
      if (!ok) outside++;
      table.push([
        c.dataset,
        c.task,
        c.method,
        key,
        x.value === null ? '—' : x.value.toFixed(3),
        x.ci ? `[${x.ci.lo.toFixed(3)}, ${x.ci.hi.toFixed(3)}]` : '—',
        x.reported.value.toFixed(3),
        x.value === null ? '—' : (x.value - x.reported.value).toFixed(3),
        ok ? 'inside' : 'OUTSIDE',
      ]);
    }
  }
  if (checked === 0)
    throw new UsageError(`${path} has no reported values: add report.reported to the config and rerun it`);
  process.stdout.write(
    `${table.toString()}\n${checked - outside}/${checked} reported values inside our CI${tol > 0 ? ` ± ${tol}` : ''}; source: ${m.statistics?.reported ?? '?'}\n`,
  );
  return outside > 0 ? EXIT.unitErrors : EXIT.ok;
}
