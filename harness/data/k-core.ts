import type { InteractionTable } from './interaction-table.js';

export interface KCoreResult {
  /** 1 for rows kept. */
  readonly keep: Uint8Array;
  readonly rows: number;
  readonly users: number;
  readonly items: number;
  /** Passes until nothing changed. */
  readonly passes: number;
}

/**
 * k-core filtering as McAuley's "5-core" files define it: drop users and items
 * with fewer than k interactions, and repeat, because each removal can push
 * others below k, until every remaining user and item has at least k.
 * Duplicate (user, item) rows each count, as they do in the review dumps.
 */
export function kCore(table: InteractionTable, k: number, start?: Uint8Array): KCoreResult {
  const keep = start ? start.slice() : table.all();
  const nUsers = table.userIds.length;
  const nItems = table.itemIds.length;
  let passes = 0;
  for (;;) {
    passes++;
    const uc = new Int32Array(nUsers);
    const ic = new Int32Array(nItems);
    for (let row = 0; row < table.length; row++) {
      if (keep[row] !== 1) continue;
      const u = table.userOf(row);
      const i = table.itemOf(row);
      uc[u] = (uc[u] as number) + 1;
      ic[i] = (ic[i] as number) + 1;
    }
    let removed = 0;
    for (let row = 0; row < table.length; row++) {
      if (keep[row] !== 1) continue;
      if ((uc[table.userOf(row)] as number) < k || (ic[table.itemOf(row)] as number) < k) {
        keep[row] = 0;
        removed++;
      }
    }
    if (removed === 0 || k <= 0) {
      let rows = 0;
      let users = 0;
      let items = 0;
      for (let row = 0; row < table.length; row++) rows += keep[row] as number;
      for (let x = 0; x < nUsers; x++) if ((uc[x] as number) > 0) users++;
      for (let x = 0; x < nItems; x++) if ((ic[x] as number) > 0) items++;
      return { keep, rows, users, items, passes };
    }
  }
}
