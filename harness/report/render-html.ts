import type { Manifest } from '../results/manifest.js';
import type { MetricsFile } from '../results/metrics-file.js';
import { metricChartSpecs, distributionSpecs, toSvg } from './charts.js';
import { arrow, buildTables, longText } from './table-model.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
details.unit { margin: 0.3rem 0; } details pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.4rem; max-height: 20rem; overflow: auto; } .err { color: #a00; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
td.best { font-weight: 700; } .note { color: #555; font-size: 12px; margin: 2px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 1rem; } dt { font-weight: 600; }
`;

/**
 * One self-contained page (no scripts, no external files): the tables, a bar
 * chart per metric with CI whiskers and the paper's values as markers, the
 * predicted-vs-true distributions (ratings, actions), and the run facts.
 */
export async function renderHtml(
  m: MetricsFile,
  opts: { decimals: number; manifest?: Manifest | null; samples?: string },
): Promise<string> {
  const tables = buildTables(m, { decimals: opts.decimals });
  const parts: string[] = [`<h1>${esc(m.name)}</h1>`];
  const man = opts.manifest;
  parts.push('<h2>Run</h2><dl>');
  const fact = (k: string, v: string) => parts.push(`<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`);
  fact('config hash', m.configHash);
  if (man) {
    fact('git commit', `${man.git.commit ?? 'unknown'}${man.git.dirty ? ' (dirty)' : ''}`);
    fact(
      'models',
      Object.entries(man.llms)
        .map(([meth, l]) => `${meth}: ${l.provider}/${l.model}${l.mock ? ' (mock)' : ''}`)
        .join('; ') || 'none',
    );
    if (man.llmUsage)
      fact(
        'LLM calls',
        `${String(man.llmUsage['calls'])} (${String(man.llmUsage['cacheHits'])} from the cache), $${Number(man.llmUsage['spentUsd'] ?? 0).toFixed(4)} spent this run`,
      );
    fact('started', man.startedAt);
  }
  fact('cost of all units', `$${m.usage.costUsd.toFixed(4)} (${m.usage.calls} calls)`);
  if (m.statistics) fact('statistics', `${m.statistics.ci}${m.statistics.test ? `; ${m.statistics.test}` : ''}`);
  parts.push('</dl>');

  for (const t of tables) {
    parts.push(
      `<h2>${esc(t.title)}</h2><table><thead><tr><th>Method</th>${t.columns.map((c) => `<th>${esc(c.label + arrow(c.direction))}</th>`).join('')}</tr></thead><tbody>`,
    );
    for (const r of t.rows) {
      parts.push(
        `<tr><td>${esc(r.label)}</td>${r.cells.map((c) => `<td${c.best ? ' class="best"' : ''}>${esc(longText(c, opts.decimals))}</td>`).join('')}</tr>`,
      );
    }
    parts.push('</tbody></table>', ...t.notes.map((n) => `<p class="note">${esc(n)}</p>`));
  }

  const charts = metricChartSpecs(m);
  if (charts.length > 0) {
    parts.push('<h2>Metrics with confidence intervals</h2><div class="charts">');
    for (const c of charts) parts.push(`<figure aria-label="${esc(c.title)}">${await toSvg(c.spec)}</figure>`);
    parts.push('</div>');
  }
  const dists = distributionSpecs(m);
  if (dists.length > 0) {
    parts.push('<h2>Predicted versus true ratings</h2><div class="charts">');
    for (const c of dists) parts.push(`<figure aria-label="${esc(c.title)}">${await toSvg(c.spec)}</figure>`);
    parts.push('</div>');
  }
  // The sample browser (harness/report/sample-browser.ts), made from the results dir by the caller.
  if (opts.samples) parts.push(opts.samples);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(m.name)}: usersim-bench report</title><style>${STYLE}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
}
