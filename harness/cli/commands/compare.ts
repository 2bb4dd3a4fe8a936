import { compareRuns, type ValueComparison } from '../../report/compare-runs.js';
import { numberFlag, type Parsed } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { readRun } from '../read-run.js';

const where = (v: ValueComparison, seeds: boolean) =>
  `${v.dataset} / ${v.task} / ${v.method}${seeds ? ` / seed ${v.seed}` : ''} / ${v.label}`;

export async function compareCommand(args: Parsed): Promise<number> {
  const tolerance = numberFlag(args, 'tolerance', { min: 0, what: 'a number ≥ 0' }) ?? 0;
  const [pa, pb] = args.positionals as [string, string];
  const a = readRun(pa);
  const b = readRun(pb);
  const r = compareRuns(a, b, tolerance);
  const seeds = a.metrics.seeds.length > 1 || b.metrics.seeds.length > 1;
  const out: string[] = [`A: ${pa} (${a.metrics.name})`, `B: ${pb} (${b.metrics.name})`];
  if (r.flags.length === 0) out.push('Same config hash, models, statistics, dataset checksums and prompts.');
  for (const f of r.flags) out.push(`DIFFERENT ${f.what}: ${f.a} (A) vs ${f.b} (B)`);
  const total = r.values.length;
  out.push(
    `${total} value(s): ${r.counts.identical} identical, ${r.counts['within-tolerance']} within ${tolerance}, ${r.counts.different} different.`,
  );
  const diff = r.values.filter((v) => v.verdict === 'different');
  if (diff.length > 0) {
    out.push('', 'Different:');
    for (const v of diff) out.push(`  ${where(v, seeds)}: ${v.a} (A) vs ${v.b} (B): ${v.why}`);
  }
  const near = r.values.filter((v) => v.verdict === 'within-tolerance');
  if (near.length > 0 && near.length <= 20) {
    out.push('', `Within ${tolerance}:`);
    for (const v of near) out.push(`  ${where(v, seeds)}: ${v.a} vs ${v.b}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return diff.length > 0 ? EXIT.unitErrors : EXIT.ok;
}
