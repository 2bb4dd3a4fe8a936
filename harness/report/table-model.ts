import type { Cell, CellMetric, MetricsFile, NaKind } from '../results/metrics-file.js';

/**
 * Why a cell has no number. Each has its own mark in every format, and a
 * table explains the ones it contains:
 * - not-applicable: the task does not apply to this dataset (n/a);
 * - no-capability: the method lacks what the task needs (n/c);
 * - not-asked: the task's `methods:` list leaves the method out;
 * - errored: every unit of the cell ended in an error (err);
 * - no-value: units ran without error but none gave this score, e.g. Sat for a
 *   simulator without an exit interview (—).
 */
export type Absence = NaKind | 'errored' | 'no-value';

export interface TableCell {
  readonly kind: 'value' | 'absent' | 'extra' | 'reference' | 'blank';
  readonly value: number | null;
  /** The value, fixed to the table's decimals (or the mark's text for an absent cell). */
  readonly text: string;
  readonly absence?: Absence;
  readonly ci?: { readonly lo: number; readonly hi: number };
  /** Units behind the value. */
  readonly n?: number;
  /** n differs from the column's usual n, so every format shows it. */
  readonly showN: boolean;
  /** Better than the baseline after correction. */
  readonly significant: boolean;
  readonly best: boolean;
  readonly incomplete: boolean;
  /** The interval has zero width: every resample gives this value. */
  readonly degenerate: boolean;
  /** A point value (its estimator gives no interval, e.g. τ). */
  readonly point: boolean;
  readonly reported?: {
    readonly value: number;
    readonly insideCi: boolean | null;
    readonly source: string;
    /** The paper measured it on other data than this run's (why): shown, never compared. */
    readonly notComparable?: string;
  };
}

export interface TableColumn {
  readonly task: string;
  readonly key: string;
  readonly label: string;
  readonly direction: 'higher' | 'lower' | null;
  readonly group?: string;
  readonly unit?: string;
  readonly judge?: { readonly provider: string; readonly model: string; readonly mock: boolean };
  /** The n most values of this column have (the units the task scores); null for extra columns. */
  readonly n: number | null;
}

export interface TableRow {
  readonly method: string;
  readonly label: string;
  readonly mock: boolean;
  readonly baseline: boolean;
  /** A row of fixed reference values (the human means gaps are measured from), not a method. */
  readonly reference: boolean;
  readonly cells: readonly TableCell[];
}

export interface Table {
  readonly title: string;
  readonly dataset: string;
  readonly seed: number;
  readonly part: { readonly index: number; readonly count: number } | null;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
  /** The cells of this table's dataset and seed (for the notes: errors, n/a reasons). */
  readonly cells: readonly Cell[];
  readonly statistics: MetricsFile['statistics'];
}

export interface TableOptions {
  readonly decimals: number;
  /** Metric columns per table before it is split (by task, then by metric group, then in chunks). */
  readonly maxColumns?: number;
  /** Add the Errors, LLM calls and Cost columns (default true). */
  readonly extras?: boolean;
}

/** A table wider than this many metric columns is split for reading: by task, then by metric group. */
export const MAX_METRIC_COLUMNS = 12;

type MetricColumn = Omit<TableColumn, 'n'>;

/**
 * The parts a dataset's table is shown in, each with a title suffix: the whole
 * table when it is narrow enough; otherwise one part per task, a task still
 * too wide one part per column group (ungrouped columns last), and a part
 * still too wide in chunks. A title names the task only when the table has
 * several, so no title repeats it.
 */
export function splitColumns<C extends MetricColumn>(
  columns: readonly C[],
  max = MAX_METRIC_COLUMNS,
): Array<{ suffix: string; columns: C[] }> {
  if (columns.length <= max) return [{ suffix: '', columns: [...columns] }];
  const tasks = [...new Set(columns.map((c) => c.task))];
  const parts: Array<{ suffix: string; columns: C[] }> = [];
  const push = (suffix: string, cols: C[]) => {
    if (cols.length <= max) return void parts.push({ suffix, columns: cols });
    const chunks = Math.ceil(cols.length / max);
    for (let k = 0; k < chunks; k++) {
      const slice = cols.slice(k * max, (k + 1) * max);
      parts.push({
        suffix: `${suffix}${suffix ? ', ' : ' — '}${slice[0]?.label} to ${slice.at(-1)?.label}`,
        columns: slice,
      });
    }
  };
  for (const task of tasks) {
    const mine = columns.filter((c) => c.task === task);
    const several = tasks.length > 1;
    const named = (what: string | null) =>
      several ? ` — ${task}${what ? ` (${what})` : ''}` : what ? ` — ${what}` : '';
    const groups = [...new Set(mine.map((c) => c.group))];
    if (mine.length <= max || groups.length === 1) {
      push(named(null), mine);
      continue;
    }
    for (const g of groups.filter((x) => x !== undefined))
      push(
        named(g),
        mine.filter((c) => c.group === g),
      );
    const loose = mine.filter((c) => c.group === undefined);
    if (loose.length > 0) push(named(loose.map((c) => c.label).join(', ')), loose);
  }
  return parts;
}

const EXTRA_COLUMNS: TableColumn[] = [
  { task: '', key: 'errors', label: 'Errors', direction: null, n: null },
  { task: '', key: 'calls', label: 'LLM calls', direction: null, n: null },
  { task: '', key: 'cost', label: 'Cost $', direction: null, n: null },
];

const EMPTY = { showN: false, significant: false, best: false, incomplete: false, degenerate: false, point: false };

const plain = (text: string, kind: TableCell['kind'] = 'extra'): TableCell => ({ kind, value: null, text, ...EMPTY });

/** The text each format shows for an absent cell; notes explain the ones a table contains. */
export const ABSENCE_TEXT: Readonly<Record<Absence, string>> = {
  'not-applicable': 'n/a',
  'no-capability': 'n/c',
  'not-asked': 'not asked',
  errored: 'err',
  'no-value': '—',
};

const absent = (absence: Absence): TableCell => ({
  kind: 'absent',
  value: null,
  text: ABSENCE_TEXT[absence],
  absence,
  ...EMPTY,
});

function mockOf(method: string, cells: readonly Cell[]): boolean {
  return cells.some((c) => c.method === method && c.llm?.mock === true);
}

/** The row label: the method, its model (or "mock"), and "baseline" for the method every other is tested against. */
export function methodLabel(method: string, cells: readonly Cell[], baseline: string | null): string {
  const llm = cells.find((c) => c.method === method && c.llm)?.llm;
  const tags = [llm ? (llm.mock ? 'mock' : llm.model) : null, method === baseline ? 'baseline' : null].filter(
    (t): t is string => t !== null,
  );
  return tags.length > 0 ? `${method} (${tags.join(', ')})` : method;
}

function valueCell(cell: Cell, metric: CellMetric | undefined, decimals: number): TableCell {
  if (!metric || metric.value === null) {
    const allErrored = cell.units.errors > 0 && (metric?.n ?? 0) === 0;
    return absent(allErrored ? 'errored' : 'no-value');
  }
  const ci = metric.ci ? { lo: metric.ci.lo, hi: metric.ci.hi } : undefined;
  return {
    kind: 'value',
    value: metric.value,
    text: metric.value.toFixed(decimals),
    ...(ci ? { ci } : {}),
    n: metric.n,
    showN: false,
    significant:
      metric.comparison?.significant === true &&
      (metric.direction === 'higher' ? metric.comparison.effect > 0 : metric.comparison.effect < 0),
    best: false,
    incomplete: cell.status === 'incomplete',
    degenerate: ci !== undefined && ci.lo === ci.hi,
    point: metric.estimator === 'point',
    ...(metric.reported
      ? {
          reported: {
            value: metric.reported.value,
            insideCi: metric.reported.insideCi,
            source: metric.reported.source,
            ...(metric.reported.notComparable ? { notComparable: metric.reported.notComparable } : {}),
          },
        }
      : {}),
  };
}

/** The most common n of a column's values (ties: the largest): what "the task's unit count" is for this column. */
function usualN(cells: readonly TableCell[]): number | null {
  const counts = new Map<number, number>();
  for (const c of cells) if (c.kind === 'value' && c.n !== undefined) counts.set(c.n, (counts.get(c.n) ?? 0) + 1);
  let best: number | null = null;
  for (const [n, k] of counts)
    if (best === null || k > (counts.get(best) ?? 0) || (k === counts.get(best) && n > best)) best = n;
  return best;
}

/** A gap metric's fixed reference (the human mean), on the value's scale; null for other metrics. */
function referenceOf(cells: readonly Cell[], key: string): number | null {
  for (const c of cells) {
    const g = (c.metrics[key] as (CellMetric & { gap?: { reference: number; scale: number } }) | undefined)?.gap;
    if (g && c.metrics[key]?.estimator === 'gap') return g.reference * g.scale;
  }
  return null;
}

/**
 * One table per dataset (and seed), rows = methods, columns = every task's
 * metrics, split into parts when wide; built from metrics.json alone. Best
 * marks skip mock rows, degenerate values and reference rows, and need two
 * candidates.
 */
export function buildTables(m: MetricsFile, opts: TableOptions): Table[] {
  const tables: Table[] = [];
  const baseline = m.statistics?.baseline ?? null;
  const all: MetricColumn[] = m.columns.flatMap((c) =>
    c.metrics.map((x) => ({
      task: c.task,
      key: x.key,
      label: x.label,
      direction: x.direction,
      ...(x.group ? { group: x.group } : {}),
      ...(x.unit ? { unit: x.unit } : {}),
      ...(x.judge ? { judge: x.judge } : {}),
    })),
  );
  const parts = splitColumns(all, opts.maxColumns ?? MAX_METRIC_COLUMNS);
  for (const seed of m.seeds) {
    for (const dataset of m.datasets) {
      const cellsHere = m.cells.filter((c) => c.dataset === dataset && c.seed === seed);
      parts.forEach(({ suffix, columns }, partIndex) => {
        const raw = m.methods.map((method) => {
          const byTask = new Map(cellsHere.filter((c) => c.method === method).map((c) => [c.task, c]));
          const values: TableCell[] = columns.map((col) => {
            const cell = byTask.get(col.task);
            if (!cell) return absent('not-applicable');
            if (cell.status === 'n/a') return absent(cell.naKind ?? 'not-applicable');
            return valueCell(cell, cell.metrics[col.key], opts.decimals);
          });
          const mine = cellsHere.filter((c) => c.method === method);
          const errors = mine.reduce((s, c) => s + c.units.errors, 0);
          // The method's fit on this dataset counts once, whatever the number of its tasks.
          const fit = mine.find((c) => c.usage.fit)?.usage.fit;
          const calls = mine.reduce((s, c) => s + c.usage.calls, 0) + (fit?.calls ?? 0);
          const cost = mine.reduce((s, c) => s + c.usage.costUsd, 0) + (fit?.costUsd ?? 0);
          return {
            method,
            mock: mockOf(method, cellsHere),
            values,
            extras: [plain(String(errors)), plain(String(calls)), plain(cost.toFixed(4))],
          };
        });
        const metricColumns: TableColumn[] = columns.map((col, k) => {
          const here = raw.map((r) => r.values[k] as TableCell);
          // A column of point values (τ) has no units to count.
          const counted = here.some((c) => c.kind === 'value' && !c.point);
          return { ...col, n: counted ? usualN(here) : null };
        });
        const best = columns.map((col, k) => {
          const eligible = raw
            .filter((r) => !r.mock)
            .map((r) => r.values[k] as TableCell)
            .filter((c) => c.kind === 'value' && !c.degenerate && c.value !== null)
            .map((c) => c.value as number);
          if (eligible.length < 2 || !col.direction) return null;
          return col.direction === 'higher' ? Math.max(...eligible) : Math.min(...eligible);
        });
        // The run columns (errors, calls, cost) are per method, the same in every part: the last part has them.
        const extras = (opts.extras ?? true) && partIndex === parts.length - 1;
        const rows: TableRow[] = raw.map((r) => ({
          method: r.method,
          label: methodLabel(r.method, m.cells, baseline),
          mock: r.mock,
          baseline: r.method === baseline,
          reference: false,
          cells: [
            ...r.values.map((v, k) => {
              const colN = metricColumns[k]?.n ?? null;
              return {
                ...v,
                best: !r.mock && !v.degenerate && v.value !== null && v.value === best[k],
                showN: v.kind === 'value' && !v.point && colN !== null && v.n !== colN,
              };
            }),
            ...(extras ? r.extras : []),
          ],
        }));
        // A task's reference rows (the humans, scored like a method by the task itself): never best, never tested.
        const referenceCells = cellsHere.filter((c) => c.reference);
        const labels = [...new Set(referenceCells.map((c) => c.reference?.label as string))];
        for (const label of labels) {
          const byTask = new Map(referenceCells.filter((c) => c.reference?.label === label).map((c) => [c.task, c]));
          rows.push({
            method: referenceCells.find((c) => c.reference?.label === label)?.method ?? 'human',
            label,
            mock: false,
            baseline: false,
            reference: true,
            cells: [
              ...columns.map((col) => {
                const cell = byTask.get(col.task);
                if (!cell) return plain('', 'blank');
                return { ...valueCell(cell, cell.metrics[col.key], opts.decimals), best: false, showN: false };
              }),
              ...(extras ? EXTRA_COLUMNS.map(() => plain('', 'blank')) : []),
            ],
          });
        }
        const references = columns.map((col) => referenceOf(cellsHere, col.key));
        if (labels.length === 0 && references.some((x) => x !== null))
          rows.push({
            method: '(human)',
            label: 'human (reference)',
            mock: false,
            baseline: false,
            reference: true,
            cells: [
              ...references.map((x) =>
                x === null ? plain('', 'blank') : { ...plain(x.toFixed(opts.decimals), 'reference'), value: x },
              ),
              ...(extras ? EXTRA_COLUMNS.map(() => plain('', 'blank')) : []),
            ],
          });
        tables.push({
          title: `${m.name}: ${dataset}${m.seeds.length > 1 ? ` (seed ${seed})` : ''}${suffix}`,
          dataset,
          seed,
          part: parts.length > 1 ? { index: partIndex + 1, count: parts.length } : null,
          columns: [...metricColumns, ...(extras ? EXTRA_COLUMNS : [])],
          rows,
          cells: cellsHere,
          statistics: m.statistics,
        });
      });
    }
  }
  return tables;
}

export function arrow(direction: 'higher' | 'lower' | null): string {
  return direction === 'higher' ? ' ↑' : direction === 'lower' ? ' ↓' : '';
}

/** The column header: label, direction arrow, and "(mock judge)" for a column a mock judge scored. */
export function columnHeader(c: TableColumn): string {
  return `${c.label}${arrow(c.direction)}${c.judge?.mock ? ' (mock judge)' : ''}`;
}

/** The marks after a value: † significant, ≡ degenerate interval, * incomplete. */
export function valueMarks(c: TableCell): string {
  return `${c.significant ? '†' : ''}${c.degenerate ? '≡' : ''}${c.incomplete ? '*' : ''}`;
}

/** "0.512 [0.491, 0.533]†": the value with its interval (none when degenerate or a point value). */
export function longText(c: TableCell, decimals: number): string {
  if (c.kind !== 'value') return c.text;
  const ci = c.ci && !c.degenerate ? ` [${c.ci.lo.toFixed(decimals)}, ${c.ci.hi.toFixed(decimals)}]` : '';
  return `${c.text}${ci}${valueMarks(c)}`;
}

/** "0.512±0.021†": the compact form for terminals (± half the interval). */
export function shortText(c: TableCell, decimals: number): string {
  if (c.kind !== 'value') return c.text;
  const half = c.ci && !c.degenerate ? `±${((c.ci.hi - c.ci.lo) / 2).toFixed(decimals)}` : '';
  return `${c.text}${half}${valueMarks(c)}`;
}

/** "paper 0.550 ✓": the paper's value and whether it lies inside our interval. */
export function reportedText(c: TableCell, decimals: number): string {
  if (!c.reported) return '';
  const verdict = c.reported.notComparable
    ? ' ≠'
    : c.reported.insideCi === null
      ? ''
      : c.reported.insideCi
        ? ' ✓'
        : ' ✗';
  return `paper ${c.reported.value.toFixed(decimals)}${verdict}`;
}
