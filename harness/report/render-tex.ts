import { tableNotes } from './notes.js';
import { arrow, type Table, type TableCell } from './table-model.js';

/** Plain text → LaTeX: the specials escaped, and the symbols the tables use set as real math. */
const TEX: Record<string, string> = {
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '\\': '\\textbackslash{}',
  // OT1 fonts print these three as other glyphs in text mode.
  '|': '$|$',
  '<': '$<$',
  '>': '$>$',
  '†': '$^\\dagger$',
  α: '$\\alpha$',
  τ: '$\\tau$',
  '±': '$\\pm$',
  '≡': '$^\\equiv$',
  '∈': '$\\in$',
  '∉': '$\\notin$',
  '≠': '$\\neq$',
  '≥': '$\\geq$',
  '≤': '$\\leq$',
  '×': '$\\times$',
  '−': '$-$',
  '·': '$\\cdot$',
  '↑': '$\\uparrow$',
  '↓': '$\\downarrow$',
  '—': '---',
  '–': '--',
  '…': '\\ldots{}',
  '✓': '$\\in$',
  '✗': '$\\notin$',
  '◀': '',
};

export function texEscape(s: string): string {
  return s.replace(/[&%$#_{}~^\\|<>†ατ±≡∈∉≠≥≤×−·↑↓—–…✓✗◀]/g, (c) => TEX[c] ?? c);
}

/** A cell's lines stacked in a one-column tabular: value and marks, interval, paper's value, n. */
function cell(c: TableCell, decimals: number): string {
  if (c.kind !== 'value') return texEscape(c.text);
  const marks = `${c.significant ? '$^\\dagger$' : ''}${c.degenerate ? '$^\\equiv$' : ''}${c.incomplete ? '$^*$' : ''}`;
  const value = c.best ? `\\textbf{${c.text}}${marks}` : `${c.text}${marks}`;
  const small = [
    c.ci && !c.degenerate ? `[${c.ci.lo.toFixed(decimals)}, ${c.ci.hi.toFixed(decimals)}]` : '',
    c.reported
      ? `paper ${c.reported.value.toFixed(decimals)}${c.reported.notComparable ? '\\,$\\neq$' : c.reported.insideCi === null ? '' : c.reported.insideCi ? '\\,$\\in$' : '\\,$\\notin$'}`
      : '',
    c.showN ? `$n=${c.n}$` : '',
  ].filter(Boolean);
  if (small.length === 0) return value;
  return `\\begin{tabular}[t]{@{}r@{}}${[value, ...small.map((s) => `{\\scriptsize ${s}}`)].join('\\\\')}\\end{tabular}`;
}

/** A header on as many short lines as it needs (stacked like the cells), so long labels do not widen the table. */
function headerCell(c: Table['columns'][number]): string {
  const words = `${c.label}${arrow(c.direction)}`.split(' ');
  const lines: string[] = [];
  for (const w of words) {
    const last = lines.at(-1);
    if (last !== undefined && (last.length + 1 + w.length <= 12 || /^[↑↓]$/.test(w)))
      lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  const all = [...lines.map(texEscape), ...(c.judge?.mock ? ['{\\scriptsize (mock judge)}'] : [])];
  return all.length === 1 ? (all[0] as string) : `\\begin{tabular}[b]{@{}r@{}}${all.join('\\\\')}\\end{tabular}`;
}

const labelOf = (t: Table, k: number) =>
  `tab:${`${t.title}-${k}`
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()}`;

/**
 * LaTeX a paper can \input (needs \usepackage{booktabs}): one table* per
 * part, booktabs rules, best in bold, † significant, the interval, the
 * paper's value and n (where it differs) in small type under the value, and
 * a caption that names the test and explains every mark the table contains.
 */
export function renderTex(tables: readonly Table[], opts: { decimals: number }): string {
  const header = [
    '% usersim-bench leaderboard, rendered from metrics.json. In the paper: \\usepackage{booktabs} and \\input{this file}.',
    '',
  ];
  return `${header.join('\n')}${tables
    .map((t, k) => {
      const part = t.part ? ` (part ${t.part.index} of ${t.part.count})` : '';
      const caption = [`${texEscape(t.title + part)}.`, ...tableNotes(t, 'tex').map(texEscape)].join(' ');
      return [
        '\\begin{table*}[t]',
        '\\centering',
        '\\small',
        '\\setlength{\\tabcolsep}{4pt}',
        `\\caption{${caption}}`,
        `\\label{${labelOf(t, k + 1)}}`,
        `\\begin{tabular}{l${'r'.repeat(t.columns.length)}}`,
        '\\toprule',
        `Method & ${t.columns.map(headerCell).join(' & ')} \\\\`,
        '\\midrule',
        ...t.rows.map((r) => {
          const line = `${texEscape(r.label)} & ${r.cells.map((c) => cell(c, opts.decimals)).join(' & ')} \\\\`;
          return r.reference ? `\\midrule\n${line}` : line;
        }),
        '\\bottomrule',
        '\\end{tabular}',
        '\\end{table*}',
      ].join('\n');
    })
    .join('\n\n')}\n`;
}
