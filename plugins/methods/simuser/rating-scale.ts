import type { RatingScale } from '../../../harness/plugin-api.js';

export function scaleText(scale: RatingScale): string {
  return `${scale.min} to ${scale.max}${scale.step !== 1 ? ` in steps of ${scale.step}` : ''}`;
}
