import type { UnitErrorKind } from '../llm/errors.js';
import type { UsageTotals } from '../llm/usage-meter.js';

/**
 * One piece of per-user state a simulator built (RecAgent's seeded memory,
 * Agent4Rec's taste summary, SimUSER's persona, …), as a line of
 * predictions/<dataset>/_state/<method>[.seedN].jsonl. Its LLM calls are
 * charged here, once, whichever unit asked first and however the run was cut
 * (kills, resumes, shards); the score stage adds them to the first cell, in
 * plan order, that holds a unit of the user.
 */
export interface StateRecord {
  /** "state:<user>|<name>". */
  readonly id: string;
  /** The key: "<user>|<name>". */
  readonly unit: string;
  readonly user: string;
  readonly name: string;
  readonly error: { readonly kind: UnitErrorKind; readonly message: string } | null;
  readonly usage: UsageTotals;
}

/** Where a method's state records go, beside its prediction files: predictions/<dataset>/_state/<file>. */
export function stateFileOf(datasetId: string, methodFile: string): string {
  return ['predictions', datasetId, '_state', methodFile].join('/');
}

/** The (seed, dataset, method) a cell's per-user state belongs to: shared by the method's tasks on that dataset. */
export function stateGroup(cell: {
  readonly seed: number;
  readonly datasetId: string;
  readonly method: { readonly id: string };
}): string {
  return `${cell.seed}|${cell.datasetId}|${cell.method.id}`;
}
