import { Type } from '@sinclair/typebox';
import { type SplitName, splitRatings } from './splits.js';
import type { Interaction, RatingsSplit } from './types.js';

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
