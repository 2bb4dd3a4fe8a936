import type { MetricsFile } from '../runner/metrics-file.js';

function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Long format, one row per (dataset, task, method, metric): easy to load in pandas or R. */
export function renderCsv(m: MetricsFile): string {
  const header = ['dataset', 'seed', 'task', 'method', 'metric', 'value', 'ci_lo', 'ci_hi', 'n', 'errors', 'status', 'llm_model', 'mock'];
  const rows: string[] = [header.join(',')];
  for (const c of m.cells) {
    const metrics = Object.entries(c.metrics);
    if (metrics.length === 0) {
      rows.push([c.dataset, c.seed, c.task, c.method, '', '', '', '', 0, c.units.errors, c.status, c.llm?.model, c.llm ? String(c.llm.mock) : ''].map(field).join(','));
      continue;
    }
    for (const [key, x] of metrics) {
      rows.push(
        [c.dataset, c.seed, c.task, c.method, key, x.value, x.ci?.lo, x.ci?.hi, x.n, c.units.errors, c.status, c.llm?.model, c.llm ? String(c.llm.mock) : '']
          .map(field)
          .join(','),
      );
    }
  }
  return rows.join('\n') + '\n';
}
