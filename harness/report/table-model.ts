import type { Cell, MetricsFile } from '../results/metrics-file.js';

export interface TableCell {
  /** n/a (no capability / not applicable), — (no scored unit), or a number. */
  readonly kind: 'value' | 'na' | 'none' | 'extra';
  readonly value: number | null;
  readonly text: string;
  readonly ci?: { readonly lo: number; readonly hi: number };
  /** Better than the baseline after correction. */
  readonly significant: boolean;
  readonly best: boolean;
  readonly incomplete: boolean;
  readonly reported?: { readonly value: number; readonly insideCi: boolean | null };
}

export interface TableColumn {
  readonly task: string;
  readonly key: string;
  readonly label: string;
  readonly direction: 'higher' | 'lower' | null;
  readonly group?: string;
}

/** A table wider than this many metric columns is split for reading: by task, then by metric group. */
export const MAX_METRIC_COLUMNS = 12;

/**
 * The parts a dataset's table is shown in, each with a title suffix: the whole
 * table when it is narrow enough; otherwise one part per task, and a task
 * still too wide one part per column group (ungrouped columns last).
 */
export function splitColumns(columns: readonly TableColumn[]): Array<{ suffix: string; columns: TableColumn[] }> {
  if (columns.length <= MAX_METRIC_COLUMNS) return [{ suffix: '', columns: [...columns] }];
  const parts: Array<{ suffix: string; columns: TableColumn[] }> = [];
  for (const task of [...new Set(columns.map((c) => c.task))]) {
    const mine = columns.filter((c) => c.task === task);
    const groups = [...new Set(mine.map((c) => c.group))];
    if (mine.length <= MAX_METRIC_COLUMNS || groups.length === 1) {
      parts.push({ suffix: ` — ${task}`, columns: mine });
      continue;
    }
    for (const g of groups.filter((x) => x !== undefined))
      parts.push({ suffix: ` — ${task}: ${g}`, columns: mine.filter((c) => c.group === g) });
    const loose = mine.filter((c) => c.group === undefined);
    if (loose.length > 0) parts.push({ suffix: ` — ${task}`, columns: loose });
  }
  return parts;
}

export interface TableRow {
  readonly method: string;
  readonly label: string;
  readonly cells: readonly TableCell[];
}

export interface Table {
  readonly title: string;
  readonly dataset: string;
  readonly seed: number;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
  readonly notes: readonly string[];
}

export interface TableOptions {
  readonly decimals: number;
}

const EXTRA_COLUMNS: TableColumn[] = [
  { task: '', key: 'errors', label: 'Errors', direction: null },
  { task: '', key: 'calls', label: 'LLM calls', direction: null },
  { task: '', key: 'cost', label: 'Cost $', direction: null },
];

export function methodLabel(method: string, cells: readonly Cell[]): string {
  const llm = cells.find((c) => c.method === method && c.llm)?.llm;
  if (!llm) return method;
  return llm.mock ? `${method} (offline mock, chance level)` : `${method} (${llm.model})`;
}

const plain = (text: string, kind: TableCell['kind'] = 'extra'): TableCell => ({
  kind,
  value: null,
  text,
  significant: false,
  best: false,
  incomplete: false,
});

/** One table per dataset (and seed), rows = methods, columns = every task's metrics; built from metrics.json only. */
export function buildTables(m: MetricsFile, opts: TableOptions): Table[] {
  const tables: Table[] = [];
  const all: TableColumn[] = m.columns.flatMap((c) =>
    c.metrics.map((x) => ({
      task: c.task,
      key: x.key,
      label: x.label,
      direction: x.direction,
      ...(x.group ? { group: x.group } : {}),
    })),
  );
  for (const seed of m.seeds) {
    for (const dataset of m.datasets) {
      for (const { suffix, columns } of splitColumns(all)) {
        const cellsHere = m.cells.filter((c) => c.dataset === dataset && c.seed === seed);
        const raw = m.methods.map((method) => {
          const byTask = new Map(cellsHere.filter((c) => c.method === method).map((c) => [c.task, c]));
          const values: TableCell[] = columns.map((col) => {
            const cell = byTask.get(col.task);
            if (!cell || cell.status === 'n/a') return plain('n/a', 'na');
            const metric = cell.metrics[col.key];
            if (!metric || metric.value === null) return plain('—', 'none');
            return {
              kind: 'value',
              value: metric.value,
              text: metric.value.toFixed(opts.decimals),
              ...(metric.ci ? { ci: { lo: metric.ci.lo, hi: metric.ci.hi } } : {}),
              significant:
                metric.comparison?.significant === true &&
                (metric.direction === 'higher' ? metric.comparison.effect > 0 : metric.comparison.effect < 0),
              best: false,
              incomplete: cell.status === 'incomplete',
              ...(metric.reported
                ? { reported: { value: metric.reported.value, insideCi: metric.reported.insideCi } }
                : {}),
            };
          });
          const mine = cellsHere.filter((c) => c.method === method);
          const errors = mine.reduce((s, c) => s + c.units.errors, 0);
          // The method's fit on this dataset counts once, whatever the number of its tasks.
          const fit = mine.find((c) => c.usage.fit)?.usage.fit;
          const calls = mine.reduce((s, c) => s + c.usage.calls, 0) + (fit?.calls ?? 0);
          const cost = mine.reduce((s, c) => s + c.usage.costUsd, 0) + (fit?.costUsd ?? 0);
          return { method, values, extras: [plain(String(errors)), plain(String(calls)), plain(cost.toFixed(4))] };
        });
        const best = columns.map((col, k) => {
          const vals = raw.map((r) => r.values[k]?.value).filter((v): v is number => v !== null && v !== undefined);
          if (vals.length < 2 || !col.direction) return null;
          return col.direction === 'higher' ? Math.max(...vals) : Math.min(...vals);
        });
        const rows: TableRow[] = raw.map((r) => ({
          method: r.method,
          label: methodLabel(r.method, m.cells),
          cells: [...r.values.map((v, k) => ({ ...v, best: v.value !== null && v.value === best[k] })), ...r.extras],
        }));
        const notes: string[] = [];
        if (m.statistics) notes.push(`Intervals: ${m.statistics.ci} (terminal: ± half the interval).`);
        if (m.statistics?.test)
          notes.push(`† better than ${m.statistics.baseline} at α = ${m.statistics.alpha} (${m.statistics.test}).`);
        if (rows.some((r) => r.cells.some((c) => c.reported)))
          notes.push(`Paper values from ${m.statistics?.reported ?? 'the reported file'}: ✓ inside our CI, ✗ outside.`);
        if (cellsHere.some((c) => c.status === 'incomplete'))
          notes.push('* incomplete: some units of this cell have not run yet (rerun the config to finish).');
        if (cellsHere.some((c) => c.llm?.mock))
          notes.push(
            'Rows marked "offline mock" use the deterministic offline LLM: chance level by design, for pipeline checks only.',
          );
        for (const c of cellsHere.filter((x) => x.units.errors > 0)) {
          const kinds = Object.entries(c.units.errorKinds)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ');
          notes.push(`${c.method} / ${c.task}: ${c.units.errors} unit error(s) (${kinds}), excluded from the metric.`);
        }
        tables.push({
          title: `${m.name}: ${dataset}${m.seeds.length > 1 ? ` (seed ${seed})` : ''}${suffix}`,
          dataset,
          seed,
          columns: [...columns, ...EXTRA_COLUMNS],
          rows,
          notes,
        });
      }
    }
  }
  return tables;
}

export function arrow(direction: 'higher' | 'lower' | null): string {
  return direction === 'higher' ? ' ↑' : direction === 'lower' ? ' ↓' : '';
}

/** "0.512 [0.491, 0.533]†*" plus " (paper 0.820 ✗)": the long form used by Markdown and HTML. */
export function longText(c: TableCell, decimals: number): string {
  if (c.kind !== 'value') return c.text;
  const ci = c.ci ? ` [${c.ci.lo.toFixed(decimals)}, ${c.ci.hi.toFixed(decimals)}]` : '';
  const rep = c.reported ? ` (paper ${c.reported.value.toFixed(decimals)} ${c.reported.insideCi ? '✓' : '✗'})` : '';
  return `${c.text}${ci}${c.significant ? '†' : ''}${c.incomplete ? '*' : ''}${rep}`;
}

/** "0.512±0.021†": the compact form for terminals. */
export function shortText(c: TableCell, decimals: number): string {
  if (c.kind !== 'value') return c.text;
  const half = c.ci ? `±${((c.ci.hi - c.ci.lo) / 2).toFixed(decimals)}` : '';
  const rep = c.reported ? ` p${c.reported.value.toFixed(decimals)}${c.reported.insideCi ? '✓' : '✗'}` : '';
  return `${c.text}${half}${c.significant ? '†' : ''}${c.incomplete ? '*' : ''}${rep}`;
}
