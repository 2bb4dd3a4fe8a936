import type { MetricsFile } from '../results/metrics-file.js';

function field(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Long format, one row per (dataset, task, method, metric): easy to load in pandas or R. */
export function renderCsv(m: MetricsFile): string {
  const header = [
    'dataset',
    'task',
    'method',
    'metric',
    'value',
    'ci_lo',
    'ci_hi',
    'n',
    'p',
    'p_adj',
    'reported',
    'seed',
    'errors',
    'status',
    'na_kind',
    'reason',
    'llm_model',
    'mock',
  ];
  const rows: string[] = [header.join(',')];
  for (const c of m.cells) {
    const tail = [c.seed, c.units.errors, c.status, c.naKind, c.reason, c.llm?.model, c.llm ? c.llm.mock : null];
    const metrics = Object.entries(c.metrics);
    if (metrics.length === 0) {
      rows.push([c.dataset, c.task, c.method, '', '', '', '', 0, '', '', '', ...tail].map(field).join(','));
      continue;
    }
    for (const [key, x] of metrics) {
      rows.push(
        [
          c.dataset,
          c.task,
          c.method,
          key,
          x.value,
          x.ci?.lo,
          x.ci?.hi,
          x.n,
          x.comparison?.pValue,
          x.comparison?.pAdjusted,
          x.reported?.value,
          ...tail,
        ]
          .map(field)
          .join(','),
      );
    }
  }
  return rows.join('\n') + '\n';
}
