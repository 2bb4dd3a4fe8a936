import type { Manifest } from '../results/manifest.js';
import type { Cell, CellMetric, MetricsFile } from '../results/metrics-file.js';

/** One value of one cell, as `usersim compare` judges it. */
export interface ValueComparison {
  readonly dataset: string;
  readonly task: string;
  readonly method: string;
  readonly seed: number;
  /** The metric's key, or null for a cell-level difference (n/a in one run, missing in the other). */
  readonly metric: string | null;
  readonly label: string;
  readonly verdict: 'identical' | 'within-tolerance' | 'different';
  readonly a: string;
  readonly b: string;
  /** b − a, when both are numbers. */
  readonly difference: number | null;
  /** Whether the two confidence intervals overlap (null: a value has none). */
  readonly overlap: boolean | null;
  readonly why: string;
}

export interface RunFacts {
  readonly metrics: MetricsFile;
  readonly manifest: Manifest | null;
}

/** Something about the two runs as a whole that differs: the reader should know before reading the values. */
export interface RunFlag {
  readonly what: string;
  readonly a: string;
  readonly b: string;
}

export interface RunComparison {
  readonly flags: readonly RunFlag[];
  readonly values: readonly ValueComparison[];
  readonly counts: Readonly<Record<ValueComparison['verdict'], number>>;
}

/** Cells pair by dataset, task and method, and by seed when a run has several (two one-seed runs pair across seeds). */
const cellKey = (c: Cell, bySeed: boolean) =>
  `${c.dataset}\u0000${c.task}\u0000${c.method}${bySeed ? `\u0000${c.seed}` : ''}`;

function shownValue(x: CellMetric | undefined, cell: Cell | undefined): string {
  if (!cell) return 'missing';
  if (cell.status === 'n/a') return `n/a (${cell.reason ?? cell.naKind ?? 'not applicable'})`;
  if (!x) return 'no such metric';
  if (x.value === null) return `no value (n = ${x.n})`;
  return String(x.value);
}

function sameInterval(a: CellMetric, b: CellMetric, tol: number): boolean {
  if (!a.ci || !b.ci) return !a.ci && !b.ci;
  return Math.abs(a.ci.lo - b.ci.lo) <= tol && Math.abs(a.ci.hi - b.ci.hi) <= tol;
}

function compareMetric(
  base: Omit<ValueComparison, 'verdict' | 'a' | 'b' | 'difference' | 'overlap' | 'why' | 'label'>,
  label: string,
  x: CellMetric | undefined,
  y: CellMetric | undefined,
  cells: { a: Cell | undefined; b: Cell | undefined },
  tol: number,
): ValueComparison {
  const a = shownValue(x, cells.a);
  const b = shownValue(y, cells.b);
  const out = { ...base, label, a, b };
  if (!x || !y || x.value === null || y.value === null) {
    const same = a === b;
    return {
      ...out,
      verdict: same ? 'identical' : 'different',
      difference: null,
      overlap: null,
      why: same ? '' : 'one run has a value the other has not',
    };
  }
  const difference = y.value - x.value;
  const overlap = x.ci && y.ci ? x.ci.lo <= y.ci.hi && y.ci.lo <= x.ci.hi : null;
  const nSame = x.n === y.n;
  if (difference === 0 && nSame && sameInterval(x, y, 0))
    return { ...out, verdict: 'identical', difference, overlap, why: '' };
  if (Math.abs(difference) <= tol && nSame && sameInterval(x, y, tol))
    return { ...out, verdict: 'within-tolerance', difference, overlap, why: '' };
  const why = [
    difference !== 0 ? `differs by ${difference > 0 ? '+' : ''}${difference.toPrecision(3)}` : 'same value',
    nSame ? '' : `n ${x.n} vs ${y.n}`,
    difference === 0 && nSame ? 'intervals differ' : '',
    overlap === null ? '' : overlap ? 'intervals overlap' : 'intervals do NOT overlap',
  ]
    .filter(Boolean)
    .join(', ');
  return { ...out, verdict: 'different', difference, overlap, why };
}

function modelsOf(r: RunFacts): Record<string, string> {
  const out: Record<string, string> = {};
  const llms = r.manifest?.llms;
  if (llms) for (const [k, l] of Object.entries(llms)) out[k] = `${l.provider}/${l.model}${l.mock ? ' (mock)' : ''}`;
  else
    for (const c of r.metrics.cells)
      if (c.llm) out[c.method] = `${c.llm.provider}/${c.llm.model}${c.llm.mock ? ' (mock)' : ''}`;
  return out;
}

function runFlags(a: RunFacts, b: RunFacts): RunFlag[] {
  const flags: RunFlag[] = [];
  if (a.metrics.seeds.join(',') !== b.metrics.seeds.join(','))
    flags.push({ what: 'seeds', a: a.metrics.seeds.join(', '), b: b.metrics.seeds.join(', ') });
  if (a.metrics.configHash !== b.metrics.configHash)
    flags.push({ what: 'config hash', a: a.metrics.configHash, b: b.metrics.configHash });
  const ma = modelsOf(a);
  const mb = modelsOf(b);
  for (const k of [...new Set([...Object.keys(ma), ...Object.keys(mb)])].sort()) {
    if (ma[k] !== mb[k]) flags.push({ what: `model of ${k}`, a: ma[k] ?? 'none', b: mb[k] ?? 'none' });
  }
  if ((a.metrics.statistics?.ci ?? '') !== (b.metrics.statistics?.ci ?? ''))
    flags.push({ what: 'intervals', a: a.metrics.statistics?.ci ?? 'none', b: b.metrics.statistics?.ci ?? 'none' });
  if ((a.metrics.statistics?.test ?? '') !== (b.metrics.statistics?.test ?? ''))
    flags.push({ what: 'test', a: a.metrics.statistics?.test ?? 'none', b: b.metrics.statistics?.test ?? 'none' });
  if (a.manifest && b.manifest) {
    const json = (x: unknown) => JSON.stringify(x);
    if (json(a.manifest.datasets) !== json(b.manifest.datasets))
      flags.push({ what: 'dataset checksums', a: 'see manifest.json', b: 'differ' });
    if (json(a.manifest.prompts) !== json(b.manifest.prompts))
      flags.push({ what: 'prompt templates', a: 'see manifest.json', b: 'differ' });
  }
  return flags;
}

/** Cell by cell, value by value: identical, within `tolerance`, or different. */
export function compareRuns(a: RunFacts, b: RunFacts, tolerance: number): RunComparison {
  const bySeed = a.metrics.seeds.length > 1 || b.metrics.seeds.length > 1;
  const byKey = (m: MetricsFile) => new Map(m.cells.map((c) => [cellKey(c, bySeed), c]));
  const ca = byKey(a.metrics);
  const cb = byKey(b.metrics);
  const values: ValueComparison[] = [];
  const keys = [...ca.keys(), ...[...cb.keys()].filter((k) => !ca.has(k))];
  for (const k of keys) {
    const x = ca.get(k);
    const y = cb.get(k);
    const any = (x ?? y) as Cell;
    const base = { dataset: any.dataset, task: any.task, method: any.method, seed: any.seed };
    if (!x || !y || x.status === 'n/a' || y.status === 'n/a') {
      const sa = shownValue(undefined, x);
      const sb = shownValue(undefined, y);
      const bothNa = x?.status === 'n/a' && y?.status === 'n/a';
      const same = bothNa ? x.reason === y.reason : false;
      if (bothNa && same) {
        values.push({
          ...base,
          metric: null,
          label: '(cell)',
          verdict: 'identical',
          a: sa,
          b: sb,
          difference: null,
          overlap: null,
          why: '',
        });
        continue;
      }
      if (x && y && x.status !== 'n/a' && y.status !== 'n/a') continue;
      values.push({
        ...base,
        metric: null,
        label: '(cell)',
        verdict: 'different',
        a: x && x.status !== 'n/a' ? 'has values' : sa,
        b: y && y.status !== 'n/a' ? 'has values' : sb,
        difference: null,
        overlap: null,
        why: !x ? 'only in B' : !y ? 'only in A' : 'n/a in one run only',
      });
      continue;
    }
    const metricKeys = [...Object.keys(x.metrics), ...Object.keys(y.metrics).filter((m) => !(m in x.metrics))];
    for (const mk of metricKeys) {
      const label = x.metrics[mk]?.label ?? y.metrics[mk]?.label ?? mk;
      values.push(
        compareMetric({ ...base, metric: mk }, label, x.metrics[mk], y.metrics[mk], { a: x, b: y }, tolerance),
      );
    }
  }
  const counts = { identical: 0, 'within-tolerance': 0, different: 0 };
  for (const v of values) counts[v.verdict]++;
  return { flags: runFlags(a, b), values, counts };
}
