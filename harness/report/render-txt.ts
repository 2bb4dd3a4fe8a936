import Table from 'cli-table3';
import { arrow, type Table as Model } from './table-model.js';

/** Terminal table; colour only when writing to a TTY. */
export function renderTxt(tables: readonly Model[], opts: { color: boolean }): string {
  return tables
    .map((t) => {
      const table = new Table({
        head: ['Method', ...t.columns.map((c) => `${c.label}${arrow(c.direction)}`)],
        style: opts.color ? { head: ['cyan'] } : { head: [], border: [] },
      });
      for (const r of t.rows) table.push([r.label, ...r.cells.map((c) => (c.best && opts.color ? `\u001b[1m${c.text}\u001b[22m` : c.best ? `${c.text} ◀` : c.text))]);
      return [t.title, table.toString(), ...t.notes].join('\n');
    })
    .join('\n\n') + '\n';
}
