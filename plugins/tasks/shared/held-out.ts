import { compareIds, type Interaction, type RatingsDataset } from '../../../harness/plugin-api.js';

/** Held-out (valid ∪ test) interactions per user, one per item (the later one wins), users in id order. */
export function heldOutByUser(dataset: RatingsDataset): Map<string, Interaction[]> {
  const byUser = new Map<string, Map<string, Interaction>>();
  for (const x of [...dataset.split.valid, ...dataset.split.test]) {
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
  return out;
}

/** Every item a user interacted with in any split, including interactions the split left out. */
export function interactedByUser(dataset: RatingsDataset): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const part of [dataset.split.train, dataset.split.valid, dataset.split.test, dataset.split.excluded ?? []]) {
    for (const x of part) {
      let s = m.get(x.user);
      if (!s) m.set(x.user, (s = new Set()));
      s.add(x.item);
    }
  }
  return m;
}
