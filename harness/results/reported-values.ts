import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * One dataset a paper's numbers were measured on: a label for people and the
 * run datasets it matches. A run dataset matches an entry when every field the
 * entry names (plugin, variant, split) equals the run's; fields an entry leaves
 * out are not checked.
 */
export interface ReportedData {
  readonly key: string;
  readonly label: string;
  readonly match: readonly DataMatch[];
}

export interface DataMatch {
  readonly plugin: string;
  readonly variant?: string;
  readonly split?: string;
}

export interface ReportedCell {
  readonly dataset: string;
  readonly task: string;
  readonly method: string;
  readonly metric: string;
  readonly value: number;
  readonly table?: string;
  /** The dataset variant and split the paper measured this cell on (the file's `data:` entry it names). */
  readonly data?: ReportedData;
}

export interface ReportedValues {
  readonly source: string;
  readonly cells: readonly ReportedCell[];
}

/** A run's dataset as the manifest records it. */
export interface RunData {
  readonly plugin?: string;
  readonly variant?: string | null;
  readonly split: string;
}

/**
 * Why a reported cell cannot be compared with a run's dataset, or null when it
 * can: the paper's number holds only for the data it was measured on. A cell
 * without `data:` matches any dataset with its id.
 */
export function notComparable(cell: ReportedCell, run: RunData | undefined): string | null {
  const d = cell.data;
  if (!d) return null;
  if (!run) return `the run has no record of dataset "${cell.dataset}"`;
  const ok = d.match.some(
    (m) =>
      m.plugin === run.plugin &&
      (m.variant === undefined || m.variant === run.variant) &&
      (m.split === undefined || m.split === run.split),
  );
  if (ok) return null;
  const ours = [run.plugin ?? '?', run.variant ?? null, `split ${run.split}`].filter((x) => x !== null).join(' ');
  return `paper: ${d.label}; ours: ${ours}`;
}

const DATA_FIELDS = ['plugin', 'variant', 'split'] as const;

function readData(path: string, raw: unknown): Map<string, ReportedData> {
  const out = new Map<string, ReportedData>();
  if (raw === undefined) return out;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`${path}: "data:" must map a key to { label, match: [{ plugin, variant?, split? }, ...] }`);
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
    const x = v as { label?: unknown; match?: unknown };
    if (!x || typeof x.label !== 'string') throw new Error(`${path}: data.${key}.label must be a string`);
    if (!Array.isArray(x.match) || x.match.length === 0)
      throw new Error(`${path}: data.${key}.match must list at least one { plugin, variant?, split? }`);
    const match = x.match.map((m: unknown, i: number) => {
      const e = m as Record<string, unknown>;
      if (!e || typeof e['plugin'] !== 'string')
        throw new Error(`${path}: data.${key}.match[${i}].plugin must be a string`);
      for (const k of Object.keys(e))
        if (!(DATA_FIELDS as readonly string[]).includes(k))
          throw new Error(`${path}: data.${key}.match[${i}] has "${k}"; it may name only ${DATA_FIELDS.join(', ')}`);
      for (const k of ['variant', 'split'])
        if (e[k] !== undefined && typeof e[k] !== 'string')
          throw new Error(`${path}: data.${key}.match[${i}].${k} must be a string`);
      return e as unknown as DataMatch;
    });
    out.set(key, { key, label: x.label, match });
  }
  return out;
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
  const d = doc as { source?: unknown; cells?: unknown; data?: unknown };
  if (!d || typeof d !== 'object' || !Array.isArray(d.cells))
    throw new Error(`${path}: expected "source:" and a "cells:" list of { dataset, task, method, metric, value }`);
  const data = readData(path, d.data);
  const cells = d.cells.map((c: unknown, i: number) => {
    const x = c as Record<string, unknown>;
    for (const k of ['dataset', 'task', 'method', 'metric']) {
      if (typeof x[k] !== 'string') throw new Error(`${path}: cells[${i}].${k} must be a string`);
    }
    if (typeof x['value'] !== 'number') throw new Error(`${path}: cells[${i}].value must be a number`);
    const key = x['data'];
    if (key === undefined) {
      if (data.size > 0) throw new Error(`${path}: cells[${i}] names no data: (one of ${[...data.keys()].join(', ')})`);
      return x as unknown as ReportedCell;
    }
    const spec = typeof key === 'string' ? data.get(key) : undefined;
    if (!spec)
      throw new Error(
        `${path}: cells[${i}].data "${String(key)}" is not a key of "data:"${data.size > 0 ? ` (${[...data.keys()].join(', ')})` : ''}`,
      );
    return { ...(x as unknown as ReportedCell), data: spec };
  });
  return { source: typeof d.source === 'string' ? d.source : path, cells };
}
