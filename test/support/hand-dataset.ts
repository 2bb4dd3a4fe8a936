import type { Dataset, Interaction, Item, RatingsDataset, RatingScale, UserView } from '../../harness/data/types.ts';
import type { UnitContext } from '../../harness/plugin-api.ts';
import { Rng } from '../../harness/util/rng.ts';

export const item = (id: string): Item => ({ id, title: `Item ${id}`, genres: [] });

/** A ratings dataset from explicit train/valid/test rows; items 1…nItems. */
export function handDataset(
  split: {
    readonly train: readonly Interaction[];
    readonly valid: readonly Interaction[];
    readonly test: readonly Interaction[];
  },
  opts: { nItems?: number; scale?: RatingScale | null } = {},
): RatingsDataset {
  const all = [...split.train, ...split.valid, ...split.test];
  const users = [...new Set(all.map((x) => x.user))];
  return {
    kind: 'ratings',
    name: 'hand',
    users: users.map((id) => ({ id, attributes: {} })),
    items: Array.from({ length: opts.nItems ?? 100 }, (_, k) => item(String(k + 1))),
    scale: opts.scale === undefined ? { min: 1, max: 5, step: 1 } : opts.scale,
    split: { name: 'hand', ...split },
    checksums: {},
    choices: [],
  };
}

export const rows = (user: string, items: number[], rating: number | null = 4, t0 = 0): Interaction[] =>
  items.map((i, k) => ({ user, item: String(i), rating, timestamp: t0 + k }));

export const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);

export const userView = (id: string, scale: RatingScale | null = { min: 1, max: 5, step: 1 }): UserView => ({
  id,
  attributes: {},
  history: [],
  scale,
});

export const unitContext = (): UnitContext => ({ rng: new Rng(1), llm: null, signal: new AbortController().signal });

/** Narrows a loaded dataset to a ratings dataset, failing loudly otherwise. */
export function asRatings(d: Dataset): RatingsDataset {
  if (d.kind !== 'ratings') throw new Error(`expected a ratings dataset, got ${d.kind}`);
  return d;
}
