import type { RatingScale } from '../../../harness/plugin-api.js';

/** Stars on a whole-number grid are asked for as integers; finer grids (0.5 steps) as numbers snapped afterwards. */
export function ratingSchema(scale: RatingScale): Record<string, unknown> {
  const integral = Number.isInteger(scale.min) && Number.isInteger(scale.max) && scale.step === 1;
  return { type: integral ? 'integer' : 'number', minimum: scale.min, maximum: scale.max };
}

/** The nearest value on the scale's grid, inside the scale. */
export function snapRating(scale: RatingScale, x: number): number {
  const step = scale.step > 0 ? scale.step : 1;
  const k = Math.round((x - scale.min) / step);
  const v = scale.min + k * step;
  const clamped = Math.min(scale.max, Math.max(scale.min, v));
  // Float steps (0.5) can leave 3.5000000001; keep the grid's decimals only.
  return Number(clamped.toFixed(6));
}

export function scaleText(scale: RatingScale): string {
  return `${scale.min} to ${scale.max}${scale.step !== 1 ? ` in steps of ${scale.step}` : ''}`;
}
