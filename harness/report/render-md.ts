import { arrow, longText, type Table } from './table-model.js';

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** GitHub Markdown: value [CI], † significant after correction, best in bold, the paper's value beside ours. */
export function renderMd(tables: readonly Table[], decimals: number): string {
  return (
    tables
      .map((t) => {
        const head = `| Method | ${t.columns.map((c) => esc(`${c.label}${arrow(c.direction)}`)).join(' | ')} |`;
        const sep = `|---|${t.columns.map(() => '---:').join('|')}|`;
        const rows = t.rows.map(
          (r) =>
            `| ${esc(r.label)} | ${r.cells.map((c) => (c.best ? `**${esc(longText(c, decimals))}**` : esc(longText(c, decimals)))).join(' | ')} |`,
        );
        const notes = t.notes.map((n) => `\n_${n}_`).join('\n');
        return `### ${t.title}\n\n${head}\n${sep}\n${rows.join('\n')}\n${notes}`;
      })
      .join('\n\n') + '\n'
  );
}
