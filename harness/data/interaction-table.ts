import type { Interaction } from './types.js';

/**
 * Interactions held as columns of numbers with interned ids, for loaders of
 * dumps with tens of millions of rows (Amazon, Steam): an Interaction object
 * per row would need several GB before filtering. Rows become objects only
 * once k-core filtering and user selection have cut them down.
 */
export class InteractionTable {
  readonly userIds: string[] = [];
  readonly itemIds: string[] = [];
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();
  private u = new Int32Array(1024);
  private i = new Int32Array(1024);
  /** NaN stands for "no rating" (implicit feedback). */
  private r = new Float32Array(1024);
  private t = new Float64Array(1024);
  private n = 0;
  private lastUser = '';
  private lastUi = -1;
  private lastItem = '';
  private lastIi = -1;

  get length(): number {
    return this.n;
  }

  add(user: string, item: string, rating: number | null, timestamp: number): void {
    if (this.n === this.u.length) this.grow();
    // Dumps come grouped by user or by item: the previous row's ids often repeat.
    let ui = user === this.lastUser ? this.lastUi : this.userIndex.get(user);
    if (ui === undefined) {
      ui = this.userIds.length;
      const own = ownString(user);
      this.userIds.push(own);
      this.userIndex.set(own, ui);
    }
    this.lastUser = user;
    this.lastUi = ui;
    let ii = item === this.lastItem ? this.lastIi : this.itemIndex.get(item);
    if (ii === undefined) {
      ii = this.itemIds.length;
      const own = ownString(item);
      this.itemIds.push(own);
      this.itemIndex.set(own, ii);
    }
    this.lastItem = item;
    this.lastIi = ii;
    this.u[this.n] = ui;
    this.i[this.n] = ii;
    this.r[this.n] = rating === null ? NaN : rating;
    this.t[this.n] = timestamp;
    this.n++;
  }

  userOf(row: number): number {
    return this.u[row] as number;
  }

  itemOf(row: number): number {
    return this.i[row] as number;
  }

  ratingOf(row: number): number | null {
    const v = this.r[row] as number;
    return Number.isNaN(v) ? null : v;
  }

  setRating(row: number, rating: number | null): void {
    this.r[row] = rating === null ? NaN : rating;
  }

  timestampOf(row: number): number {
    return this.t[row] as number;
  }

  hasItem(item: string): boolean {
    return this.itemIndex.has(item);
  }

  /** A mask keeping every row. */
  all(): Uint8Array {
    return new Uint8Array(this.n).fill(1);
  }

  /**
   * The kept rows as Interaction objects, optionally only for users that pass
   * `userFilter` (given the user's index).
   */
  toInteractions(keep: Uint8Array, userFilter?: (user: number) => boolean): Interaction[] {
    const out: Interaction[] = [];
    for (let row = 0; row < this.n; row++) {
      if (keep[row] !== 1) continue;
      const ui = this.u[row] as number;
      if (userFilter && !userFilter(ui)) continue;
      out.push({ user: this.userIds[ui] as string, item: this.itemIds[this.i[row] as number] as string, rating: this.ratingOf(row), timestamp: this.t[row] as number });
    }
    return out;
  }

  /** Per user index, how many kept rows have a rating above `above` (implicit rows count as liked). */
  likedCounts(keep: Uint8Array, above: number): Int32Array {
    const counts = new Int32Array(this.userIds.length);
    for (let row = 0; row < this.n; row++) {
      if (keep[row] !== 1) continue;
      const v = this.r[row] as number;
      if (Number.isNaN(v) || v > above) {
        const ui = this.u[row] as number;
        counts[ui] = (counts[ui] as number) + 1;
      }
    }
    return counts;
  }

  private grow(): void {
    const size = this.u.length * 2;
    const u = new Int32Array(size);
    u.set(this.u);
    const i = new Int32Array(size);
    i.set(this.i);
    const r = new Float32Array(size);
    r.set(this.r);
    const t = new Float64Array(size);
    t.set(this.t);
    this.u = u;
    this.i = i;
    this.r = r;
    this.t = t;
  }
}

/**
 * A copy of `s` that does not share memory with the string it was cut from:
 * an id sliced out of a 1 MB chunk of a dump would otherwise keep the whole
 * chunk alive for as long as the table.
 */
function ownString(s: string): string {
  return (' ' + s).slice(1);
}
