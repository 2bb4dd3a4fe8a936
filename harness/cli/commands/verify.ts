import { join } from 'node:path';
import Table from 'cli-table3';
import type { Cell, CellMetric } from '../../results/metrics-file.js';
import { numberFlag, type Parsed } from '../args.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { readRun } from '../read-run.js';

export type Verdict = 'inside' | 'outside' | 'not comparable';

export interface VerifyRow {
  readonly run: string;
  readonly cell: Cell;
  readonly key: string;
  readonly metric: CellMetric & { readonly reported: NonNullable<CellMetric['reported']> };
  readonly verdict: Verdict;
}

export interface VerifySummary {
  readonly rows: readonly VerifyRow[];
  readonly inside: number;
  readonly outside: number;
  readonly notComparable: number;
  /** Each distinct reason a cell was not compared, with how many cells it covers. */
  readonly reasons: ReadonlyMap<string, number>;
  readonly sources: readonly string[];
}

/**
 * Every reported value of the runs, with its verdict: inside our interval
 * (widened by `tol`), outside, or not comparable (the paper measured it on
 * other data than the run's, as the scorer recorded from the manifest).
 */
export function verifyRuns(dirs: readonly string[], tol: number): VerifySummary {
  const rows: VerifyRow[] = [];
  const reasons = new Map<string, number>();
  const sources = new Set<string>();
  for (const dir of dirs) {
    const { metrics: m } = readRun(dir);
    if (m.statistics?.reported) sources.add(m.statistics.reported);
    for (const cell of m.cells) {
      for (const [key, x] of Object.entries(cell.metrics)) {
        const rep = x.reported;
        if (!rep) continue;
        let verdict: Verdict;
        if (rep.notComparable) {
          verdict = 'not comparable';
          reasons.set(rep.notComparable, (reasons.get(rep.notComparable) ?? 0) + 1);
        } else
          verdict =
            x.ci !== undefined && rep.value >= x.ci.lo - tol && rep.value <= x.ci.hi + tol ? 'inside' : 'outside';
        rows.push({ run: m.name, cell, key, metric: { ...x, reported: rep }, verdict });
      }
    }
  }
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  return {
    rows,
    inside: count('inside'),
    outside: count('outside'),
    notComparable: count('not comparable'),
    reasons,
    sources: [...sources],
  };
}

const modelOf = (c: Cell) => (c.reference ? c.reference.label : c.llm ? (c.llm.mock ? 'mock' : c.llm.model) : '—');

/** The table and the summary lines `usersim verify` prints. */
export function verifyText(s: VerifySummary, tol: number): string {
  const several = new Set(s.rows.map((r) => r.run)).size > 1;
  const table = new Table({
    head: [
      ...(several ? ['run'] : []),
      'dataset',
      'task',
      'method',
      'model',
      'metric',
      'n',
      'errors',
      'ours',
      'CI',
      'paper',
      'diff',
      'verdict',
    ],
    style: { head: [], border: [] },
  });
  for (const { run, cell: c, key, metric: x, verdict } of s.rows)
    table.push([
      ...(several ? [run] : []),
      c.dataset,
      c.task,
      c.method,
      modelOf(c),
      key,
      String(x.n),
      String(c.units.errors),
      x.value === null ? '—' : x.value.toFixed(3),
      x.ci ? `[${x.ci.lo.toFixed(3)}, ${x.ci.hi.toFixed(3)}]` : '—',
      x.reported.value.toFixed(3),
      x.value === null || verdict === 'not comparable' ? '—' : (x.value - x.reported.value).toFixed(3),
      verdict === 'outside' ? 'OUTSIDE' : verdict,
    ]);
  const compared = s.inside + s.outside;
  const lines = [
    table.toString(),
    `${s.inside}/${compared} comparable reported values inside our CI${tol > 0 ? ` ± ${tol}` : ''}, ${s.outside} outside; ${s.notComparable} not comparable (other data than the paper's)`,
    ...[...s.reasons].map(([why, n]) => `  not comparable (${n}): ${why}`),
    `source: ${s.sources.join('; ') || '?'}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function verifyCommand(args: Parsed): Promise<number> {
  const tol = numberFlag(args, 'tolerance', { min: 0, what: 'a number ≥ 0' }) ?? 0;
  const dirs = args.positionals as string[];
  const s = verifyRuns(dirs, tol);
  if (s.rows.length === 0)
    throw new UsageError(
      `${dirs.map((d) => join(d, 'metrics.json')).join(', ')} ${dirs.length > 1 ? 'have' : 'has'} no reported values: add report.reported to the config and rerun it`,
    );
  process.stdout.write(verifyText(s, tol));
  return s.outside > 0 ? EXIT.unitErrors : EXIT.ok;
}
