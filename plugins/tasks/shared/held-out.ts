import { compareIds, type Interaction, type RatingsDataset, type RatingsSplit } from '../../../harness/plugin-api.js';
import { type IdSet, SortedIds } from './sorted-ids.js';

// Several tasks read the same split in one plan: each view is built once per split.
const heldOut = new WeakMap<RatingsSplit, ReadonlyMap<string, readonly Interaction[]>>();
const interacted = new WeakMap<RatingsSplit, ReadonlyMap<string, IdSet>>();

/** Held-out (valid ∪ test) interactions per user, one per item (the later one wins), users in id order. */
export function heldOutByUser(dataset: RatingsDataset): ReadonlyMap<string, readonly Interaction[]> {
  const split = dataset.split;
  const known = heldOut.get(split);
  if (known) return known;
  const byUser = new Map<string, Map<string, Interaction>>();
  for (const part of [split.valid, split.test])
    for (const x of part) {
      let m = byUser.get(x.user);
      if (!m) byUser.set(x.user, (m = new Map()));
      m.set(x.item, x);
    }
  const out = new Map<string, Interaction[]>();
  for (const u of [...byUser.keys()].sort(compareIds)) {
    const m = byUser.get(u) as Map<string, Interaction>;
    out.set(
      u,
      [...m.values()].sort((a, b) => compareIds(a.item, b.item)),
    );
  }
  heldOut.set(split, out);
  return out;
}

/** Every item a user interacted with in any split, including interactions the split left out. */
export function interactedByUser(dataset: RatingsDataset): ReadonlyMap<string, IdSet> {
  const split = dataset.split;
  const known = interacted.get(split);
  if (known) return known;
  const lists = new Map<string, string[]>();
  for (const part of [split.train, split.valid, split.test, split.excluded ?? []]) {
    for (const x of part) {
      let s = lists.get(x.user);
      if (!s) lists.set(x.user, (s = []));
      s.push(x.item);
    }
  }
  const m = new Map<string, IdSet>();
  for (const [user, items] of lists) m.set(user, new SortedIds(items));
  interacted.set(split, m);
  return m;
}
