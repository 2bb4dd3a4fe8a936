import type { Manifest } from '../results/manifest.js';
import type { MetricsFile } from '../results/metrics-file.js';
import { metricChartSpecs, distributionSpecs, toSvg } from './charts.js';
import { tableNotes } from './notes.js';
import { buildTables, columnHeader, reportedText, type TableCell, type TableRow } from './table-model.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #222; }
main { max-width: 1600px; margin: 0 auto; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.table-wrap { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 0.5rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: right; vertical-align: top; }
th { max-width: 8rem; font-weight: 600; }
th:first-child, td:first-child { text-align: left; max-width: 14rem; }
td .v, td .ci, td .n, td .paper { display: block; white-space: nowrap; }
td .ci, td .n, td .paper { font-size: 11px; color: #666; }
td.best .v { font-weight: 700; }
tr.mock td:first-child { font-style: italic; color: #555; }
tr.reference td { color: #444; border-top: 2px solid #bbb; }
th.mock-judge { color: #8a5a00; }
ul.notes { color: #555; font-size: 12px; margin: 0 0 1rem; padding-left: 1.2rem; }
details.unit { margin: 0.3rem 0; } details pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.4rem; max-height: 20rem; overflow: auto; } .err { color: #a00; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; }
.legend { font-size: 12px; color: #555; display: flex; gap: 1.2rem; align-items: center; margin: 0.3rem 0 0.8rem; }
.legend svg { vertical-align: middle; margin-right: 0.3rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 1rem; } dt { font-weight: 600; }
`;

/** The id of a method's row in a table: where a sample browser links from (and to). */
export function rowAnchor(dataset: string, seed: number, method: string): string {
  return `row--${dataset}--${seed}--${method}`.replace(/[^A-Za-z0-9_.:-]+/g, '-');
}

/**
 * An empty, invisible hook in each method's row for a sample browser: it names
 * the row's dataset, seed and method, which locate the row's prediction lines
 * (predictions/<dataset>/<task>/<method>[.seed<seed>].jsonl).
 */
function sampleBrowserHook(dataset: string, seed: number, r: TableRow): string {
  return `<span class="sample-browser-hook" data-dataset="${esc(dataset)}" data-seed="${seed}" data-method="${esc(r.method)}"></span>`;
}

function cellHtml(c: TableCell, decimals: number): string {
  if (c.kind !== 'value') return esc(c.text);
  const marks = `${c.significant ? '†' : ''}${c.degenerate ? '≡' : ''}${c.incomplete ? '*' : ''}`;
  const lines = [`<span class="v">${esc(c.text + marks)}</span>`];
  if (c.ci && !c.degenerate)
    lines.push(`<span class="ci">[${c.ci.lo.toFixed(decimals)}, ${c.ci.hi.toFixed(decimals)}]</span>`);
  if (c.reported) lines.push(`<span class="paper">${esc(reportedText(c, decimals))}</span>`);
  if (c.n !== undefined && !c.point) lines.push(`<span class="n">n=${c.n}</span>`);
  return lines.join('');
}

/** What the chart marks mean: bars, whiskers and (when any) the paper's diamonds. */
function chartLegend(withPaper: boolean): string {
  const bar = '<svg width="14" height="12" aria-hidden="true"><rect width="14" height="12" fill="#4c78a8"/></svg>';
  const whisker =
    '<svg width="10" height="14" aria-hidden="true"><line x1="5" y1="0" x2="5" y2="14" stroke="#222" stroke-width="1.5"/></svg>';
  const diamond =
    '<svg width="14" height="14" aria-hidden="true"><polygon points="7,0 14,7 7,14 0,7" fill="#e45756"/></svg>';
  return `<p class="legend"><span>${bar}our value</span><span>${whisker}its confidence interval</span>${withPaper ? `<span>${diamond}the paper's reported value</span>` : ''}</p>`;
}

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
  const parts: string[] = ['<main>', `<h1>${esc(m.name)}</h1>`];
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
    const part = t.part ? ` (part ${t.part.index} of ${t.part.count})` : '';
    const head = t.columns
      .map((c) => `<th${c.judge?.mock ? ' class="mock-judge"' : ''}>${esc(columnHeader(c))}</th>`)
      .join('');
    parts.push(
      `<h2>${esc(t.title + part)}</h2><div class="table-wrap"><table><thead><tr><th>Method</th>${head}</tr></thead><tbody>`,
    );
    for (const r of t.rows) {
      const cls = [r.mock ? 'mock' : '', r.baseline ? 'baseline' : '', r.reference ? 'reference' : ''].filter(Boolean);
      parts.push(
        `<tr id="${esc(rowAnchor(t.dataset, t.seed, r.method))}"${cls.length ? ` class="${cls.join(' ')}"` : ''}>` +
          `<td>${esc(r.label)}${r.reference ? '' : sampleBrowserHook(t.dataset, t.seed, r)}</td>` +
          `${r.cells.map((c) => `<td${c.best ? ' class="best"' : ''}>${cellHtml(c, opts.decimals)}</td>`).join('')}</tr>`,
      );
    }
    parts.push(
      '</tbody></table></div>',
      `<ul class="notes">${tableNotes(t, 'html')
        .map((n) => `<li>${esc(n)}</li>`)
        .join('')}</ul>`,
    );
  }

  const charts = metricChartSpecs(m);
  if (charts.length > 0) {
    parts.push(
      '<h2>Metrics with confidence intervals</h2>',
      chartLegend(m.cells.some((c) => Object.values(c.metrics).some((x) => x.reported))),
      '<div class="charts">',
    );
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
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(m.name)}: usersim-bench report</title><style>${STYLE}</style></head><body>\n${parts.join('\n')}\n</main>\n</body></html>\n`;
}
