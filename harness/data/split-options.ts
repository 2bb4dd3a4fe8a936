import { Type } from '@sinclair/typebox';

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
