import type { RatingsDataset, Rng } from '../../../harness/plugin-api.js';
import type { IdSet } from '../shared/sorted-ids.js';

export type NegativesFrom = 'train-items' | 'all-items';

/** The items distractors come from, in the dataset's item order. */
export function negativeUniverse(dataset: RatingsDataset, from: NegativesFrom): string[] {
  if (from === 'all-items') return dataset.items.map((i) => i.id);
  const inTrain = new Set<string>();
  for (const x of dataset.split.train) inTrain.add(x.item);
  return dataset.items.filter((i) => inTrain.has(i.id)).map((i) => i.id);
}

/**
 * The items distractors are drawn from, and draws of k distinct ones a user
 * never interacted with. Drawn by rejection against the user's interacted set
 * (O(k) per unit where listing the candidates is O(items)); when fewer than 2k
 * candidates are left the candidates are listed instead, once per user.
 */
export class NegativePool {
  private readonly index: ReadonlySet<string>;

  constructor(readonly items: readonly string[]) {
    this.index = new Set(items);
  }

  /** How many pool items the user has not interacted with (interactions outside the pool do not count). */
  available(interacted: IdSet): number {
    let inPool = 0;
    for (const i of interacted) if (this.index.has(i)) inPool++;
    return this.items.length - inPool;
  }

  /**
   * k distinct pool items outside `interacted`, in draw order. `free` is the
   * user's candidate list when already made (and filled here when needed), so
   * that a dense user's candidates are listed once for all their ratios.
   */
  draw(k: number, interacted: IdSet, available: number, rng: Rng, free: { list?: string[] }): string[] {
    if (k > available) throw new RangeError(`NegativePool.draw: ${k} wanted, ${available} available`);
    if (2 * k <= available) {
      const chosen = new Set<string>();
      while (chosen.size < k) {
        const item = this.items[rng.int(this.items.length)] as string;
        if (!interacted.has(item)) chosen.add(item);
      }
      return [...chosen];
    }
    free.list ??= this.items.filter((i) => !interacted.has(i));
    return rng.sample(free.list, k);
  }
}
