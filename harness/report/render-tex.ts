import type { Table } from './table-model.js';

const TEX_SPECIAL: Record<string, string> = { '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_', '{': '\\{', '}': '\\}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}', '\\': '\\textbackslash{}' };

export function texEscape(s: string): string {
  return s.replace(/[&%$#_{}~^\\]/g, (c) => TEX_SPECIAL[c] ?? c).replace(/↑/g, '$\\uparrow$').replace(/↓/g, '$\\downarrow$').replace(/—/g, '--').replace(/–/g, '--');
}

/** booktabs tables, best value per column in bold. */
export function renderTex(tables: readonly Table[]): string {
  return tables
    .map((t) => {
      const cols = t.columns.map((c) => `${texEscape(c.label)}${c.direction === 'higher' ? ' $\\uparrow$' : c.direction === 'lower' ? ' $\\downarrow$' : ''}`);
      const lines = [
        '\\begin{table}[t]',
        '\\centering',
        `\\caption{${texEscape(t.title)}. Best value per column in bold.}`,
        `\\begin{tabular}{l${'r'.repeat(t.columns.length)}}`,
        '\\toprule',
        `Method & ${cols.join(' & ')} \\\\`,
        '\\midrule',
        ...t.rows.map((r) => `${texEscape(r.label)} & ${r.cells.map((c) => (c.best ? `\\textbf{${texEscape(c.text)}}` : texEscape(c.text))).join(' & ')} \\\\`),
        '\\bottomrule',
        '\\end{tabular}',
        '\\end{table}',
      ];
      return lines.join('\n');
    })
    .join('\n\n') + '\n';
}
