import type { Comparison, ComparisonsFile } from '../results/comparisons-file.js';
import type { CellMetric, MetricsFile } from '../results/metrics-file.js';

export type { Comparison, ComparisonsFile } from '../results/comparisons-file.js';
import type { ReportedValues } from '../results/reported-values.js';
import { hashJson } from '../util/hash.js';
import { estimatorOf, type UnitStat } from './estimators/index.js';
import { benjaminiHochberg, holm } from './multiple-testing.js';

export interface TableStatsOptions {
  readonly baseline?: string;
  readonly test: 'paired-bootstrap' | 'permutation' | 'wilcoxon' | 't-test';
  readonly correction: 'holm' | 'bh' | 'none';
  readonly alpha: number;
  readonly B: number;
  readonly level: number;
  readonly ci: 'percentile' | 'bca';
  readonly seed: number;
  readonly reported?: ReportedValues;
}

const TEST_NAMES: Record<TableStatsOptions['test'], string> = {
  'paired-bootstrap': 'paired bootstrap test',
  permutation: 'paired approximate randomisation (sign flips)',
  wilcoxon: 'Wilcoxon signed-rank test',
  't-test': 'paired t-test',
};

export function describeTest(o: Pick<TableStatsOptions, 'test' | 'correction' | 'B'>): string {
  const corr = o.correction === 'holm' ? 'Holm' : o.correction === 'bh' ? 'Benjamini–Hochberg' : 'no';
  const b = o.test === 'paired-bootstrap' || o.test === 'permutation' ? `, B = ${o.B}` : '';
  return `${TEST_NAMES[o.test]}${b}, ${corr} correction across each table`;
}

/** Scored units of a metric as finite (score, weight) pairs, keyed by unit key. */
function units(m: CellMetric): Map<string, UnitStat> {
  const out = new Map<string, UnitStat>();
  m.unitScores.forEach((s, k) => {
    if (s !== null && Number.isFinite(s)) {
      const counts = m.pooledF1?.[k];
      out.set(m.unitKeys[k] as string, { s, w: m.unitWeights?.[k] ?? 1, ...(counts ? { counts } : {}) });
    }
  });
  return out;
}

function ciOf(m: CellMetric, o: TableStatsOptions, seed: string): CellMetric['ci'] {
  const r = estimatorOf(m.estimator).interval(m, [...units(m).values()], { ...o, seed });
  if (!r) return undefined;
  return { lo: r.lo, hi: r.hi, level: o.level, method: `${o.ci} bootstrap over units, B = ${o.B}` };
}

/**
 * Adds to a metrics file: a CI per cell metric; for each method against the
 * baseline, a paired test on the units both scored (direction from the
 * metric), corrected across each table (dataset × seed); and the paper's
 * numbers where a reported file names them. Pure and seeded.
 */
export function withStatistics(
  m: MetricsFile,
  o: TableStatsOptions,
): { metrics: MetricsFile; comparisons: ComparisonsFile } {
  const cells = m.cells.map((c) => ({ ...c, metrics: { ...c.metrics } as Record<string, CellMetric> }));
  for (const c of cells) {
    for (const [key, metric] of Object.entries(c.metrics)) {
      const ci = ciOf(metric, o, tableSeed(o, c));
      const rep = o.reported?.cells.find(
        (r) => r.dataset === c.dataset && r.task === c.task && r.method === c.method && r.metric === key,
      );
      c.metrics[key] = {
        ...metric,
        ...(ci ? { ci } : {}),
        ...(rep
          ? {
              reported: {
                value: rep.value,
                source: o.reported?.source ?? '',
                insideCi: ci ? rep.value >= ci.lo && rep.value <= ci.hi : null,
                difference: metric.value === null ? Number.NaN : metric.value - rep.value,
              },
            }
          : {}),
      };
    }
  }

  const comparisons: Array<Omit<Comparison, 'pAdjusted' | 'significant'>> = [];
  if (o.baseline) {
    for (const c of cells) {
      if (c.method === o.baseline || c.status === 'n/a' || c.reference) continue;
      const base = cells.find(
        (b) =>
          b.dataset === c.dataset && b.seed === c.seed && b.task === c.task && b.method === o.baseline && !b.reference,
      );
      if (!base || base.status === 'n/a') continue;
      for (const [key, metric] of Object.entries(c.metrics)) {
        const bm = base.metrics[key];
        // A gap to a reference has no per-unit difference to test.
        if (!bm) continue;
        const mine = units(metric);
        const theirs = units(bm);
        // In the units' own order (the task's, the same for every method), so that with
        // no unit errors both sides are exactly the arrays the CIs resampled.
        const common = [...mine.keys()].filter((k) => theirs.has(k));
        if (common.length < 2) continue;
        const t = estimatorOf(metric.estimator).paired(
          common.map((k) => mine.get(k) as UnitStat),
          common.map((k) => theirs.get(k) as UnitStat),
          metric.direction,
          { ...o, seed: tableSeed(o, c) },
        );
        if (!t) continue;
        const effect = t.effect;
        comparisons.push({
          dataset: c.dataset,
          seed: c.seed,
          task: c.task,
          method: c.method,
          metric: key,
          direction: metric.direction,
          baseline: o.baseline,
          test: o.test,
          n: common.length,
          statistic: t.statistic,
          effect,
          pValue: t.pValue,
        });
      }
    }
  }

  // Correction within each table (dataset × seed), as the table is read.
  const adjusted: Comparison[] = [];
  const tables = new Map<string, number[]>();
  comparisons.forEach((x, k) => {
    const t = `${x.dataset}|${x.seed}`;
    tables.set(t, [...(tables.get(t) ?? []), k]);
  });
  const pAdj = new Array<number>(comparisons.length);
  for (const idx of tables.values()) {
    const ps = idx.map((k) => (comparisons[k] as Comparison).pValue);
    const adj = o.correction === 'holm' ? holm(ps) : o.correction === 'bh' ? benjaminiHochberg(ps) : ps;
    idx.forEach((k, j) => (pAdj[k] = adj[j] as number));
  }
  comparisons.forEach((x, k) =>
    adjusted.push({ ...x, pAdjusted: pAdj[k] as number, significant: (pAdj[k] as number) < o.alpha }),
  );
  for (const x of adjusted) {
    const c = cells.find(
      (cc) => cc.dataset === x.dataset && cc.seed === x.seed && cc.task === x.task && cc.method === x.method,
    );
    const metric = c?.metrics[x.metric];
    if (c && metric) {
      const { dataset: _d, seed: _s, task: _t, method: _m, metric: _k, direction: _dir, ...comparison } = x;
      c.metrics[x.metric] = { ...metric, comparison };
    }
  }
  return {
    metrics: { ...m, cells, statistics: { ...describeStats(o) } },
    comparisons: {
      baseline: o.baseline ?? null,
      test: o.test,
      correction: o.correction,
      alpha: o.alpha,
      B: o.B,
      comparisons: adjusted,
    },
  };
}

/**
 * One resampling seed per table (dataset × seed): every interval and every
 * paired test of the table draws the same unit resamples (common random
 * numbers). Besides making comparisons within a table consistent, it lets the
 * bootstrap reuse the resampled means of each series between its interval and
 * its tests (harness/stats/mean-distribution.ts memoises them).
 */
function tableSeed(o: TableStatsOptions, c: { dataset: string; seed: number }): string {
  return hashJson({ seed: o.seed, table: [c.dataset, c.seed] });
}

function describeStats(o: TableStatsOptions): NonNullable<MetricsFile['statistics']> {
  return {
    ci: `${Math.round(o.level * 100)}% ${o.ci} bootstrap over units, B = ${o.B}`,
    test: o.baseline ? describeTest(o) : null,
    baseline: o.baseline ?? null,
    alpha: o.alpha,
    reported: o.reported?.source ?? null,
  };
}
