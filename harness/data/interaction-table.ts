import { IdInterner } from './id-interner.js';
import type { Interaction } from './types.js';
import { grown } from '../util/grown.js';

/**
 * Interactions held as columns of numbers with interned ids, for loaders of
 * dumps with tens of millions of rows (Amazon, Steam): an Interaction object
 * per row would need several GB before filtering. Rows become objects only
 * once k-core filtering and user selection have cut them down.
 */
export class InteractionTable {
  private readonly users = new IdInterner();
  private readonly items = new IdInterner();
  private u = new Int32Array(1024);
  private i = new Int32Array(1024);
  /** NaN stands for "no rating" (implicit feedback). */
  private r = new Float32Array(1024);
  private t = new Float64Array(1024);
  private n = 0;

  /** User ids by index. */
  get userIds(): readonly string[] {
    return this.users.keys;
  }

  /** Item ids by index. */
  get itemIds(): readonly string[] {
    return this.items.keys;
  }

  get length(): number {
    return this.n;
  }

  add(user: string, item: string, rating: number | null, timestamp: number): void {
    this.push(this.users.intern(user), this.items.intern(item), rating, timestamp);
  }

  /**
   * add() with the ids given as UTF-8 bytes of a line (`buf[start, end)`): a
   * dump reader then makes strings only for ids it has not seen before.
   */
  addBytes(
    buf: Uint8Array,
    userStart: number,
    userEnd: number,
    itemStart: number,
    itemEnd: number,
    rating: number | null,
    timestamp: number,
  ): void {
    this.push(
      this.users.internBytes(buf, userStart, userEnd),
      this.items.internBytes(buf, itemStart, itemEnd),
      rating,
      timestamp,
    );
  }

  private push(ui: number, ii: number, rating: number | null, timestamp: number): void {
    if (this.n === this.u.length) this.grow();
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
      out.push({
        user: this.userIds[ui] as string,
        item: this.itemIds[this.i[row] as number] as string,
        rating: this.ratingOf(row),
        timestamp: this.t[row] as number,
      });
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
    this.u = grown(this.u, size);
    this.i = grown(this.i, size);
    this.r = grown(this.r, size);
    this.t = grown(this.t, size);
  }
}
