import { itemLine, UnitError, type Item, type Llm, type RatingScale } from '../../../harness/plugin-api.js';

/**
 * Helpers every LLM simulator needs to put items into a prompt and get a
 * structured answer back. Shared so that simulators differ in their logic and
 * prompts, not in how they talk to the model.
 */

/** Short codes instead of raw ids keep prompts compact and stop ids from hinting at anything. */
export function codeItems(items: readonly Item[]): Map<string, Item> {
  return new Map(items.map((item, k) => [`i${k + 1}`, item]));
}

/** One line per coded item: "i1: Title [genres] — description". */
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

/** The nearest rating on the scale's grid (e.g. 0.5 steps), inside the scale; the schema already bounds it. */
export function snapRating(value: number, scale: RatingScale): number {
  const step = scale.step > 0 ? scale.step : 1;
  const v = scale.min + Math.round((value - scale.min) / step) * step;
  // Float steps (0.5) can leave 3.5000000001; keep the grid's decimals only.
  return Number(Math.min(scale.max, Math.max(scale.min, v)).toFixed(6));
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

export interface CallSettings {
  readonly temperature: number;
  readonly maxTokens: number;
}

/** One structured call: a system prompt (none when empty), one user turn, a schema. */
export function askJson<T>(
  llm: Llm,
  settings: CallSettings,
  system: string,
  user: string,
  schema: Record<string, unknown>,
  schemaName: string,
): Promise<T> {
  return llm.json<T>({
    messages:
      system === ''
        ? [{ role: 'user', content: user }]
        : [
            { role: 'system', content: system },
            { role: 'user', content: user },
          ],
    schema,
    schemaName,
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
  });
}
