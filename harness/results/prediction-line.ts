import type { UnitErrorKind } from '../llm/errors.js';
import type { UsageTotals } from '../llm/usage-meter.js';

/** One finished unit: a line of predictions/<dataset>/<task>/<method>.jsonl. */
export interface PredictionLine {
  /** Stable id: hash of task, dataset, split, method, seed and unit key. */
  readonly id: string;
  readonly unit: string;
  readonly user: string;
  readonly items: readonly string[];
  readonly gold: unknown;
  readonly answer: unknown;
  readonly scores: Readonly<Record<string, number>> | null;
  readonly error: { readonly kind: UnitErrorKind; readonly message: string } | null;
  readonly usage: UsageTotals;
}
