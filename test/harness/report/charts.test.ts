import { describe, expect, it } from 'vitest';
import { distributionSpecs } from '../../../harness/report/charts.ts';
import { cellUsage } from '../../../harness/score/cell-from-lines.ts';
import type { Cell, MetricsFile } from '../../../harness/results/metrics-file.ts';
import { emptyTotals } from '../../../harness/llm/usage-meter.ts';

const cell = (dataset: string, task: string, method: string, distributions: Cell['distributions']): Cell => ({
  dataset,
  task,
  method,
  seed: 1,
  status: 'ok',
  llm: null,
  units: { total: 1, done: 1, scored: 1, errors: 0, errorKinds: {} },
  usage: cellUsage(emptyTotals(), 1),
  metrics: {},
  ...(distributions ? { distributions } : {}),
});

describe('distributionSpecs', () => {
  it('one chart per dataset and task with histograms: ratings sorted numerically, actions by name, each with its axis', () => {
    const m: MetricsFile = {
      formatVersion: 1,
      name: 'r',
      configHash: 'h',
      columns: [],
      datasets: ['films', 'shop'],
      methods: ['a'],
      seeds: [1],
      usage: cellUsage(emptyTotals(), 0),
      cells: [
        cell('films', 'rating', 'a', { true: { '10': 1, '2': 3 }, predicted: { '9': 2 } }),
        cell('films', 'preference-discrimination', 'a', undefined),
        cell('shop', 'next-action', 'a', { true: { terminate: 2, 'click:search': 1 }, predicted: { input: 4 } }),
      ],
    };
    const specs = distributionSpecs(m);
    expect(specs.map((s) => s.title)).toEqual(['films: predicted vs true ratings', 'shop: predicted vs true actions']);
    const x = (k: number) =>
      (specs[k]?.spec as unknown as { spec: { encoding: { x: { title: string; sort: string[] } } } }).spec.encoding.x;
    expect(x(0)).toMatchObject({ title: 'rating (rounded)', sort: ['2', '9', '10'] });
    expect(x(1)).toMatchObject({ title: 'action (type:click type)', sort: ['click:search', 'input', 'terminate'] });
  });
});
