import { join } from 'node:path';
import type { ComparisonsFile } from '../results/comparisons-file.js';
import { type Cell, type MetricsFile, serializeMetrics } from '../results/metrics-file.js';
import type { PredictionLine } from '../results/prediction-line.js';
import { writeText } from '../results/write-text.js';
import type { Plan, PlannedCell } from '../plan/plan.js';
import { addTotals, emptyTotals, type UsageTotals } from '../llm/usage-meter.js';
import { type StateRecord, stateGroup } from '../results/state-record.js';
import { withStatistics } from '../stats/table-statistics.js';
import { cellFromLines, cellUsage, naCell } from './cell-from-lines.js';

/**
 * The score stage: prediction lines → cell metrics → intervals, paired tests
 * and the paper's numbers → metrics.json and comparisons.json. It reads
 * nothing but the plan and the lines.
 */
export function scorePlan(
  plan: Plan,
  lines: ReadonlyMap<PlannedCell, ReadonlyMap<string, PredictionLine>>,
  states: ReadonlyMap<string, ReadonlyMap<string, StateRecord>> = new Map(),
): { metrics: MetricsFile; comparisons: ComparisonsFile } {
  const cfg = plan.cfg;
  const rep = cfg.resolved.report;
  return withStatistics(metricsOf(plan, lines, states), {
    ...(rep.baseline ? { baseline: rep.baseline } : {}),
    test: rep.test,
    correction: rep.correction,
    alpha: rep.alpha,
    B: rep.B,
    level: rep.level,
    ci: rep.ci,
    seed: cfg.seeds[0] as number,
    ...(cfg.reported ? { reported: cfg.reported } : {}),
  });
}

export function writeScores(dir: string, scored: { metrics: MetricsFile; comparisons: ComparisonsFile }): void {
  writeText(join(dir, 'metrics.json'), serializeMetrics(scored.metrics));
  writeText(join(dir, 'comparisons.json'), `${JSON.stringify(scored.comparisons, null, 2)}\n`);
}

function metricsOf(
  plan: Plan,
  lines: ReadonlyMap<PlannedCell, ReadonlyMap<string, PredictionLine>>,
  states: ReadonlyMap<string, ReadonlyMap<string, StateRecord>>,
): MetricsFile {
  const cfg = plan.cfg;
  const stateUsage = stateUsageByCell(plan, states);
  const llms = plan.manifest.llms;
  const cells: Cell[] = [];
  const usage = emptyTotals();
  let units = 0;
  for (const p of plan.cells) {
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
    const cell = cellFromLines(base, p.task, p.taskOptions, p.units, lines.get(p) ?? new Map(), stateUsage.get(p));
    usage.calls += cell.usage.calls;
    usage.input += cell.usage.input;
    usage.cachedInput += cell.usage.cachedInput;
    usage.output += cell.usage.output;
    usage.costUsd += cell.usage.costUsd;
    units += cell.units.done;
    cells.push(cell);
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
    usage: cellUsage(usage, units),
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
