import type { Comparison, ComparisonsFile } from '../results/comparisons-file.js';
import type { CellMetric, MetricsFile } from '../results/metrics-file.js';

export type { Comparison, ComparisonsFile } from '../results/comparisons-file.js';
import { notComparable, type ReportedValues, type RunData } from '../results/reported-values.js';
import { hashJson } from '../util/hash.js';
import { type Deferred, estimatorOf, type PairedResult, type UnitStat } from './estimators/index.js';
import { benjaminiHochberg, holm } from './multiple-testing.js';
import { SharedResamples } from './shared-resamples.js';

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
  /** Each dataset id's plugin, variant and split (the manifest's): a reported cell is compared only on its own data. */
  readonly datasets?: Readonly<Record<string, RunData>>;
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
  (m.unitScores ?? []).forEach((s, k) => {
    if (s !== null && Number.isFinite(s)) {
      const counts = m.pooledF1?.[k];
      out.set(m.unitKeys?.[k] as string, { s, w: m.unitWeights?.[k] ?? 1, ...(counts ? { counts } : {}) });
    }
  });
  return out;
}

/**
 * The resamples of each table (dataset × seed), by table seed: every estimator of
 * the table asks them for what it needs before any is read, so that each stream of
 * resample indices is drawn once for the whole table.
 */
class TableResamples {
  private readonly bySeed = new Map<string, SharedResamples>();
  constructor(private readonly o: TableStatsOptions) {}

  options(c: { dataset: string; seed: number }) {
    const seed = tableSeed(this.o, c);
    let resamples = this.bySeed.get(seed);
    if (!resamples) this.bySeed.set(seed, (resamples = new SharedResamples(seed, this.o.B)));
    return { ...this.o, seed, resamples };
  }
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
  const resamples = new TableResamples(o);
  const ciMethod = `${o.ci} bootstrap over units, B = ${o.B}`;
  // First every estimator says what it resamples, then the intervals and tests are read.
  const intervals: Array<{ c: (typeof cells)[number]; key: string; ci: Deferred<{ lo: number; hi: number }> | null }> =
    [];
  for (const c of cells)
    for (const [key, metric] of Object.entries(c.metrics))
      intervals.push({
        c,
        key,
        ci: estimatorOf(metric.estimator).interval(metric, [...units(metric).values()], resamples.options(c)),
      });

  const pending: Array<{
    x: Omit<Comparison, 'statistic' | 'effect' | 'pValue' | 'pAdjusted' | 'significant'>;
    t: Deferred<PairedResult>;
  }> = [];
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
          resamples.options(c),
        );
        if (!t) continue;
        pending.push({
          x: {
            dataset: c.dataset,
            seed: c.seed,
            task: c.task,
            method: c.method,
            metric: key,
            direction: metric.direction,
            baseline: o.baseline,
            test: o.test,
            n: common.length,
          },
          t,
        });
      }
    }
  }

  for (const { c, key, ci: deferred } of intervals) {
    const metric = c.metrics[key] as CellMetric;
    const r = deferred?.();
    const ci = r ? { lo: r.lo, hi: r.hi, level: o.level, method: ciMethod } : undefined;
    const rep = o.reported?.cells.find(
      (x) => x.dataset === c.dataset && x.task === c.task && x.method === c.method && x.metric === key,
    );
    const apart = rep ? notComparable(rep, o.datasets?.[c.dataset]) : null;
    c.metrics[key] = {
      ...metric,
      ...(ci ? { ci } : {}),
      ...(rep
        ? {
            reported: {
              value: rep.value,
              source: o.reported?.source ?? '',
              insideCi: ci && apart === null ? rep.value >= ci.lo && rep.value <= ci.hi : null,
              difference: metric.value === null ? Number.NaN : metric.value - rep.value,
              ...(apart !== null ? { notComparable: apart } : {}),
            },
          }
        : {}),
    };
  }
  const comparisons: Array<Omit<Comparison, 'pAdjusted' | 'significant'>> = pending.map(({ x, t }) => {
    const r = t();
    const { dataset, seed, task, method, metric, direction, baseline, test, n } = x;
    return {
      dataset,
      seed,
      task,
      method,
      metric,
      direction,
      baseline,
      test,
      n,
      statistic: r.statistic,
      effect: r.effect,
      pValue: r.pValue,
    };
  });

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
