import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ReportedCell {
  readonly dataset: string;
  readonly task: string;
  readonly method: string;
  readonly metric: string;
  readonly value: number;
  readonly table?: string;
}

export interface ReportedValues {
  readonly source: string;
  readonly cells: readonly ReportedCell[];
}

/** Reads a reported-numbers file (configs/reported/*.yaml); errors name the file and the entry. */
export function loadReported(path: string): ReportedValues {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(
      `${path}: cannot read the reported-numbers file (${(e as Error).message}); fix report.reported in the config`,
    );
  }
  const d = doc as { source?: unknown; cells?: unknown };
  if (!d || typeof d !== 'object' || !Array.isArray(d.cells))
    throw new Error(`${path}: expected "source:" and a "cells:" list of { dataset, task, method, metric, value }`);
  const cells = d.cells.map((c: unknown, i: number) => {
    const x = c as Record<string, unknown>;
    for (const k of ['dataset', 'task', 'method', 'metric']) {
      if (typeof x[k] !== 'string') throw new Error(`${path}: cells[${i}].${k} must be a string`);
    }
    if (typeof x['value'] !== 'number') throw new Error(`${path}: cells[${i}].value must be a number`);
    return x as unknown as ReportedCell;
  });
  return { source: typeof d.source === 'string' ? d.source : path, cells };
}
