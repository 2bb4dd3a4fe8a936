import type { TaskPlugin } from '../api/task.js';
import type { UnitErrorKind } from '../llm/errors.js';
import { addTotals, emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import type { Cell, CellMetric, CellUsage, NaKind } from '../results/metrics-file.js';
import type { MetricValue } from '../results/metric-value.js';
import type { PredictionLine } from '../results/prediction-line.js';
import type { ScoredUnit, TaskUnit } from '../api/task.js';
import { heapBound } from '../util/heap-bound.js';

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Scores one cell from its prediction lines alone, in unit order. */
export function cellFromLines(
  base: Omit<Cell, 'status' | 'units' | 'usage' | 'metrics'>,
  task: TaskPlugin,
  options: Record<string, unknown>,
  units: readonly TaskUnit[],
  lines: ReadonlyMap<string, PredictionLine>,
  /** The usage of per-user state the cell is charged with (see score.ts). */
  stateUsage?: UsageTotals,
): Cell {
  const specs = task.metrics(options as never);
  const scored: Array<ScoredUnit & { id: string }> = [];
  const keyOfId = new Map<string, string>();
  const usage = emptyTotals();
  if (stateUsage) addTotals(usage, stateUsage);
  const errorKinds: Partial<Record<UnitErrorKind, number>> = {};
  let errors = 0;
  let done = 0;
  for (const unit of units) {
    const line = lines.get(unit.key);
    heapBound.tick();
    if (!line) continue;
    done++;
    addTotals(usage, line.usage);
    if (line.error) {
      errors++;
      errorKinds[line.error.kind] = (errorKinds[line.error.kind] ?? 0) + 1;
      continue;
    }
    if (line.scores) {
      scored.push({ id: line.id, unit, answer: line.answer, scores: line.scores });
      keyOfId.set(line.id, unit.key);
    }
  }
  const values: Record<string, MetricValue> = task.aggregate(scored, options as never);
  const metrics: Record<string, CellMetric> = {};
  for (const spec of specs) {
    const v = values[spec.key];
    metrics[spec.key] = {
      label: spec.label,
      direction: spec.direction,
      unitScore: spec.unitScore,
      value: v ? finite(v.value) : null,
      n: v?.n ?? 0,
      estimator: v?.estimator ?? 'mean',
      ...(v?.extra ? { extra: Object.fromEntries(Object.entries(v.extra).map(([k, x]) => [k, finite(x)])) } : {}),
      unitIds: v?.unitIds ?? [],
      unitKeys: (v?.unitIds ?? []).map((id) => keyOfId.get(id) ?? id),
      unitScores: (v?.unitScores ?? []).map(finite),
      ...(v?.unitWeights ? { unitWeights: v.unitWeights } : {}),
      ...(v?.transform ? { transform: v.transform } : {}),
      ...(v?.pooledF1 ? { pooledF1: v.pooledF1 } : {}),
      ...(v?.gap ? { gap: v.gap } : {}),
    };
  }
  return {
    ...base,
    status: done < units.length ? 'incomplete' : 'ok',
    units: { total: units.length, done, scored: scored.length, errors, errorKinds },
    usage: cellUsage(usage, done),
    metrics,
    ...(task.distributions && scored.length > 0 ? { distributions: task.distributions(scored) } : {}),
  };
}

export function cellUsage(t: UsageTotals, units: number): CellUsage {
  const per = (x: number, n: number) => (n === 0 ? 0 : x / n);
  // Lines are summed in file order, which a resume or a shard merge changes:
  // rounding off the float noise keeps metrics.json byte-identical.
  const costUsd = Math.round(t.costUsd * 1e10) / 1e10;
  return {
    calls: t.calls,
    input: t.input,
    cachedInput: t.cachedInput,
    output: t.output,
    costUsd,
    perUnit: {
      calls: per(t.calls, units),
      input: per(t.input, units),
      output: per(t.output, units),
      costUsd: per(costUsd, units),
    },
    perCallCostUsd: per(costUsd, t.calls),
  };
}

export function naCell(
  base: Omit<Cell, 'status' | 'units' | 'usage' | 'metrics'>,
  reason: string,
  naKind: NaKind = 'not-applicable',
): Cell {
  return {
    ...base,
    status: 'n/a',
    reason,
    naKind,
    units: { total: 0, done: 0, scored: 0, errors: 0, errorKinds: {} },
    usage: cellUsage(emptyTotals(), 0),
    metrics: {},
  };
}
