import { Type } from '@sinclair/typebox';
import type { OptionIssue } from '../api/plugin.js';
import { type SplitName, splitRatings } from './splits.js';
import type { Dataset, Interaction, RatingsSplit } from './types.js';

/**
 * Split options every ratings dataset plugin accepts, so that configs read the
 * same whatever the dataset.
 */
export const splitOptionProperties = {
  users: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    default: 1000,
    description: 'Users kept (sampled with splitSeed); null keeps every eligible user. Agent4Rec: 1000.',
  }),
  splitSeed: Type.Integer({
    default: 101,
    description: 'Seed of the user sample and of the per-user split (Agent4Rec: 101).',
  }),
  minLiked: Type.Integer({
    minimum: 0,
    default: 20,
    description: 'agent4rec split: a user needs this many ratings above likedAbove.',
  }),
  likedAbove: Type.Number({ default: 3, description: 'agent4rec split: a rating above this counts as liked.' }),
  fractions: Type.Optional(
    Type.Array(Type.Number({ minimum: 0, maximum: 1 }), {
      minItems: 3,
      maxItems: 3,
      description: 'train/valid/test fractions (agent4rec: 0.4/0.3/0.3 per user; random and temporal: 0.8/0.1/0.1).',
    }),
  ),
};

/** The shared split options as a loader's validated options hold them (`split` names the split). */
export interface SplitOptionValues {
  readonly split: string;
  readonly splitSeed: number;
  readonly users: number | null;
  readonly minLiked: number;
  readonly likedAbove: number;
  readonly fractions?: readonly number[] | undefined;
}

/**
 * The one place the shared split options become a split: every ratings
 * loader that does not bring its own split (official folds, a published
 * split) hands its interactions here.
 */
export function splitByOptions(all: readonly Interaction[], o: SplitOptionValues, name?: SplitName): RatingsSplit {
  return splitRatings(all, {
    name: name ?? (o.split as SplitName),
    seed: o.splitSeed,
    users: o.users,
    minLiked: o.minLiked,
    likedAbove: o.likedAbove,
    ...(o.fractions ? { fractions: o.fractions as [number, number, number] } : {}),
  });
}

/** The shared splits that cut by fractions; the others (leave-last-out, a dataset's own folds) take none. */
const FRACTION_SPLITS: readonly string[] = ['agent4rec', 'random', 'temporal'];

const show = (x: number) => String(Number(x.toPrecision(12)));

/**
 * Cross-field checks of the shared split options, for a loader's `check`:
 * fractions that sum to 1, leave training data and hold something out, and
 * are given only to a split that reads them.
 */
export function splitOptionIssues(o: Pick<SplitOptionValues, 'split' | 'fractions'>): OptionIssue[] {
  const f = o.fractions;
  if (!f) return [];
  if (!FRACTION_SPLITS.includes(o.split))
    return [
      {
        path: ['fractions'],
        message: `the ${o.split} split takes no fractions (only ${FRACTION_SPLITS.join(', ')} do): remove fractions, or choose one of those splits`,
      },
    ];
  const [train = 0, valid = 0, test = 0] = f;
  const sum = train + valid + test;
  if (Math.abs(sum - 1) > 1e-9)
    return [
      {
        path: ['fractions'],
        message: `the train/valid/test fractions [${f.map(show).join(', ')}] sum to ${show(sum)}, not 1 (the last part would get what is left, or nothing): make them sum to 1, e.g. [0.4, 0.3, 0.3]`,
      },
    ];
  if (train === 0)
    return [
      {
        path: ['fractions', 0],
        message: 'the train fraction is 0: simulators and recommenders would see no training data; give train a share',
      },
    ];
  if (valid + test === 0)
    return [
      {
        path: ['fractions'],
        message:
          'the valid and test fractions are both 0: nothing is held out, so no task has a unit; hold out a share',
      },
    ];
  return [];
}

/**
 * Checks of the shared split options against the loaded data, for a loader's
 * `checkDataset`: the agent4rec split's likedAbove must lie inside the
 * rating scale, or no rating (or every one) counts as liked.
 */
export function splitDataIssues(o: Pick<SplitOptionValues, 'split' | 'likedAbove'>, dataset: Dataset): OptionIssue[] {
  if (o.split !== 'agent4rec' || dataset.kind !== 'ratings' || dataset.scale === null) return [];
  const { min, max } = dataset.scale;
  const range = `${show(min)}–${show(max)}`;
  if (o.likedAbove >= max)
    return [
      {
        path: ['likedAbove'],
        message: `likedAbove (${show(o.likedAbove)}) is not below the top of the rating scale of ${dataset.name} (${range}): no rating is above it, so no user has a liked item and the agent4rec split keeps nobody; use a value from ${show(min)} to below ${show(max)} (Agent4Rec: 3)`,
      },
    ];
  if (o.likedAbove < min)
    return [
      {
        path: ['likedAbove'],
        message: `likedAbove (${show(o.likedAbove)}) is below the rating scale of ${dataset.name} (${range}): every rating would count as liked; use a value from ${show(min)} to below ${show(max)} (Agent4Rec: 3)`,
      },
    ];
  return [];
}
