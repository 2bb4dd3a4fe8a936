import type { CallRecord } from '../llm/call-record.js';
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
  readonly error: UnitErrorRecord | null;
  readonly usage: UsageTotals;
  /** Every LLM call the unit made, in order (absent for a method that calls none): what `usersim inspect` shows. */
  readonly calls?: readonly CallRecord[];
}

export interface UnitErrorRecord {
  readonly kind: UnitErrorKind;
  readonly message: string;
  /** A structured reply that failed: the call's stage, the raw reply and why it was refused. */
  readonly stage?: string;
  readonly reply?: string;
  readonly validation?: string;
}
