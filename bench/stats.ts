import type { Cell, CellMetric, MetricsFile } from '../harness/results/metrics-file.js';
import { withStatistics } from '../harness/stats/table-statistics.js';
import { Rng } from '../harness/util/rng.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** A whole table: 10 methods × 6 metrics × `units` units, every method against the baseline. */
function table(units: number): MetricsFile {
  const rng = new Rng('bench-stats');
  const keys = Array.from({ length: units }, (_, k) => `u${k}`);
  const metricNames = ['accuracy@1:1', 'f1@1:1', 'accuracy@1:3', 'f1@1:3', 'accuracy@1:9', 'f1@1:9'];
  const cells: Cell[] = Array.from({ length: 10 }, (_, m) => {
    const metrics: Record<string, CellMetric> = {};
    for (const name of metricNames) {
      const scores = keys.map(() => Math.min(1, Math.max(0, 0.5 + m * 0.01 + rng.normal(0, 0.2))));
      metrics[name] = {
        label: name,
        direction: 'higher',
        unitScore: 'accuracy',
        value: scores.reduce((a, b) => a + b, 0) / scores.length,
        n: scores.length,
        estimator: 'mean',
        unitIds: keys,
        unitKeys: keys,
        unitScores: scores,
      };
    }
    return {
      dataset: 'd',
      task: 'preference-discrimination',
      method: `m${m}`,
      seed: 1,
      status: 'ok',
      llm: null,
      units: { total: units, done: units, scored: units, errors: 0, errorKinds: {} },
      usage: {
        calls: 0,
        input: 0,
        cachedInput: 0,
        output: 0,
        costUsd: 0,
        perUnit: { calls: 0, input: 0, output: 0, costUsd: 0 },
        perCallCostUsd: 0,
      },
      metrics,
    };
  });
  return {
    formatVersion: 1,
    name: 'bench',
    configHash: '',
    columns: [
      {
        task: 'preference-discrimination',
        metrics: metricNames.map((k) => ({ key: k, label: k, direction: 'higher' as const })),
      },
    ],
    datasets: ['d'],
    methods: cells.map((c) => c.method),
    seeds: [1],
    cells,
    usage: cells[0]!.usage,
  };
}

const cpuSeconds = () => process.cpuUsage().user / 1e6;

/** Wall and CPU seconds of withStatistics on the table, `runs` times with different seeds. */
function timeTable(m: MetricsFile, runs: number): { wall: number[]; cpu: number[]; tests: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let tests = 0;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const c0 = cpuSeconds();
    const r = withStatistics(m, {
      baseline: 'm0',
      test: 'paired-bootstrap',
      correction: 'holm',
      alpha: 0.05,
      B: 10_000,
      level: 0.95,
      ci: 'percentile',
      seed: run,
    });
    wall.push((performance.now() - t0) / 1000);
    cpu.push(cpuSeconds() - c0);
    tests = r.comparisons.comparisons.length;
  }
  return { wall, cpu, tests };
}

export async function benchStats(): Promise<string[]> {
  const small = timeTable(table(1000), 5);
  const big = timeTable(table(20_000), 1);
  return [
    'Statistics of a whole table (10 methods × 6 metrics, B = 10,000; 60 CIs + paired bootstrap of every method against the baseline, Holm):',
    `  1,000 units: ${small.tests} paired tests; median ${median(small.wall).toFixed(3)} s over 5 runs (min ${Math.min(...small.wall).toFixed(3)} s; CPU ${median(small.cpu).toFixed(3)} s) (target ≤ 0.4 s; numpy 0.153 s)`,
    `  20,000 units: ${big.tests} paired tests; ${(big.wall[0] as number).toFixed(2)} s (CPU ${(big.cpu[0] as number).toFixed(2)} s) (target ≤ 10 s)`,
  ];
}
