import { describe, expect, it } from 'vitest';
import {
  buildTables,
  MAX_METRIC_COLUMNS,
  splitColumns,
  type TableColumn,
} from '../../../harness/report/table-model.ts';
import { tableNotes } from '../../../harness/report/notes.ts';
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

describe('marks', () => {
  const usage = cellUsage(emptyTotals(), 1);
  const metric = (value: number | null, n: number, ci?: [number, number]): CellMetric => ({
    label: 'X',
    direction: 'higher',
    unitScore: 's',
    estimator: 'mean',
    value,
    n,
    unitIds: [],
    unitKeys: [],
    unitScores: [],
    ...(ci ? { ci: { lo: ci[0], hi: ci[1], level: 0.95, method: 'p' } } : {}),
  });
  const base = { dataset: 'd', task: 't', seed: 1, llm: null, usage };
  const units = (errors: number) => ({
    total: 4,
    done: 4,
    scored: 4 - errors,
    errors,
    errorKinds: errors ? { parse: errors } : {},
  });
  const m: MetricsFile = {
    formatVersion: 1,
    name: 'run',
    configHash: 'h',
    columns: [{ task: 't', metrics: [{ key: 'x', label: 'X', direction: 'higher' }] }],
    datasets: ['d'],
    methods: ['ok', 'few', 'flat', 'broken', 'nocap', 'left', 'mock'],
    seeds: [1],
    cells: [
      { ...base, method: 'ok', status: 'ok', units: units(0), metrics: { x: metric(0.5, 4, [0.4, 0.6]) } },
      { ...base, method: 'few', status: 'ok', units: units(1), metrics: { x: metric(0.6, 3, [0.5, 0.7]) } },
      { ...base, method: 'flat', status: 'ok', units: units(0), metrics: { x: metric(0.9, 4, [0.9, 0.9]) } },
      { ...base, method: 'broken', status: 'ok', units: units(4), metrics: { x: metric(null, 0) } },
      {
        ...base,
        method: 'nocap',
        status: 'n/a',
        naKind: 'no-capability',
        reason: 'nocap has no rate capability',
        units: units(0),
        metrics: {},
      },
      {
        ...base,
        method: 'left',
        status: 'n/a',
        naKind: 'not-asked',
        reason: 'not asked',
        units: units(0),
        metrics: {},
      },
      {
        ...base,
        method: 'mock',
        llm: { provider: 'offline', model: 'offline-mock', mock: true },
        status: 'ok',
        units: units(0),
        metrics: { x: metric(0.99, 4, [0.95, 1]) },
      },
    ],
    usage,
  };

  it('distinct marks per absence, n where it differs, no best for mock or degenerate values', () => {
    const [t] = buildTables(m, { decimals: 2, extras: false });
    const cells = Object.fromEntries(t?.rows.map((r) => [r.method, r.cells[0]]) ?? []);
    expect(cells['broken']).toMatchObject({ text: 'err', absence: 'errored' });
    expect(cells['nocap']).toMatchObject({ text: 'n/c', absence: 'no-capability' });
    expect(cells['left']).toMatchObject({ text: 'not asked', absence: 'not-asked' });
    expect(cells['few']).toMatchObject({ showN: true, n: 3 });
    expect(cells['ok']).toMatchObject({ showN: false });
    // flat (zero-width interval) and mock are larger, but only few can be best.
    expect(cells['flat']).toMatchObject({ degenerate: true, best: false });
    expect(cells['mock']).toMatchObject({ best: false });
    expect(cells['few']).toMatchObject({ best: true });
    expect(t?.columns[0]?.n).toBe(4);
  });

  it('notes explain the marks the table holds, and only those, in words for each format', () => {
    const [t] = buildTables(m, { decimals: 2 });
    const txt = tableNotes(t as NonNullable<typeof t>, 'txt');
    const md = tableNotes(t as NonNullable<typeof t>, 'md');
    expect(txt).toContain('n/c: the method lacks the capability the task needs (nocap has no rate capability).');
    expect(txt.some((n) => n.startsWith('not asked: '))).toBe(true);
    expect(txt.some((n) => n.startsWith('err: every unit of the cell ended in an error'))).toBe(true);
    expect(txt.some((n) => n.startsWith('≡: every resample gives the same value'))).toBe(true);
    expect(txt.some((n) => n.startsWith('broken / t: 4 unit error(s) (4 parse)'))).toBe(true);
    expect(txt.some((n) => n.startsWith('±: half the interval'))).toBe(false); // no statistics in this file
    // No n/a, no — , no paper value, no † in this table: not explained.
    for (const notes of [txt, md]) expect(notes.some((n) => /^(n\/a|—|paper|†):/.test(n))).toBe(false);
    expect(txt.some((n) => n.startsWith('◀'))).toBe(true);
    expect(md.some((n) => n.startsWith('Bold:'))).toBe(true);
  });
});
