import type { Rng } from '../../../harness/plugin-api.js';

/**
 * Walker's alias table (Vose's construction): draws index k with probability
 * weights[k] / Σ weights in O(1), after O(m) set-up.
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    const m = weights.length;
    if (m === 0) throw new RangeError('AliasTable: no weights');
    let total = 0;
    for (let k = 0; k < m; k++) total += weights[k] as number;
    if (!(total > 0) || !Number.isFinite(total)) throw new RangeError(`AliasTable: weights sum to ${total}`);
    this.total = total;
    this.prob = new Float64Array(m);
    this.alias = new Int32Array(m);
    const scaled = Float64Array.from({ length: m }, (_, k) => ((weights[k] as number) * m) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, k) => (p < 1 ? small : large).push(k));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large[large.length - 1] as number;
      this.prob[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      if ((scaled[l] as number) < 1) small.push(large.pop() as number);
    }
    // what is left is 1 up to rounding
    for (const k of large) this.prob[k] = 1;
    for (const k of small) this.prob[k] = 1;
  }

  draw(rng: Rng): number {
    const k = rng.int(this.prob.length);
    return rng.next() < (this.prob[k] as number) ? k : (this.alias[k] as number);
  }
}

/** Index k with probability cum[k] − cum[k − 1] over cum[last], by bisection of the cumulative sums. */
export function drawCumulative(cum: Float64Array, count: number, rng: Rng): number {
  const x = rng.next() * (cum[count - 1] as number);
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Consecutive repeats after which a draw scans the unchosen items instead. */
const MAX_REJECTIONS = 32;

/**
 * Draws without replacement from weights of the form base_i·exp(m(S_i)), where
 * S_i is item i's genre set and m(S) the user's mean taste over S: the user
 * enters only through the set. Items are grouped by set, with an alias table
 * per set over base_i. A draw picks a set ∝ (Σ_{i∈S} base_i)·exp(m(S)), then an
 * item in it: O(log sets) per draw after O(sets) per user, never a scan of the
 * catalogue. Repeats are redrawn, which keeps each draw ∝ weight over the items
 * not yet chosen — the successive sampling without replacement that
 * Efraimidis–Spirakis keys also give.
 */
export class GenreSetSampler {
  /** Genre indices of each set, and the set of each item. */
  readonly sets: ReadonlyArray<readonly number[]>;
  readonly itemSet: Int32Array;
  /** The last user's mean taste over each set. */
  readonly setMean: Float64Array;
  private readonly members: number[][] = [];
  private readonly tables: AliasTable[];
  private readonly cum: Float64Array;
  private readonly chosenBy: Int32Array;
  private user = 0;

  constructor(
    itemGenres: ReadonlyArray<readonly number[]>,
    private readonly base: ArrayLike<number>,
  ) {
    const index = new Map<string, number>();
    const sets: Array<readonly number[]> = [];
    this.itemSet = new Int32Array(itemGenres.length);
    itemGenres.forEach((gs, i) => {
      const key = gs.join(',');
      let k = index.get(key);
      if (k === undefined) {
        k = sets.length;
        index.set(key, k);
        sets.push(gs);
        this.members.push([]);
      }
      (this.members[k] as number[]).push(i);
      this.itemSet[i] = k;
    });
    this.sets = sets;
    this.tables = this.members.map((m) => new AliasTable(m.map((i) => base[i] as number)));
    this.setMean = new Float64Array(sets.length);
    this.cum = new Float64Array(sets.length);
    this.chosenBy = new Int32Array(itemGenres.length).fill(-1);
  }

  /** n distinct items (n ≤ items) for a user of taste `taste` (one value per genre), in draw order. */
  draw(rng: Rng, taste: readonly number[], n: number): number[] {
    const u = this.user++;
    let acc = 0;
    this.sets.forEach((gs, k) => {
      const mean = gs.reduce((sum, g) => sum + (taste[g] as number), 0) / gs.length;
      this.setMean[k] = mean;
      this.cum[k] = acc += (this.tables[k] as AliasTable).total * Math.exp(mean);
    });
    const picked: number[] = [];
    let rejections = 0;
    while (picked.length < n && rejections < MAX_REJECTIONS) {
      const k = drawCumulative(this.cum, this.sets.length, rng);
      const i = (this.members[k] as number[])[(this.tables[k] as AliasTable).draw(rng)] as number;
      if (this.chosenBy[i] === u) {
        rejections++;
        continue;
      }
      rejections = 0;
      this.chosenBy[i] = u;
      picked.push(i);
    }
    if (picked.length < n) {
      // The chosen items hold most of the user's weight (n near the catalogue size): finish with
      // Efraimidis–Spirakis keys over the items left, an exact draw, O(items log items) for this user only.
      const rest: Array<{ i: number; key: number }> = [];
      for (let i = 0; i < this.itemSet.length; i++) {
        if (this.chosenBy[i] === u) continue;
        const w = (this.base[i] as number) * Math.exp(this.setMean[this.itemSet[i] as number] as number);
        rest.push({ i, key: Math.log(rng.next() + 1e-12) / w });
      }
      rest.sort((a, b) => b.key - a.key);
      for (const { i } of rest.slice(0, n - picked.length)) picked.push(i);
    }
    return picked;
  }
}
