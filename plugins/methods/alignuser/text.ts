import { itemLine, type HistoryEntry, type Item, type RatingScale } from '../../../harness/plugin-api.js';

/** Short codes instead of raw ids keep prompts compact and stop ids from hinting at anything. */
export function codeItems(items: readonly Item[]): Map<string, Item> {
  return new Map(items.map((item, k) => [`i${k + 1}`, item]));
}

export function codedList(coded: ReadonlyMap<string, Item>): string {
  return [...coded].map(([code, item]) => `${code}: ${itemLine(item)}`).join('\n');
}

export function historyList(entries: readonly HistoryEntry[]): string {
  return entries.length === 0
    ? '(none)'
    : entries.map((h) => `- ${itemLine(h.item)}${h.rating !== null ? ` (rated ${h.rating})` : ''}`).join('\n');
}

/** JSON Schema of one rating: an integer on star scales, a number otherwise (snapped to the step afterwards). */
export function ratingSchema(scale: RatingScale): Record<string, unknown> {
  const integral = scale.step === 1 && Number.isInteger(scale.min) && Number.isInteger(scale.max);
  return { type: integral ? 'integer' : 'number', minimum: scale.min, maximum: scale.max };
}

/** The nearest rating the scale allows: replies in between are a formatting slip, not an answer to round away silently elsewhere. */
export function snapRating(value: number, scale: RatingScale): number {
  const steps = Math.round((value - scale.min) / scale.step);
  const v = scale.min + steps * scale.step;
  return Math.min(scale.max, Math.max(scale.min, Number(v.toFixed(6))));
}

export function scaleText(scale: RatingScale | null): string {
  return scale ? `from ${scale.min} to ${scale.max} (steps of ${scale.step})` : '(no ratings in this dataset)';
}

/** A keyed object schema with one required property per code. */
export function perCode(codes: readonly string[], value: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(codes.map((c) => [c, value])),
    required: [...codes],
    additionalProperties: false,
  };
}

/** A titled block of the prompt (followed by a blank line), or nothing when there are no lines, so optional sections leave no empty heading. */
export function block(title: string, lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${title}\n${lines.join('\n')}\n\n`;
}
