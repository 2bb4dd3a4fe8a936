import Table from 'cli-table3';
import { tableNotes } from './notes.js';
import { columnHeader, reportedText, shortText, type Table as Model, type TableCell } from './table-model.js';
import { wrapText } from './wrap-text.js';

/** The lines of a cell: the value (± half the CI, marks), the paper's value, and n where it differs. */
function cellLines(c: TableCell, decimals: number, color: boolean): string[] {
  if (c.kind !== 'value') return [c.text];
  return [
    shortText(c, decimals) + (c.best && !color ? ' ◀' : ''),
    reportedText(c, decimals),
    c.showN ? `n=${c.n}` : '',
  ].filter((l) => l !== '');
}

const width = (s: string) => Math.max(0, ...s.split('\n').map((l) => [...l].length));

function greedy(widths: readonly number[], methodWidth: number, limit: number): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let used = 1 + methodWidth + 3;
  widths.forEach((w, k) => {
    if (current.length > 0 && used + w + 3 > limit) {
      out.push(current);
      current = [];
      used = 1 + methodWidth + 3;
    }
    current.push(k);
    used += w + 3;
  });
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The column groups of a table that fit `maxWidth` terminal columns, the
 * method column repeated in each, as even as the fewest groups allow. A
 * column is never cut: one wider than the terminal gets a group of its own,
 * and method labels wrap at spaces.
 */
function chunks(widths: readonly number[], methodWidth: number, maxWidth: number): number[][] {
  const fewest = greedy(widths, methodWidth, maxWidth);
  let best = fewest;
  // The narrowest limit that still needs no more groups gives the most even split.
  for (let limit = maxWidth - 1; limit > methodWidth + 4; limit--) {
    const g = greedy(widths, methodWidth, limit);
    if (g.length > fewest.length) break;
    best = g;
  }
  return best;
}

/**
 * Terminal table: value ± half the CI and its marks, the paper's value and n
 * on their own lines when present, best marked ◀ (bold on a colour TTY).
 * Nothing is ever truncated: a table wider than `width` is cut into parts at
 * column boundaries, with the method column repeated.
 */
export function renderTxt(
  tables: readonly Model[],
  opts: { color: boolean; decimals: number; width?: number },
): string {
  const maxWidth = opts.width ?? 100;
  return `${tables
    .map((t) => {
      const head = t.columns.map(columnHeader);
      const body = t.rows.map((r) => r.cells.map((c) => cellLines(c, opts.decimals, opts.color).join('\n')));
      const colWidths = head.map((h, k) => Math.max(width(h), ...body.map((row) => width(row[k] ?? ''))));
      const naturalMethod = Math.max(6, ...t.rows.map((r) => width(r.label)));
      // The method column gives way (its labels wrap) before a value column would have to.
      const widest = Math.max(0, ...colWidths);
      const methodWidth = Math.max(12, Math.min(naturalMethod, maxWidth - widest - 7));
      const groups = chunks(colWidths, methodWidth, maxWidth);
      const part = t.part ? ` (part ${t.part.index} of ${t.part.count})` : '';
      const rendered = groups.map((cols, g) => {
        const table = new Table({
          head: ['Method', ...cols.map((k) => head[k] as string)],
          colWidths: [methodWidth + 2, ...cols.map((k) => (colWidths[k] as number) + 2)],
          wordWrap: true,
          style: opts.color ? { head: ['cyan'] } : { head: [], border: [] },
        });
        t.rows.forEach((r, i) =>
          table.push([
            r.label,
            ...cols.map((k) => {
              const text = body[i]?.[k] ?? '';
              return r.cells[k]?.best && opts.color ? `\u001b[1m${text}\u001b[22m` : text;
            }),
          ]),
        );
        const title = `${t.title}${part}${groups.length > 1 ? ` [columns ${g + 1}/${groups.length}]` : ''}`;
        return `${title}\n${table.toString()}`;
      });
      const notes = tableNotes(t, 'txt').flatMap((n) => wrapText(n, maxWidth, '  ', ''));
      return [...rendered, ...notes].join('\n');
    })
    .join('\n\n')}\n`;
}
