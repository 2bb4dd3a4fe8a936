import { tableNotes } from './notes.js';
import { columnHeader, longText, reportedText, type Table, type TableCell } from './table-model.js';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\*/g, '\\*').replace(/_/g, '\\_');

function cell(c: TableCell, decimals: number): string {
  if (c.kind !== 'value') return esc(c.text);
  const value = esc(longText(c, decimals));
  const extra = [reportedText(c, decimals), c.showN ? `n=${c.n}` : ''].filter(Boolean).join(', ');
  return `${c.best ? `**${value}**` : value}${extra ? ` (${esc(extra)})` : ''}`;
}

/** GitHub Markdown: value [CI] and marks, best in bold, the paper's value and n beside ours; notes for Markdown. */
export function renderMd(tables: readonly Table[], decimals: number): string {
  return `${tables
    .map((t) => {
      const head = `| Method | ${t.columns.map((c) => esc(columnHeader(c))).join(' | ')} |`;
      const sep = `|---|${t.columns.map(() => '---:').join('|')}|`;
      const rows = t.rows.map((r) => `| ${esc(r.label)} | ${r.cells.map((c) => cell(c, decimals)).join(' | ')} |`);
      const part = t.part ? ` (part ${t.part.index} of ${t.part.count})` : '';
      const notes = tableNotes(t, 'md').map((n) => `- ${esc(n)}`);
      return `### ${esc(t.title)}${part}\n\n${head}\n${sep}\n${rows.join('\n')}\n\n${notes.join('\n')}`;
    })
    .join('\n\n')}\n`;
}
