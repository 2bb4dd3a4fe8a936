import { describe, expect, it } from 'vitest';
import {
  buildTables,
  MAX_METRIC_COLUMNS,
  splitColumns,
  type TableColumn,
} from '../../../harness/report/table-model.ts';
import { cellUsage } from '../../../harness/score/cell-from-lines.ts';
import type { Cell, CellMetric, MetricsFile } from '../../../harness/results/metrics-file.ts';
import { emptyTotals } from '../../../harness/llm/usage-meter.ts';

const col = (task: string, key: string, group?: string): Omit<TableColumn, 'n'> => ({
  task,
  key,
  label: key,
  direction: 'higher',
  ...(group ? { group } : {}),
});

describe('splitColumns', () => {
  it('keeps a table whole up to the limit', () => {
    const cols = Array.from({ length: MAX_METRIC_COLUMNS }, (_, k) => col(k < 6 ? 'a' : 'b', `m${k}`));
    expect(splitColumns(cols)).toEqual([{ suffix: '', columns: cols }]);
  });

  it('splits a wide table by task, then a wide task by group with its loose columns last', () => {
    const groups = ['random', 'pop', 'ease', 'itemknn'];
    const wide = [
      ...groups.flatMap((g) => ['liked', 'rating', 'pages', 'sat'].map((m) => col('rec', `${m}@${g}`, g))),
      col('rec', 'tau'),
    ];
    const narrow = [col('rating', 'rmse'), col('rating', 'mae')];
    const parts = splitColumns([...narrow, ...wide]);
    expect(parts.map((p) => p.suffix)).toEqual([
      ' — rating',
      ' — rec (random)',
      ' — rec (pop)',
      ' — rec (ease)',
      ' — rec (itemknn)',
      ' — rec (tau)',
    ]);
    // With one task, no title repeats its name: the parts are named by group.
    expect(splitColumns(wide).map((p) => p.suffix)).toEqual([' — random', ' — pop', ' — ease', ' — itemknn', ' — tau']);
    expect(parts[2]?.columns.map((c) => c.key)).toEqual(['liked@pop', 'rating@pop', 'pages@pop', 'sat@pop']);
    expect(parts[5]?.columns.map((c) => c.key)).toEqual(['tau']);
    // A wide task without groups is cut into chunks, each named by its first and last column.
    const flat = Array.from({ length: MAX_METRIC_COLUMNS + 1 }, (_, k) => col('x', `m${k}`));
    expect(splitColumns(flat).map((p) => [p.suffix, p.columns.length])).toEqual([
      [' — m0 to m11', MAX_METRIC_COLUMNS],
      [' — m12 to m12', 1],
    ]);
  });
});

describe('buildTables', () => {
  const metric = (value: number): CellMetric => ({
    label: 'x',
    direction: 'higher',
    unitScore: 's',
    estimator: 'mean',
    value,
    n: 1,
    unitIds: [],
    unitKeys: [],
    unitScores: [],
  });
  const keys = Array.from({ length: 14 }, (_, k) => ({
    key: `m${k}`,
    label: `M${k}`,
    direction: 'higher' as const,
    group: k < 7 ? 'g1' : 'g2',
  }));
  const cell = (method: string, base: number): Cell => ({
    dataset: 'd',
    task: 't',
    method,
    seed: 1,
    status: 'ok',
    llm: null,
    units: { total: 1, done: 1, scored: 1, errors: 0, errorKinds: {} },
    usage: cellUsage(emptyTotals(), 1),
    metrics: Object.fromEntries(keys.map((k, j) => [k.key, metric(base + j)])),
  });
  const m: MetricsFile = {
    formatVersion: 1,
    name: 'run',
    configHash: 'h',
    columns: [{ task: 't', metrics: keys }],
    datasets: ['d'],
    methods: ['a', 'b'],
    seeds: [1],
    cells: [cell('a', 0), cell('b', 1)],
    usage: cellUsage(emptyTotals(), 0),
  };

  it('renders a wide table in parts, each with its own columns and best marks, the run columns in the last', () => {
    const tables = buildTables(m, { decimals: 2 });
    expect(tables.map((t) => t.title)).toEqual(['run: d — g1', 'run: d — g2']);
    expect(tables.map((t) => t.part)).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    expect(tables[0]?.columns.map((c) => c.key)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(tables[1]?.columns.map((c) => c.key)).toEqual([
      'm7',
      'm8',
      'm9',
      'm10',
      'm11',
      'm12',
      'm13',
      'errors',
      'calls',
      'cost',
    ]);
    expect(tables[1]?.rows[1]?.cells[0]).toMatchObject({ text: '8.00', best: true });
    expect(tables[1]?.rows[0]?.cells[0]).toMatchObject({ text: '7.00', best: false });
  });
});
