import type { OptionIssue } from '../api/plugin.js';
import type { RatingScale } from './types.js';

const show = (x: number) => String(Number(x.toPrecision(12)));

/**
 * A threshold option read as "a rating at or above this counts" must lie on
 * the dataset's scale: above the top nothing counts, below the bottom
 * everything does, and either way the option does not mean what it says.
 * `counts` says what counting means for this option (e.g. "as liked").
 */
export function thresholdIssues(
  option: string,
  value: number | null,
  scale: RatingScale | null,
  datasetName: string,
  counts: string,
): OptionIssue[] {
  if (value === null || scale === null) return [];
  const range = `${show(scale.min)}–${show(scale.max)}`;
  if (value > scale.max)
    return [
      {
        path: [option],
        message: `${option} (${show(value)}) is above the rating scale of ${datasetName} (${range}): no rating would count ${counts}; use a value from ${show(scale.min)} to ${show(scale.max)}`,
      },
    ];
  if (value < scale.min)
    return [
      {
        path: [option],
        message: `${option} (${show(value)}) is below the rating scale of ${datasetName} (${range}): every rating would count ${counts}; use a value from ${show(scale.min)} to ${show(scale.max)}`,
      },
    ];
  return [];
}
