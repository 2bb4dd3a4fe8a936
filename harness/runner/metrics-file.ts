import type { UnitErrorKind } from '../llm/errors.js';
import { addTotals, emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import type { AnyTask, Direction, MetricSpec, MetricValue, ScoredUnit, TaskUnit } from '../tasks/task-api.js';
import type { PredictionLine } from './prediction-line.js';

export interface CellMetric {
  readonly label: string;
  readonly direction: Direction;
  readonly unitScore: string;
  readonly value: number | null;
  readonly n: number;
  /** Filled by the statistics layer (confidence interval of the value). */
  readonly ci?: { readonly lo: number; readonly hi: number; readonly level: number; readonly method: string };
  readonly extra?: Readonly<Record<string, number | null>>;
  readonly unitIds: readonly string[];
  /** Unit keys (the same across methods): what paired tests pair on. */
  readonly unitKeys: readonly string[];
  readonly unitScores: readonly (number | null)[];
  readonly unitWeights?: readonly number[];
  readonly transform?: 'sqrt';
  /** Per-unit (tp, fp, fn) triples when the value is a pooled F1 (see MetricValue.pooledF1). */
  readonly pooledF1?: readonly (readonly number[])[];
  /** A distance from a reference value (see MetricValue.gap). */
  readonly gap?: { readonly reference: number; readonly scale: number };
  /** Filled by the statistics layer: this method against the baseline on this metric. */
  readonly comparison?: CellComparison;
  /** The paper's number for this cell, when the config names a reported file. */
  readonly reported?: {
    readonly value: number;
    readonly source: string;
    readonly insideCi: boolean | null;
    readonly difference: number;
  };
}

export interface CellComparison {
  readonly baseline: string;
  readonly test: string;
  readonly n: number;
  readonly statistic: number;
  /** Mean per-unit difference, method minus baseline. */
  readonly effect: number;
  readonly pValue: number;
  readonly pAdjusted: number;
  readonly significant: boolean;
}

export interface Cell {
  readonly dataset: string;
  readonly task: string;
  readonly method: string;
  readonly seed: number;
  /** n/a: the method lacks the capability or the task does not apply to the dataset. */
  readonly status: 'ok' | 'n/a' | 'incomplete';
  readonly reason?: string;
  readonly llm: { readonly provider: string; readonly model: string; readonly mock: boolean } | null;
  readonly units: {
    readonly total: number;
    readonly done: number;
    readonly scored: number;
    readonly errors: number;
    readonly errorKinds: Partial<Record<UnitErrorKind, number>>;
  };
  readonly usage: CellUsage;
  readonly metrics: Readonly<Record<string, CellMetric>>;
  /** Histograms a task keeps for the report (rating: true and predicted ratings, rounded). */
  readonly distributions?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * What a cell's units cost, whether the answers came from the provider or the
 * cache: a property of the method, so a cached replay writes the same numbers.
 * (Cache hits are a property of the run: they go to the manifest.)
 */
export interface CellUsage {
  readonly calls: number;
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
  readonly costUsd: number;
  readonly perUnit: {
    readonly calls: number;
    readonly input: number;
    readonly output: number;
    readonly costUsd: number;
  };
  readonly perCallCostUsd: number;
}

export interface MetricsFile {
  readonly formatVersion: 1;
  readonly name: string;
  readonly configHash: string;
  /** Columns per task, in config order. */
  readonly columns: ReadonlyArray<{
    readonly task: string;
    readonly metrics: ReadonlyArray<Pick<MetricSpec, 'key' | 'label' | 'direction' | 'group'>>;
  }>;
  readonly datasets: readonly string[];
  readonly methods: readonly string[];
  readonly seeds: readonly number[];
  readonly cells: readonly Cell[];
  readonly usage: CellUsage;
  /** How the intervals and tests were made (filled by the statistics layer). */
  readonly statistics?: {
    readonly ci: string;
    readonly test: string | null;
    readonly baseline: string | null;
    readonly alpha: number;
    readonly reported: string | null;
  };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Scores one cell from its prediction lines alone, in unit order. */
export function cellFromLines(
  base: Omit<Cell, 'status' | 'units' | 'usage' | 'metrics'>,
  task: AnyTask,
  options: Record<string, unknown>,
  units: readonly TaskUnit[],
  lines: ReadonlyMap<string, PredictionLine>,
): Cell {
  const specs = task.metrics(options as never);
  const scored: Array<ScoredUnit & { id: string }> = [];
  const keyOfId = new Map<string, string>();
  const usage = emptyTotals();
  const errorKinds: Partial<Record<UnitErrorKind, number>> = {};
  let errors = 0;
  let done = 0;
  for (const unit of units) {
    const line = lines.get(unit.key);
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
  return {
    calls: t.calls,
    input: t.input,
    cachedInput: t.cachedInput,
    output: t.output,
    costUsd: t.costUsd,
    perUnit: {
      calls: per(t.calls, units),
      input: per(t.input, units),
      output: per(t.output, units),
      costUsd: per(t.costUsd, units),
    },
    perCallCostUsd: per(t.costUsd, t.calls),
  };
}

export function naCell(base: Omit<Cell, 'status' | 'units' | 'usage' | 'metrics'>, reason: string): Cell {
  return {
    ...base,
    status: 'n/a',
    reason,
    units: { total: 0, done: 0, scored: 0, errors: 0, errorKinds: {} },
    usage: cellUsage(emptyTotals(), 0),
    metrics: {},
  };
}

/** Stable text: two runs with the same predictions write the same bytes. */
export function serializeMetrics(m: MetricsFile): string {
  return JSON.stringify(m, null, 2) + '\n';
}
