import Table from 'cli-table3';
import { arrow, shortText, type Table as Model } from './table-model.js';

/**
 * Terminal table: value ± half the CI, † for significant, best in bold (or
 * marked ◀ without colour). Colour only on a TTY; narrows to the terminal width.
 */
export function renderTxt(
  tables: readonly Model[],
  opts: { color: boolean; decimals: number; width?: number },
): string {
  return (
    tables
      .map((t) => {
        const head = ['Method', ...t.columns.map((c) => `${c.label}${arrow(c.direction)}`)];
        const body = t.rows.map((r) => [
          r.label,
          ...r.cells.map((c) => shortText(c, opts.decimals) + (c.best && !opts.color ? ' ◀' : '')),
        ]);
        const natural = head.map((h, k) => Math.max(h.length, ...body.map((row) => (row[k] ?? '').length)) + 2);
        const width = opts.width ?? 0;
        let colWidths = natural;
        if (width > 0) {
          // Shrink the method column first (labels wrap), then every column proportionally.
          const total = natural.reduce((a, b) => a + b + 1, 1);
          if (total > width) {
            const excess = total - width;
            const method = Math.max(12, (natural[0] as number) - excess);
            colWidths = [method, ...natural.slice(1)];
            const rest = colWidths.reduce((a, b) => a + b + 1, 1) - width;
            if (rest > 0)
              colWidths = colWidths.map((w, k) =>
                k === 0 ? w : Math.max(6, Math.floor(w - (rest * w) / natural.slice(1).reduce((a, b) => a + b, 0))),
              );
          }
        }
        const table = new Table({
          head,
          colWidths,
          wordWrap: true,
          style: opts.color ? { head: ['cyan'] } : { head: [], border: [] },
        });
        t.rows.forEach((r, i) =>
          table.push(
            body[i]!.map((text, k) =>
              k > 0 && r.cells[k - 1]?.best && opts.color ? `\u001b[1m${text}\u001b[22m` : text,
            ),
          ),
        );
        return [t.title, table.toString(), ...t.notes].join('\n');
      })
      .join('\n\n') + '\n'
  );
}
