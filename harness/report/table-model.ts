import type { Cell, MetricsFile } from '../runner/metrics-file.js';

export interface TableCell {
  readonly text: string;
  readonly value: number | null;
  readonly best: boolean;
}

export interface TableColumn {
  readonly task: string;
  readonly key: string;
  readonly label: string;
  readonly direction: 'higher' | 'lower' | null;
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

/** One table per dataset (and seed), rows = methods, columns = every task's metrics; built from metrics.json only. */
export function buildTables(m: MetricsFile, opts: TableOptions): Table[] {
  const tables: Table[] = [];
  const columns: TableColumn[] = m.columns.flatMap((c) => c.metrics.map((x) => ({ task: c.task, key: x.key, label: x.label, direction: x.direction })));
  for (const seed of m.seeds) {
    for (const dataset of m.datasets) {
      const cellsHere = m.cells.filter((c) => c.dataset === dataset && c.seed === seed);
      const raw = m.methods.map((method) => {
        const byTask = new Map(cellsHere.filter((c) => c.method === method).map((c) => [c.task, c]));
        const values = columns.map((col) => {
          const cell = byTask.get(col.task);
          if (!cell || cell.status === 'n/a') return { text: 'n/a', value: null };
          const metric = cell.metrics[col.key];
          if (!metric || metric.value === null) return { text: '—', value: null };
          const ci = metric.ci ? ` [${metric.ci.lo.toFixed(opts.decimals)}, ${metric.ci.hi.toFixed(opts.decimals)}]` : '';
          const mark = cell.status === 'incomplete' ? '*' : '';
          return { text: `${metric.value.toFixed(opts.decimals)}${ci}${mark}`, value: metric.value };
        });
        const mine = cellsHere.filter((c) => c.method === method);
        const errors = mine.reduce((s, c) => s + c.units.errors, 0);
        const calls = mine.reduce((s, c) => s + c.usage.calls, 0);
        const cost = mine.reduce((s, c) => s + c.usage.costUsd, 0);
        return { method, values, extras: [String(errors), String(calls), cost.toFixed(4)] };
      });
      const best = columns.map((col, k) => {
        const vals = raw.map((r) => r.values[k]?.value).filter((v): v is number => v !== null && v !== undefined);
        if (vals.length < 2 || !col.direction) return null;
        return col.direction === 'higher' ? Math.max(...vals) : Math.min(...vals);
      });
      const rows: TableRow[] = raw.map((r) => ({
        method: r.method,
        label: methodLabel(r.method, m.cells),
        cells: [
          ...r.values.map((v, k) => ({ text: v.text, value: v.value, best: v.value !== null && v.value === best[k] })),
          ...r.extras.map((t) => ({ text: t, value: null, best: false })),
        ],
      }));
      const notes: string[] = [];
      if (cellsHere.some((c) => c.status === 'incomplete')) notes.push('* incomplete: some units of this cell have not run yet (rerun the config to finish).');
      if (cellsHere.some((c) => c.llm?.mock)) notes.push('Rows marked "offline mock" use the deterministic offline LLM: chance level by design, for pipeline checks only.');
      const errorCells = cellsHere.filter((c) => c.units.errors > 0);
      for (const c of errorCells) {
        const kinds = Object.entries(c.units.errorKinds).map(([k, n]) => `${n} ${k}`).join(', ');
        notes.push(`${c.method} / ${c.task}: ${c.units.errors} unit error(s) (${kinds}), excluded from the metric.`);
      }
      tables.push({
        title: `${m.name}: ${dataset}${m.seeds.length > 1 ? ` (seed ${seed})` : ''}`,
        dataset,
        seed,
        columns: [...columns, ...EXTRA_COLUMNS],
        rows,
        notes,
      });
    }
  }
  return tables;
}

export function arrow(direction: 'higher' | 'lower' | null): string {
  return direction === 'higher' ? ' ↑' : direction === 'lower' ? ' ↓' : '';
}
