import { join } from 'node:path';
import type { ComparisonsFile } from '../results/comparisons-file.js';
import type { FitRecord } from '../results/manifest.js';
import { type Cell, type MetricsFile, serializeMetrics, type UsageFigures } from '../results/metrics-file.js';
import type { PredictionLine } from '../results/prediction-line.js';
import { writeText } from '../results/write-text.js';
import type { Plan, PlannedCell } from '../plan/plan.js';
import { emptyTotals } from '../llm/usage-meter.js';
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
  fits: readonly FitRecord[] = [],
): { metrics: MetricsFile; comparisons: ComparisonsFile } {
  const cfg = plan.cfg;
  const rep = cfg.resolved.report;
  return withStatistics(withFitUsage(metricsOf(plan, lines), fits), {
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

function metricsOf(plan: Plan, lines: ReadonlyMap<PlannedCell, ReadonlyMap<string, PredictionLine>>): MetricsFile {
  const cfg = plan.cfg;
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
      llm: llms[p.method.id] ?? null,
    };
    if (!p.units) {
      cells.push(naCell(base, p.naReason ?? 'not applicable', p.naKind ?? 'not-applicable'));
      continue;
    }
    const cell = cellFromLines(base, p.task, p.taskOptions, p.units, lines.get(p) ?? new Map());
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
      })),
    })),
    datasets: cfg.datasets.map((d) => d.id),
    methods: cfg.methods.map((m) => m.id),
    seeds: cfg.seeds,
    cells,
    usage: cellUsage(usage, units),
  };
}
