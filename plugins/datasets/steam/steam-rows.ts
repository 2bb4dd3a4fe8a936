import { InteractionTable } from '../../../harness/plugin-api.js';

/**
 * Steam interactions before they have a rating: who, which game, when, hours
 * played (NaN: unknown) and the recommendation (-1 unknown, 0 no, 1 yes), as
 * columns beside an InteractionTable so that millions of rows stay compact.
 */
export class SteamRows {
  readonly table = new InteractionTable();
  private hours = new Float64Array(1024);
  private rec = new Int8Array(1024);

  add(user: string, item: string, timestamp: number, hours: number | null, recommend: boolean | null): void {
    const row = this.table.length;
    if (row === this.hours.length) {
      const h = new Float64Array(row * 2);
      h.set(this.hours);
      this.hours = h;
      const r = new Int8Array(row * 2);
      r.set(this.rec);
      this.rec = r;
    }
    this.table.add(user, item, null, timestamp);
    this.hours[row] = hours === null ? NaN : hours;
    this.rec[row] = recommend === null ? -1 : recommend ? 1 : 0;
  }

  get length(): number {
    return this.table.length;
  }

  hoursOf(row: number): number | null {
    const h = this.hours[row] as number;
    return Number.isNaN(h) ? null : h;
  }

  recommendOf(row: number): boolean | null {
    const r = this.rec[row] as number;
    return r < 0 ? null : r === 1;
  }
}
