/**
 * unit-scores.bin (results schema): the per-unit data of every cell metric --
 * unit ids and keys, scores, weights and pooled-F1 counts -- that the
 * statistics are made from. metrics.json keeps each metric's value, n,
 * interval and comparison; these arrays, repeated per metric there, made it
 * grow with units × metrics (41 MB at 20,000 users).
 *
 * Layout: one line of JSON (the header), zero padding to a multiple of 8
 * bytes, then little-endian float64 numbers. The header lists every distinct
 * list of unit ids or keys once (methods share their unit keys, the metrics
 * of a cell their ids) and, per cell metric, where its numbers are: scores
 * (NaN for a unit with no finite score), weights, and pooled-F1 counts as
 * rows × width.
 */
import { readFileSync } from 'node:fs';
import type { Cell, CellMetric, MetricsFile } from './metrics-file.js';
import { writeBytes } from './write-text.js';

export const UNIT_SCORES_FILE = 'unit-scores.bin';

const FORMAT = 'usersim-unit-scores';
const VERSION = 1;

/** The per-unit fields of a CellMetric, as stored here and not in metrics.json. */
export const UNIT_FIELDS = ['unitIds', 'unitKeys', 'unitScores', 'unitWeights', 'pooledF1'] as const;
export type UnitField = (typeof UNIT_FIELDS)[number];
export type UnitData = Pick<CellMetric, UnitField>;

type Span = readonly [offset: number, length: number];

interface Header {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly lists: readonly (readonly string[])[];
  readonly cells: ReadonlyArray<{
    readonly cell: CellKey;
    readonly metrics: Readonly<
      Record<
        string,
        {
          readonly ids: number;
          readonly keys: number;
          readonly scores: Span;
          readonly weights?: Span;
          readonly pooledF1?: readonly [offset: number, rows: number, width: number];
        }
      >
    >;
  }>;
}

/** What names a cell across runs. */
export type CellKey = readonly [dataset: string, task: string, method: string, seed: number];

export const cellKeyOf = (c: Pick<Cell, 'dataset' | 'task' | 'method' | 'seed'>): CellKey => [
  c.dataset,
  c.task,
  c.method,
  c.seed,
];
const keyText = (k: CellKey) => JSON.stringify(k);

/** The unit data of every cell metric, by cell and metric key. */
export class UnitScores {
  private readonly byCell = new Map<string, Map<string, UnitData>>();

  set(cell: CellKey, metric: string, data: UnitData): void {
    const k = keyText(cell);
    let m = this.byCell.get(k);
    if (!m) this.byCell.set(k, (m = new Map()));
    m.set(metric, data);
  }

  get(cell: CellKey, metric: string): UnitData | undefined {
    return this.byCell.get(keyText(cell))?.get(metric);
  }

  /** The unit data of a metrics file whose metrics still carry it. */
  static of(m: MetricsFile): UnitScores {
    const u = new UnitScores();
    for (const c of m.cells)
      for (const [key, metric] of Object.entries(c.metrics)) {
        const data = pickUnitData(metric);
        if (data.unitKeys) u.set(cellKeyOf(c), key, data);
      }
    return u;
  }

  /** The file's bytes: cells in the order given. */
  encode(cells: readonly CellKey[]): Buffer {
    const lists: string[][] = [];
    const listIndex = new Map<string, number>();
    const list = (xs: readonly string[] | undefined): number => {
      const arr = xs ?? [];
      const k = arr.join('\u0000') + `\u0001${arr.length}`;
      let i = listIndex.get(k);
      if (i === undefined) {
        i = lists.length;
        lists.push([...arr]);
        listIndex.set(k, i);
      }
      return i;
    };
    const numbers: number[] = [];
    const span = (xs: readonly (number | null)[]): Span => {
      const at = numbers.length;
      for (const x of xs) numbers.push(x === null ? Number.NaN : x);
      return [at, xs.length];
    };
    const headerCells: Array<Header['cells'][number]> = [];
    for (const cell of cells) {
      const metrics = this.byCell.get(keyText(cell));
      if (!metrics) continue;
      const out: Record<string, Header['cells'][number]['metrics'][string]> = {};
      for (const [key, d] of metrics) {
        const pooled = d.pooledF1;
        let pooledAt: readonly [number, number, number] | undefined;
        if (pooled) {
          const width = pooled[0]?.length ?? 0;
          if (pooled.some((r) => r.length !== width))
            throw new RangeError(`unit scores: ${keyText(cell)} ${key}: pooled-F1 rows differ in width`);
          pooledAt = [numbers.length, pooled.length, width];
          for (const row of pooled) for (const x of row) numbers.push(x);
        }
        out[key] = {
          ids: list(d.unitIds),
          keys: list(d.unitKeys),
          scores: span(d.unitScores ?? []),
          ...(d.unitWeights ? { weights: span(d.unitWeights) } : {}),
          ...(pooledAt ? { pooledF1: pooledAt } : {}),
        };
      }
      headerCells.push({ cell, metrics: out });
    }
    const header: Header = { format: FORMAT, version: VERSION, lists, cells: headerCells };
    const head = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
    const start = head.length + ((8 - (head.length % 8)) % 8);
    const out = new ArrayBuffer(start + numbers.length * 8);
    new Uint8Array(out).set(head);
    // Float64Array is the platform's byte order: little-endian on every platform Node supports here.
    new Float64Array(out, start, numbers.length).set(numbers);
    return Buffer.from(out);
  }

  static decode(bytes: Buffer, source = UNIT_SCORES_FILE): UnitScores {
    const nl = bytes.indexOf(0x0a);
    let header: Header;
    try {
      header = JSON.parse(bytes.subarray(0, nl < 0 ? bytes.length : nl).toString('utf8')) as Header;
    } catch {
      throw new Error(`${source}: not a unit-scores file (its first line is not JSON); rerun the config to rewrite it`);
    }
    if (header.format !== FORMAT || header.version !== VERSION)
      throw new Error(
        `${source}: format ${String(header.format)} v${String(header.version)}, expected ${FORMAT} v${VERSION}; rerun the config to rewrite it`,
      );
    const start = nl + 1 + ((8 - ((nl + 1) % 8)) % 8);
    const count = (bytes.length - start) / 8;
    if (!Number.isInteger(count) || count < 0)
      throw new Error(
        `${source}: truncated (the numbers after the header are not whole float64s); rerun the config to rewrite it`,
      );
    const aligned = new Uint8Array(count * 8);
    aligned.set(bytes.subarray(start));
    const numbers = new Float64Array(aligned.buffer);
    const u = new UnitScores();
    const nums = (s: Span) => Array.from(numbers.subarray(s[0], s[0] + s[1]));
    for (const { cell, metrics } of header.cells)
      for (const [key, m] of Object.entries(metrics)) {
        const scores = nums(m.scores).map((x) => (Number.isNaN(x) ? null : x));
        const pooled = m.pooledF1;
        u.set(cell, key, {
          unitIds: header.lists[m.ids] ?? [],
          unitKeys: header.lists[m.keys] ?? [],
          unitScores: scores,
          ...(m.weights ? { unitWeights: nums(m.weights) } : {}),
          ...(pooled
            ? {
                pooledF1: Array.from({ length: pooled[1] }, (_, r) =>
                  Array.from(numbers.subarray(pooled[0] + r * pooled[2], pooled[0] + (r + 1) * pooled[2])),
                ),
              }
            : {}),
        });
      }
    return u;
  }

  static read(path: string): UnitScores {
    return UnitScores.decode(readFileSync(path), path);
  }

  write(path: string, cells: readonly CellKey[]): void {
    writeBytes(path, this.encode(cells));
  }
}

function pickUnitData(m: CellMetric): UnitData {
  const out: Record<string, unknown> = {};
  for (const f of UNIT_FIELDS) if (m[f] !== undefined) out[f] = m[f];
  return out as UnitData;
}

/** The metrics file as metrics.json stores it: every metric without its per-unit fields. */
export function withoutUnitData(m: MetricsFile): MetricsFile {
  return {
    ...m,
    cells: m.cells.map((c) => ({
      ...c,
      metrics: Object.fromEntries(
        Object.entries(c.metrics).map(([k, metric]) => {
          const rest: Record<string, unknown> = { ...metric };
          for (const f of UNIT_FIELDS) delete rest[f];
          return [k, rest as unknown as CellMetric];
        }),
      ),
    })),
  };
}
