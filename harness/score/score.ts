import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ComparisonsFile } from '../results/comparisons-file.js';
import type { FitRecord } from '../results/manifest.js';
import { type Cell, type MetricsFile, serializeMetrics, type UsageFigures } from '../results/metrics-file.js';
import type { PredictionLine } from '../results/prediction-line.js';
import { cellKeyOf, UNIT_SCORES_FILE, UnitScores, withoutUnitData } from '../results/unit-scores.js';
import { writeJson, writeText } from '../results/write-text.js';
import type { Plan, PlannedCell } from '../plan/plan.js';
import { addTotals, emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import { type StateRecord, stateFileOf, stateGroup } from '../results/state-record.js';
import { type TableStatsOptions, withStatistics } from '../stats/table-statistics.js';
import { hashJson } from '../util/hash.js';
import { heapBound } from '../util/heap-bound.js';
import { cellFromLines, cellUsage, naCell } from './cell-from-lines.js';
import { scoringCodeVersion } from './code-version.js';

/** Beside metrics.json: the hash of each table's scoring inputs when it was last scored. */
export const SCORE_INPUTS_FILE = 'score-inputs.json';

interface ScoreInputs {
  readonly version: 1;
  /** Table ("dataset|seed") → hash of its inputs: code, statistics options, config, cells and their prediction files. */
  readonly tables: Readonly<Record<string, string>>;
}

export interface Scored {
  /** Every metric with its per-unit data (while scoring), or as metrics.json stores it (when reused). */
  readonly metrics: MetricsFile;
  readonly comparisons: ComparisonsFile;
  readonly unitScores: UnitScores | null;
  readonly inputs: ScoreInputs;
  /** The tables whose statistics were computed in this run (the others were read back). */
  readonly recomputed: readonly string[];
  /** Nothing changed: metrics.json, comparisons.json and unit-scores.bin were left as they are. */
  readonly reused: boolean;
}

/** Where a cell's prediction lines come from: the execute stage's lines, or the file. */
export type LinesOf = (cell: PlannedCell) => ReadonlyMap<string, PredictionLine>;

function statisticsOptions(plan: Plan): TableStatsOptions {
  const cfg = plan.cfg;
  const rep = cfg.resolved.report;
  return {
    ...(rep.baseline ? { baseline: rep.baseline } : {}),
    test: rep.test,
    correction: rep.correction,
    alpha: rep.alpha,
    B: rep.B,
    level: rep.level,
    ci: rep.ci,
    seed: cfg.seeds[0] as number,
    ...(cfg.reported ? { reported: cfg.reported, datasets: plan.manifest.datasets } : {}),
  };
}

const tableOf = (c: { datasetId: string; seed: number } | { dataset: string; seed: number }) =>
  `${'datasetId' in c ? c.datasetId : c.dataset}|${c.seed}`;

/** Hash of a prediction file's bytes (none when absent). */
function fileHash(path: string): string {
  if (!existsSync(path)) return 'none';
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The hash of each table's scoring inputs. Reads the prediction files' bytes, nothing else. */
export function scoreInputs(plan: Plan, dir: string, fits: readonly FitRecord[] = []): ScoreInputs {
  const common = {
    // What each fit cost is charged to its method's cells.
    fits: fits
      .map((f) => [f.seed, f.dataset, f.method, f.usage])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    code: scoringCodeVersion(),
    options: statisticsOptions(plan),
    config: plan.cfg.hash,
    formats: 1,
  };
  const cells = new Map<string, unknown[]>();
  for (const p of plan.cells) {
    const t = tableOf(p);
    const entry = {
      cell: cellKeyOf({ dataset: p.datasetId, task: p.task.name, method: p.method.id, seed: p.seed }),
      units: p.units ? p.units.length : null,
      na: p.units ? null : [p.naReason ?? null, p.naKind ?? null],
      predictions: p.units ? fileHash(join(dir, p.file)) : null,
      // Per-user state records are charged to cells: their file is an input too.
      states: p.units ? fileHash(join(dir, stateFileOf(p.datasetId, basename(p.file)))) : null,
    };
    cells.set(t, [...(cells.get(t) ?? []), entry]);
  }
  const tables: Record<string, string> = {};
  for (const [t, entries] of cells) tables[t] = hashJson({ ...common, table: t, cells: entries });
  return { version: 1, tables };
}

/**
 * The score stage: prediction lines → cell metrics → intervals, paired tests
 * and the paper's numbers → metrics.json, comparisons.json and unit-scores.bin.
 * A table (dataset × seed) whose inputs hash as when it was last scored is read
 * back from those files instead of recomputed; when no table changed nothing is
 * recomputed or rewritten. It reads nothing but the plan, the lines and the
 * previous results.
 */
export function scorePlan(
  plan: Plan,
  linesOf: LinesOf,
  dir?: string,
  states: ReadonlyMap<string, ReadonlyMap<string, StateRecord>> = new Map(),
  fits: readonly FitRecord[] = [],
): Scored {
  const inputs = dir ? scoreInputs(plan, dir, fits) : { version: 1 as const, tables: {} };
  const previous = dir ? readPrevious(dir) : null;
  const same = (t: string) => previous !== null && previous.inputs.tables[t] === inputs.tables[t];
  const tables = Object.keys(inputs.tables);
  if (
    previous &&
    tables.length > 0 &&
    tables.every(same) &&
    Object.keys(previous.inputs.tables).length === tables.length
  )
    return {
      metrics: previous.metrics,
      comparisons: previous.comparisons,
      unitScores: null,
      inputs,
      recomputed: [],
      reused: true,
    };

  const options = statisticsOptions(plan);
  const changed = plan.cells.filter((p) => !dir || !same(tableOf(p)));
  heapBound.boundary();
  const scoredCells = metricsOf(plan, changed, linesOf, states);
  heapBound.boundary();
  const fresh = withStatistics(scoredCells, options);
  heapBound.boundary();
  const freshCells = new Map(fresh.metrics.cells.map((c) => [JSON.stringify(cellKeyOf(c)), c]));
  const oldCells = new Map((previous?.metrics.cells ?? []).map((c) => [JSON.stringify(cellKeyOf(c)), c]));
  const unitScores = UnitScores.of(fresh.metrics);
  const oldUnits = previous && changed.length < plan.cells.length ? previous.unitScores() : null;

  const cells: Cell[] = [];
  const order = new Map<string, number>();
  for (const p of plan.cells) {
    const key = JSON.stringify(
      cellKeyOf({ dataset: p.datasetId, task: p.task.name, method: p.method.id, seed: p.seed }),
    );
    order.set(key, cells.length);
    const reuse = dir !== undefined && same(tableOf(p));
    const c = reuse ? oldCells.get(key) : freshCells.get(key);
    if (!c) throw new Error(`score: no cell for ${key}`);
    cells.push(c);
    if (reuse && oldUnits)
      for (const metric of Object.keys(c.metrics)) {
        const d = oldUnits.get(cellKeyOf(c), metric);
        if (d) unitScores.set(cellKeyOf(c), metric, d);
      }
  }
  // Comparisons in cell order, as the statistics layer lists them for a whole file.
  const cellIndex = (x: { dataset: string; task: string; method: string; seed: number }) =>
    order.get(JSON.stringify(cellKeyOf(x))) ?? -1;
  const comparisons = [
    ...fresh.comparisons.comparisons,
    ...(previous?.comparisons.comparisons ?? []).filter((x) => same(tableOf(x))),
  ]
    .map((x, k) => ({ x, k, at: cellIndex(x) }))
    .sort((a, b) => a.at - b.at || a.k - b.k)
    .map((e) => e.x);
  const metrics = withFitUsage({ ...fresh.metrics, cells, usage: fileUsage(plan, cells) }, fits);
  return {
    metrics,
    comparisons: { ...fresh.comparisons, comparisons },
    unitScores,
    inputs,
    recomputed: [...new Set(changed.map(tableOf))],
    reused: false,
  };
}

/** Writes what scorePlan computed (nothing when it reused every table). */
export function writeScores(dir: string, scored: Scored): void {
  if (scored.reused) return;
  const m = scored.metrics;
  writeText(join(dir, 'metrics.json'), serializeMetrics(withoutUnitData(m)));
  writeText(join(dir, 'comparisons.json'), `${JSON.stringify(scored.comparisons, null, 2)}\n`);
  scored.unitScores?.write(join(dir, UNIT_SCORES_FILE), m.cells.map(cellKeyOf));
  writeJson(join(dir, SCORE_INPUTS_FILE), scored.inputs);
}

function readPrevious(dir: string): {
  inputs: ScoreInputs;
  metrics: MetricsFile;
  comparisons: ComparisonsFile;
  unitScores: () => UnitScores | null;
} | null {
  const paths = ['metrics.json', 'comparisons.json', SCORE_INPUTS_FILE].map((f) => join(dir, f));
  if (!paths.every((p) => existsSync(p))) return null;
  try {
    const [metrics, comparisons, inputs] = paths.map((p) => JSON.parse(readFileSync(p, 'utf8'))) as [
      MetricsFile,
      ComparisonsFile,
      ScoreInputs,
    ];
    if (inputs.version !== 1) return null;
    const unitPath = join(dir, UNIT_SCORES_FILE);
    return {
      inputs,
      metrics,
      comparisons,
      unitScores: () => (existsSync(unitPath) ? UnitScores.read(unitPath) : null),
    };
  } catch {
    // Unreadable previous results are recomputed, never trusted.
    return null;
  }
}

function fileUsage(plan: Plan, cells: readonly Cell[]) {
  const usage = emptyTotals();
  let units = 0;
  plan.cells.forEach((p, k) => {
    if (!p.units) return;
    const cell = cells[k] as Cell;
    usage.calls += cell.usage.calls;
    usage.input += cell.usage.input;
    usage.cachedInput += cell.usage.cachedInput;
    usage.output += cell.usage.output;
    usage.costUsd += cell.usage.costUsd;
    units += cell.units.done;
  });
  return cellUsage(usage, units);
}

/** The cells of `which` (in plan order) scored from their lines, in a metrics file of the plan's shape. */
function metricsOf(
  plan: Plan,
  which: readonly PlannedCell[],
  linesOf: LinesOf,
  states: ReadonlyMap<string, ReadonlyMap<string, StateRecord>>,
): MetricsFile {
  const cfg = plan.cfg;
  const stateUsage = stateUsageByCell(plan, states);
  const llms = plan.manifest.llms;
  const cells: Cell[] = [];
  for (const p of which) {
    const base = {
      dataset: p.datasetId,
      task: p.task.name,
      method: p.method.id,
      seed: p.seed,
      llm: p.reference ? null : (llms[p.method.id] ?? null),
      ...(p.reference ? { reference: p.reference } : {}),
    };
    if (!p.units) {
      cells.push(naCell(base, p.naReason ?? 'not applicable', p.naKind ?? 'not-applicable'));
      continue;
    }
    cells.push(cellFromLines(base, p.task, p.taskOptions, p.units, linesOf(p), stateUsage.get(p)));
  }
  return {
    formatVersion: 1,
    name: cfg.resolved.name,
    configHash: cfg.hash,
    columns: cfg.tasks.map((t) => ({
      task: t.task.name,
      metrics: t.task.metrics(t.options as never).map((m) => ({
        key: m.key,
        label: m.label,
        direction: m.direction,
        ...(m.group ? { group: m.group } : {}),
        ...(m.unit ? { unit: m.unit } : {}),
        ...(m.judged && llms['(judge)'] ? { judge: llms['(judge)'] } : {}),
      })),
    })),
    datasets: cfg.datasets.map((d) => d.id),
    methods: cfg.methods.map((m) => m.id),
    seeds: cfg.seeds,
    cells,
    usage: cellUsage(emptyTotals(), 0),
  };
}

/**
 * Each per-user state record's usage goes to the first cell, in plan order,
 * of its method, dataset and seed that holds a unit of the user: the cell
 * whose first unit of that user an uninterrupted run would have charged.
 */
function stateUsageByCell(
  plan: Plan,
  states: ReadonlyMap<string, ReadonlyMap<string, StateRecord>>,
): Map<PlannedCell, UsageTotals> {
  const out = new Map<PlannedCell, UsageTotals>();
  const cellsOf = new Map<string, PlannedCell[]>();
  for (const c of plan.cells) {
    if (!c.units) continue;
    const g = stateGroup(c);
    cellsOf.set(g, [...(cellsOf.get(g) ?? []), c]);
  }
  const usersOf = new Map<PlannedCell, Set<string>>();
  for (const [group, records] of states) {
    const cells = cellsOf.get(group) ?? [];
    for (const r of records.values()) {
      const cell = cells.find((c) => {
        let users = usersOf.get(c);
        if (!users) usersOf.set(c, (users = new Set((c.units ?? []).map((u) => u.user))));
        return users.has(r.user);
      });
      if (!cell) continue;
      let t = out.get(cell);
      if (!t) out.set(cell, (t = emptyTotals()));
      addTotals(t, r.usage);
    }
  }
  return out;
}

const addFigures = (a: UsageFigures, b: UsageFigures): UsageFigures => ({
  calls: a.calls + b.calls,
  input: a.input + b.input,
  cachedInput: a.cachedInput + b.cachedInput,
  output: a.output + b.output,
  costUsd: a.costUsd + b.costUsd,
});

/**
 * Honest accounting: each cell also shows the fit its units relied on (fit
 * and units + fit), and the file's usage every fit once. A fit that called
 * no LLM adds nothing, so configs without one keep their bytes.
 */
function withFitUsage(m: MetricsFile, fits: readonly FitRecord[]): MetricsFile {
  const by = new Map(fits.filter((f) => f.usage.calls > 0).map((f) => [`${f.seed}|${f.dataset}|${f.method}`, f.usage]));
  if (by.size === 0) return m;
  const cells = m.cells.map((c) => {
    const fit = c.status === 'n/a' ? undefined : by.get(`${c.seed}|${c.dataset}|${c.method}`);
    return fit ? { ...c, usage: { ...c.usage, fit, total: addFigures(c.usage, fit) } } : c;
  });
  const zero: UsageFigures = { calls: 0, input: 0, cachedInput: 0, output: 0, costUsd: 0 };
  const used = new Set(cells.filter((c) => c.usage.fit).map((c) => `${c.seed}|${c.dataset}|${c.method}`));
  const fit = [...used].reduce((s, k) => addFigures(s, by.get(k) ?? zero), zero);
  return { ...m, cells, usage: { ...m.usage, fit, total: addFigures(m.usage, fit) } };
}
