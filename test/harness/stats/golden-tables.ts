import { classCounts, pooledF1 } from '../../../harness/metrics/pooled-f1.ts';
import { emptyTotals } from '../../../harness/llm/usage-meter.ts';
import type { Cell, CellMetric, MetricsFile } from '../../../harness/results/metrics-file.ts';
import { cellUsage } from '../../../harness/score/cell-from-lines.ts';
import type { TableStatsOptions } from '../../../harness/stats/table-statistics.ts';
import { Rng } from '../../../harness/util/rng.ts';

/**
 * Tables covering every estimator and resampling path (continuous and few-valued
 * means, weighted means with and without sqrt, pooled F1, gap, point; a unit error
 * so that a paired test runs on a subset; two datasets with different unit counts),
 * with the statistics options they are scored under. Their intervals and tests,
 * as the implementation before shared resamples computed them, are in
 * test/fixtures/stats/golden-tables.json (written by golden-tables-write.ts); the test checks the
 * current implementation gives the same numbers to the last bit.
 */

const keysOf = (n: number) => Array.from({ length: n }, (_, k) => `u${k}`);

function meanMetric(scores: Array<number | null>, label: string): CellMetric {
  const ok = scores.filter((s): s is number => s !== null);
  return {
    label,
    direction: 'higher',
    unitScore: label,
    estimator: 'mean',
    value: ok.reduce((a, b) => a + b, 0) / ok.length,
    n: ok.length,
    unitIds: keysOf(scores.length),
    unitKeys: keysOf(scores.length),
    unitScores: scores,
  };
}

function cell(dataset: string, method: string, metrics: Record<string, CellMetric>): Cell {
  return {
    dataset,
    task: 't',
    method,
    seed: 1,
    status: 'ok',
    llm: null,
    units: { total: 0, done: 0, scored: 0, errors: 0, errorKinds: {} },
    usage: cellUsage(emptyTotals(), 0),
    metrics,
  };
}

function metricsOf(rng: Rng, dataset: string, method: number, n: number): Record<string, CellMetric> {
  const shift = method * 0.03;
  const cont = Array.from({ length: n }, (_, k): number | null =>
    method === 2 && k % 17 === 3 ? null : Math.min(1, Math.max(0, 0.5 + shift + rng.normal(0, 0.25))),
  );
  const binary = Array.from({ length: n }, () => (rng.next() < 0.6 + shift ? 1 : 0));
  const thirds = Array.from({ length: n }, () => Math.floor(rng.next() * 4) / 3);
  const w = Array.from({ length: n }, () => 1 + Math.floor(rng.next() * 9));
  const mse = Array.from({ length: n }, () => Math.abs(rng.normal(1 - shift, 0.5)));
  const gold = new Rng(`${dataset}-gold`);
  const counts: number[][] = [];
  const f1Scores: number[] = [];
  for (let u = 0; u < n; u++) {
    const g = Array.from({ length: 4 }, () => gold.next() < 0.5);
    const pr = g.map((x) => (rng.next() < 0.6 + shift ? x : !x));
    counts.push(classCounts(pr, g, [true, false]));
    f1Scores.push(pr.filter((x, k) => x === g[k]).length / 4);
  }
  const keys = keysOf(n);
  const weighted = (sqrt: boolean): CellMetric => {
    const num = mse.reduce((s, x, k) => s + x * (w[k] as number), 0);
    const den = w.reduce((a, b) => a + b, 0);
    return {
      label: sqrt ? 'RMSE' : 'MAE',
      direction: 'lower',
      unitScore: 'mse',
      estimator: 'weighted-mean',
      value: sqrt ? Math.sqrt(num / den) : num / den,
      n,
      unitIds: keys,
      unitKeys: keys,
      unitScores: mse,
      unitWeights: w,
      ...(sqrt ? { transform: 'sqrt' as const } : {}),
    };
  };
  const gapBase = meanMetric(cont, 'gap');
  return {
    cont: meanMetric(cont, 'cont'),
    binary: meanMetric(binary, 'binary'),
    thirds: meanMetric(thirds, 'thirds'),
    rmse: weighted(true),
    mae: weighted(false),
    f1: {
      label: 'F1',
      direction: 'higher',
      unitScore: 'accuracy',
      estimator: 'pooled-f1',
      value: pooledF1(counts),
      n,
      unitIds: keys,
      unitKeys: keys,
      unitScores: f1Scores,
      pooledF1: counts,
    },
    gap: {
      ...gapBase,
      direction: 'lower',
      estimator: 'gap',
      value: 10 * Math.abs((gapBase.value as number) - 0.4),
      gap: { reference: 0.4, scale: 10 },
    },
    tau: { ...meanMetric([0.3], 'tau'), estimator: 'point', unitIds: [], unitKeys: [], unitScores: [] },
  };
}

export function goldenTable(): MetricsFile {
  const rng = new Rng('golden-tables');
  const cells: Cell[] = [];
  for (const [dataset, n] of [
    ['small', 37],
    ['mid', 240],
  ] as const)
    for (let m = 0; m < 4; m++) cells.push(cell(dataset, `m${m}`, metricsOf(rng, dataset, m, n)));
  return {
    formatVersion: 1,
    name: 'golden',
    configHash: 'h',
    columns: [],
    datasets: ['small', 'mid'],
    methods: ['m0', 'm1', 'm2', 'm3'],
    seeds: [1],
    cells,
    usage: cellUsage(emptyTotals(), 0),
  };
}

/** A table with more than 65536 units per cell (the one-output-per-index path), at a small B. */
export function wideTable(): MetricsFile {
  const rng = new Rng('golden-wide');
  const n = 70_000;
  const cells = [0, 1].map((m) =>
    cell('wide', `m${m}`, {
      cont: meanMetric(
        Array.from({ length: n }, () => rng.normal(m * 0.01, 1)),
        'cont',
      ),
    }),
  );
  return { ...goldenTable(), datasets: ['wide'], methods: ['m0', 'm1'], cells };
}

const base: TableStatsOptions = {
  baseline: 'm0',
  test: 'paired-bootstrap',
  correction: 'holm',
  alpha: 0.05,
  B: 400,
  level: 0.95,
  ci: 'percentile',
  seed: 11,
};

export const GOLDEN_OPTIONS: Record<string, TableStatsOptions> = {
  'paired-bootstrap, percentile': base,
  'paired-bootstrap, bca': { ...base, ci: 'bca', seed: 12 },
  permutation: { ...base, test: 'permutation', correction: 'bh' },
  wilcoxon: { ...base, test: 'wilcoxon' },
  't-test': { ...base, test: 't-test', level: 0.9 },
};

export const WIDE_OPTIONS: TableStatsOptions = { ...base, B: 25 };

/** The statistics fields of a scored table: every interval, comparison and the comparisons file. */
export function statisticsOf(r: { metrics: MetricsFile; comparisons: unknown }): unknown {
  return {
    cells: r.metrics.cells.map((c) => ({
      dataset: c.dataset,
      method: c.method,
      metrics: Object.fromEntries(
        Object.entries(c.metrics).map(([k, m]) => [k, { ci: m.ci ?? null, comparison: m.comparison ?? null }]),
      ),
    })),
    comparisons: r.comparisons,
  };
}
