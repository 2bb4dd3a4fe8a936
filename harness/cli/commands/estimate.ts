import Table from 'cli-table3';
import { type Estimate, estimateCost, estimateMarkdown, estimateNotes, int, pm, usd } from '../estimate-cost.js';
import { numberFlag, type Parsed } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { stderrLogger } from '../logger.js';

function estimateTable(e: Estimate): string {
  const table = new Table({
    head: ['method', 'part', 'model', 'units (sampled / all)', 'LLM calls', 'input tokens', 'output tokens', 'cost $'],
    style: { head: [], border: [] },
  });
  for (const r of e.rows)
    table.push([
      r.method,
      r.part,
      r.model ? `${r.model.provider}/${r.model.model}${r.model.price ? '' : ' (no price)'}` : '—',
      r.part === 'fit' ? 'in full' : `${r.sampled} / ${r.total}`,
      pm(r.projection.calls, r.projection.callsError, int),
      int(r.projection.input),
      int(r.projection.output),
      pm(r.projection.costUsd, r.projection.costError, usd),
    ]);
  table.push([
    'total',
    '',
    '',
    '',
    pm(e.total.calls, e.total.callsError, int),
    int(e.total.input),
    int(e.total.output),
    pm(e.total.costUsd, e.total.costError, usd),
  ]);
  return table.toString();
}

export async function estimateCommand(args: Parsed): Promise<number> {
  const sample = numberFlag(args, 'sample', { integer: true, min: 1, what: 'a positive whole number' }) ?? 5;
  const e = await estimateCost(args.positionals[0] as string, {
    sets: args.list('set'),
    sample,
    allowLocalPlugins: args.flag('allow-local-plugins'),
    log: stderrLogger(true),
  });
  const body = args.string('format') === 'md' ? estimateMarkdown(e) : `${estimateTable(e)}\n`;
  process.stdout.write(`${body}${estimateNotes(e).join('\n')}\nEstimated in ${e.seconds.toFixed(1)} s.\n`);
  return EXIT.ok;
}
