import { describe, expect, it } from 'vitest';
import { withStatistics, type TableStatsOptions } from '../../../harness/stats/table-statistics.ts';
import { bootstrapCi } from '../../../harness/stats/bootstrap-ci.ts';
import { cellUsage } from '../../../harness/score/cell-from-lines.ts';
import type { Cell, CellMetric, MetricsFile } from '../../../harness/results/metrics-file.ts';
import { classCounts, pooledF1, type F1Average } from '../../../harness/metrics/pooled-f1.ts';
import { emptyTotals } from '../../../harness/llm/usage-meter.ts';
import { Rng } from '../../../harness/util/rng.ts';

const opts: TableStatsOptions = {
  baseline: 'base',
  test: 'paired-bootstrap',
  correction: 'holm',
  alpha: 0.05,
  B: 2000,
  level: 0.95,
  ci: 'percentile',
  seed: 7,
};

function cell(method: string, metrics: Record<string, CellMetric>): Cell {
  return {
    dataset: 'd',
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

function file(cells: Cell[]): MetricsFile {
  return {
    formatVersion: 1,
    name: 'x',
    configHash: 'h',
    columns: [],
    datasets: ['d'],
    methods: cells.map((c) => c.method),
    seeds: [1],
    cells,
    usage: cellUsage(emptyTotals(), 0),
  };
}

/** A pooled-F1 metric over `n` units of 4 binary steps each, where the method is right with probability `p`. */
function f1Metric(n: number, p: number, seed: number): CellMetric {
  const rng = new Rng(seed);
  const gold = new Rng(99);
  const counts: number[][] = [];
  const scores: number[] = [];
  for (let u = 0; u < n; u++) {
    const g = Array.from({ length: 4 }, () => gold.next() < 0.5);
    const pr = g.map((x) => (rng.next() < p ? x : !x));
    counts.push(classCounts(pr, g, [true, false]));
    scores.push(pr.filter((x, k) => x === g[k]).length / 4);
  }
  const keys = counts.map((_, k) => `u${k}`);
  return {
    label: 'F1',
    direction: 'higher',
    unitScore: 'accuracy',
    estimator: 'pooled-f1',
    value: pooledF1(counts),
    n,
    unitIds: keys,
    unitKeys: keys,
    unitScores: scores,
    pooledF1: counts,
  };
}

describe('withStatistics on pooled F1 metrics (next-action)', () => {
  it('the interval resamples units and recomputes the F1 from their summed counts', () => {
    // Per-unit scores far from the F1: an interval made from them would sit at 0.1.
    const m = { ...f1Metric(60, 0.8, 1), unitScores: new Array<number>(60).fill(0.1) };
    const out = withStatistics(file([cell('base', { f1: m })]), { ...opts, baseline: undefined } as TableStatsOptions);
    const ci = out.metrics.cells[0]?.metrics['f1']?.ci;
    const counts = m.pooledF1 as number[][];
    expect(ci?.lo).toBeLessThan(m.value as number);
    expect(ci?.hi).toBeGreaterThan(m.value as number);
    // Its width is what a direct bootstrap of the pooled F1 gives (same B, any seed): within a few points.
    const direct = bootstrapCi(
      counts.map((_, k) => k),
      { B: 2000, level: 0.95, seed: 'y', statistic: (idx) => pooledF1(counts, idx) },
    );
    expect((ci?.hi as number) - (ci?.lo as number)).toBeCloseTo(direct.hi - direct.lo, 1);
  });

  it('the paired test compares the pooled F1 of both methods on the same resampled units', () => {
    const base = f1Metric(80, 0.6, 1);
    const better = f1Metric(80, 0.9, 2);
    const same = { ...base };
    const out = withStatistics(
      file([cell('base', { f1: base }), cell('better', { f1: better }), cell('same', { f1: same })]),
      opts,
    );
    const cmp = (method: string) => out.comparisons.comparisons.find((c) => c.method === method);
    expect(cmp('better')?.effect).toBeCloseTo((better.value as number) - (base.value as number), 12);
    expect(cmp('better')?.statistic).toBeCloseTo((better.value as number) - (base.value as number), 12);
    expect(cmp('better')?.significant).toBe(true);
    expect(cmp('same')?.effect).toBe(0);
    expect(cmp('same')?.significant).toBe(false);
    // Other tests fall back to the per-unit scores.
    const w = withStatistics(file([cell('base', { f1: base }), cell('better', { f1: better })]), {
      ...opts,
      test: 'wilcoxon',
    });
    const e = w.comparisons.comparisons[0]?.effect as number;
    const meanDiff =
      (better.unitScores as number[]).reduce((s, x, k) => s + x - (base.unitScores![k] as number), 0) / 80;
    expect(e).toBeCloseTo(meanDiff, 12);
  });
});

describe('withStatistics on the weighted and all-classes pooled F1 estimators', () => {
  /** f1Metric with three classes of uneven support, so the averages differ. */
  function threeClass(n: number, p: number, seed: number, estimator: string, average: F1Average): CellMetric {
    const rng = new Rng(seed);
    const gold = new Rng(99);
    const labels = ['a', 'b', 'c', 'never'];
    const counts: number[][] = [];
    const scores: number[] = [];
    for (let u = 0; u < n; u++) {
      const g = Array.from({ length: 4 }, () => (gold.next() < 0.7 ? 'a' : gold.next() < 0.7 ? 'b' : 'c'));
      const pr = g.map((x) => (rng.next() < p ? x : x === 'a' ? 'b' : 'a'));
      counts.push(classCounts(pr, g, labels));
      scores.push(pr.filter((x, k) => x === g[k]).length / 4);
    }
    const keys = counts.map((_, k) => `u${k}`);
    return {
      ...f1Metric(1, 1, 1),
      estimator,
      value: pooledF1(counts, undefined, average),
      n,
      unitIds: keys,
      unitKeys: keys,
      unitScores: scores,
      pooledF1: counts,
    };
  }

  it.each([
    ['pooled-weighted-f1', 'weighted'],
    ['pooled-f1-all-classes', 'macro-all'],
  ] as const)('%s: the interval recomputes its own average; the paired bootstrap compares it', (estimator, average) => {
    const base = threeClass(80, 0.6, 1, estimator, average);
    const better = threeClass(80, 0.95, 2, estimator, average);
    const out = withStatistics(file([cell('base', { f1: base }), cell('better', { f1: better })]), opts);
    const ci = out.metrics.cells[0]?.metrics['f1']?.ci;
    const counts = base.pooledF1 as number[][];
    const direct = bootstrapCi(
      counts.map((_, k) => k),
      { B: 2000, level: 0.95, seed: 'z', statistic: (idx) => pooledF1(counts, idx, average) },
    );
    expect(ci?.lo).toBeLessThan(base.value as number);
    expect(ci?.hi).toBeGreaterThan(base.value as number);
    expect((ci?.hi as number) - (ci?.lo as number)).toBeCloseTo(direct.hi - direct.lo, 1);
    // The macro F1 of the same counts is another number: the estimator really uses its own average.
    expect(pooledF1(counts, undefined, 'macro')).not.toBeCloseTo(base.value as number, 3);
    const cmp = out.comparisons.comparisons[0];
    expect(cmp?.effect).toBeCloseTo((better.value as number) - (base.value as number), 12);
    expect(cmp?.significant).toBe(true);
  });
});
