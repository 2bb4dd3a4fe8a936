import { itemLine, type HistoryEntry, type RatingScale } from '../../../harness/plugin-api.js';

export function historyList(entries: readonly HistoryEntry[]): string {
  return entries.length === 0
    ? '(none)'
    : entries.map((h) => `- ${itemLine(h.item)}${h.rating !== null ? ` (rated ${h.rating})` : ''}`).join('\n');
}

export function scaleText(scale: RatingScale | null): string {
  return scale ? `from ${scale.min} to ${scale.max} (steps of ${scale.step})` : '(no ratings in this dataset)';
}

/** A titled block of the prompt (followed by a blank line), or nothing when there are no lines, so optional sections leave no empty heading. */
export function block(title: string, lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${title}\n${lines.join('\n')}\n\n`;
}
