import { join } from 'node:path';
import Table from 'cli-table3';
import { numberFlag, type Parsed } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { readRun } from '../read-run.js';

export async function verifyCommand(args: Parsed): Promise<number> {
  const tol = numberFlag(args, 'tolerance', { min: 0, what: 'a number ≥ 0' }) ?? 0;
  const { metrics: m } = readRun(args.positionals[0] as string);
  const path = join(args.positionals[0] as string, 'metrics.json');
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
