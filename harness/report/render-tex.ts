import { arrow, type Table } from './table-model.js';

const TEX_SPECIAL: Record<string, string> = {
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
};

export function texEscape(s: string): string {
  return s
    .replace(/[&%$#_{}~^\\]/g, (c) => TEX_SPECIAL[c] ?? c)
    .replace(/↑/g, '$\\uparrow$')
    .replace(/↓/g, '$\\downarrow$')
    .replace(/—/g, '--')
    .replace(/–/g, '--');
}

/** booktabs tables: best in bold, † significant, the CI as a small subscript line; the caption names the test and the correction. */
export function renderTex(
  tables: readonly Table[],
  opts: { decimals: number; statistics?: string | undefined },
): string {
  return (
    tables
      .map((t) => {
        const cols = t.columns.map((c) => texEscape(`${c.label}${arrow(c.direction)}`));
        const cell = (c: Table['rows'][number]['cells'][number]) => {
          if (c.kind !== 'value') return texEscape(c.text);
          let v = c.text + (c.significant ? '$^\\dagger$' : '');
          if (c.best) v = `\\textbf{${v}}`;
          if (c.ci) v += ` {\\scriptsize[${c.ci.lo.toFixed(opts.decimals)}, ${c.ci.hi.toFixed(opts.decimals)}]}`;
          return v;
        };
        const caption = [
          `${texEscape(t.title)}. Best value per column in bold.`,
          opts.statistics ? texEscape(opts.statistics) : '',
        ]
          .filter(Boolean)
          .join(' ');
        return [
          '\\begin{table}[t]',
          '\\centering',
          `\\caption{${caption}}`,
          `\\begin{tabular}{l${'r'.repeat(t.columns.length)}}`,
          '\\toprule',
          `Method & ${cols.join(' & ')} \\\\`,
          '\\midrule',
          ...t.rows.map((r) => `${texEscape(r.label)} & ${r.cells.map(cell).join(' & ')} \\\\`),
          '\\bottomrule',
          '\\end{tabular}',
          '\\end{table}',
        ].join('\n');
      })
      .join('\n\n') + '\n'
  );
}
