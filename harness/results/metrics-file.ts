/**
 * metrics.json (results schema): every cell's metrics and the statistics once
 * computed. The report renders from this file alone. The per-unit data the
 * statistics are made from (unit ids, keys, scores, weights, pooled counts)
 * is carried in memory while scoring and stored beside it in unit-scores.bin
 * (unit-scores.ts), not in metrics.json.
 */
import type { UnitErrorKind } from '../llm/errors.js';
import type { MetricValue } from './metric-value.js';

export type Direction = 'higher' | 'lower';

export type NaKind = 'no-capability' | 'not-applicable' | 'not-asked';

/** A metric of one cell: the task's MetricValue, labelled, with its statistics. */
export interface CellMetric
  extends Omit<MetricValue, 'value' | 'unitScores' | 'extra' | 'unitIds' | 'unitWeights' | 'pooledF1'> {
  readonly label: string;
  readonly direction: Direction;
  readonly unitScore: string;
  /** null when no unit was scored or the value is not finite. */
  readonly value: number | null;
  /** Filled by the statistics layer (confidence interval of the value). */
  readonly ci?: { readonly lo: number; readonly hi: number; readonly level: number; readonly method: string };
  readonly extra?: Readonly<Record<string, number | null>>;
  /** Per-unit data (scoring only; stored in unit-scores.bin, absent when read from metrics.json). */
  readonly unitIds?: readonly string[];
  /** Unit keys (the same across methods): what paired tests pair on. */
  readonly unitKeys?: readonly string[];
  readonly unitScores?: readonly (number | null)[];
  readonly unitWeights?: readonly number[];
  readonly pooledF1?: readonly (readonly number[])[];
  /** Filled by the statistics layer: this method against the baseline on this metric. */
  readonly comparison?: CellComparison;
  /** The paper's number for this cell, when the config names a reported file. */
  readonly reported?: {
    readonly value: number;
    readonly source: string;
    readonly insideCi: boolean | null;
    readonly difference: number;
    /** Set when the paper measured it on other data (variant or split) than this run's: shown, never compared. */
    readonly notComparable?: string;
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
  /** Why an n/a cell is n/a: the method lacks the capability, the task does not apply to the dataset, or the task's `methods:` list leaves the method out. */
  readonly naKind?: NaKind;
  /** Set on a task's reference row (the humans, e.g. "Human (OPeRA)"): shown apart, never compared or marked best. */
  readonly reference?: { readonly label: string };
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
  /**
   * The method's fit on this dataset (and seed), which the cell's units
   * relied on: its calls, whether answered then, by the cache or through a
   * reused artifact. Shared by the method's cells on that dataset: a row
   * counts it once. Absent when the fit called no LLM.
   */
  readonly fit?: UsageFigures;
  /** Units plus fit, when there is a fit. */
  readonly total?: UsageFigures;
}

export interface UsageFigures {
  readonly calls: number;
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
  readonly costUsd: number;
}

export interface MetricsFile {
  readonly formatVersion: 1;
  readonly name: string;
  readonly configHash: string;
  /** Columns per task, in config order. */
  readonly columns: ReadonlyArray<{
    readonly task: string;
    readonly metrics: ReadonlyArray<{
      readonly key: string;
      readonly label: string;
      readonly direction: Direction;
      readonly group?: string;
      /** What one value counts (e.g. "liked items per user"). */
      readonly unit?: string;
      /** The LLM judge that scored this metric's units, for a judged metric. */
      readonly judge?: { readonly provider: string; readonly model: string; readonly mock: boolean };
    }>;
  }>;
  readonly datasets: readonly string[];
  readonly methods: readonly string[];
  readonly seeds: readonly number[];
  readonly cells: readonly Cell[];
  /** Every cell's units, plus (in fit/total) every fit once. */
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

/** Stable text: two runs with the same predictions write the same bytes. */
export function serializeMetrics(m: MetricsFile): string {
  return JSON.stringify(m, null, 2) + '\n';
}
