import { itemLine, UnitError, type Item, type Llm, type RatingScale } from '../../../harness/plugin-api.js';

/** Short codes instead of raw ids keep prompts compact and stop ids from hinting at anything. */
export function codeItems(items: readonly Item[]): Map<string, Item> {
  return new Map(items.map((item, k) => [`i${k + 1}`, item]));
}

export function itemsBlock(coded: ReadonlyMap<string, Item>): string {
  return [...coded].map(([code, item]) => `${code}: ${itemLine(item)}`).join('\n');
}

/** The text an item is searched by in memory: what a person would recall it by. */
export function itemQuery(item: Item): string {
  return [item.title, ...item.genres, item.description ?? ''].join(' ');
}

/** Integer ratings where the scale allows them, so that providers cannot answer 3.7 on a star scale. */
export function ratingSchema(scale: RatingScale): Record<string, unknown> {
  const integral = scale.step === 1 && Number.isInteger(scale.min) && Number.isInteger(scale.max);
  return { type: integral ? 'integer' : 'number', minimum: scale.min, maximum: scale.max };
}

/** Snaps a rating onto the scale's grid (e.g. 0.5 steps); the schema already bounds it. */
export function snapRating(value: number, scale: RatingScale): number {
  const steps = Math.round((value - scale.min) / scale.step);
  return Math.min(scale.max, Math.max(scale.min, scale.min + steps * scale.step));
}

export function needLlm(llm: Llm | null, method: string): Llm {
  if (!llm) throw new UnitError('method', `${method} needs an LLM but none was configured`);
  return llm;
}

/** A JSON Schema object whose keys are exactly `keys`, each with the schema `value`. */
export function keyedObject(keys: readonly string[], value: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(keys.map((k) => [k, value])),
    required: [...keys],
    additionalProperties: false,
  };
}
