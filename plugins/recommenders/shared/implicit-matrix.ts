import { thresholdIssues, Type, type Dataset, type OptionIssue, type TrainData } from '../../../harness/plugin-api.js';
import { compareItemIds } from './ranking.js';

/**
 * The training split as a binary user × item matrix (implicit feedback: any
 * counted interaction is a 1, repeats count once), in compressed rows and
 * columns. The common input of itemknn, ease and bpr-mf.
 */
export interface ImplicitMatrix {
  /** Catalogue item ids in `TrainData.items` order; an item's index is its column. */
  readonly itemIds: readonly string[];
  readonly itemIndex: ReadonlyMap<string, number>;
  /** Rank of each item in id order (the tie-breaker of every ranking). */
  readonly idOrder: Int32Array;
  /** Users with at least one counted interaction, in order of first appearance. */
  readonly userIds: readonly string[];
  readonly userIndex: ReadonlyMap<string, number>;
  /** Row u is `cols[rowStart[u] .. rowStart[u + 1])`: the user's items, ascending, distinct. */
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
  /** Column j is `rows[colStart[j] .. colStart[j + 1])`: the item's users, ascending. */
  readonly colStart: Int32Array;
  readonly rows: Int32Array;
}

/**
 * `minRating`: when a number, only interactions rated at least that count;
 * interactions without a rating (implicit datasets) always count. Interactions
 * with an item outside the catalogue are ignored.
 */
export function implicitMatrix(train: TrainData, minRating: number | null): ImplicitMatrix {
  const itemIds = train.items.map((i) => i.id);
  const itemIndex = new Map<string, number>();
  itemIds.forEach((id, j) => {
    if (itemIndex.has(id)) throw new Error(`item id "${id}" occurs twice in the catalogue`);
    itemIndex.set(id, j);
  });
  const idOrder = new Int32Array(itemIds.length);
  itemIds
    .map((id, j) => ({ id, j }))
    .sort((a, b) => compareItemIds(a.id, b.id))
    .forEach((x, rank) => (idOrder[x.j] = rank));

  const userIndex = new Map<string, number>();
  const userIds: string[] = [];
  const perUser: Array<Set<number>> = [];
  for (const x of train.interactions) {
    if (minRating !== null && x.rating !== null && x.rating < minRating) continue;
    const j = itemIndex.get(x.item);
    if (j === undefined) continue;
    let u = userIndex.get(x.user);
    if (u === undefined) {
      u = userIds.length;
      userIndex.set(x.user, u);
      userIds.push(x.user);
      perUser.push(new Set());
    }
    (perUser[u] as Set<number>).add(j);
  }

  const rowStart = new Int32Array(userIds.length + 1);
  perUser.forEach((s, u) => (rowStart[u + 1] = (rowStart[u] as number) + s.size));
  const nnz = rowStart[userIds.length] as number;
  const cols = new Int32Array(nnz);
  const colCount = new Int32Array(itemIds.length);
  perUser.forEach((s, u) => {
    const sorted = Int32Array.from(s).sort();
    cols.set(sorted, rowStart[u] as number);
    for (const j of sorted) colCount[j] = (colCount[j] as number) + 1;
  });

  const colStart = new Int32Array(itemIds.length + 1);
  for (let j = 0; j < itemIds.length; j++) colStart[j + 1] = (colStart[j] as number) + (colCount[j] as number);
  const rows = new Int32Array(nnz);
  const fill = colStart.slice(0, itemIds.length);
  for (let u = 0; u < userIds.length; u++) {
    for (let p = rowStart[u] as number; p < (rowStart[u + 1] as number); p++) {
      const j = cols[p] as number;
      rows[fill[j] as number] = u;
      fill[j] = (fill[j] as number) + 1;
    }
  }
  return { itemIds, itemIndex, idOrder, userIds, userIndex, rowStart, cols, colStart, rows };
}

/** The user's items (column indices), or an empty array for a user without counted interactions. */
export function userItems(m: ImplicitMatrix, userId: string): Int32Array {
  const u = m.userIndex.get(userId);
  return u === undefined ? new Int32Array(0) : m.cols.subarray(m.rowStart[u], m.rowStart[u + 1]);
}

/** Number of users of each item. */
export function itemCounts(m: ImplicitMatrix): Int32Array {
  const c = new Int32Array(m.itemIds.length);
  for (let j = 0; j < c.length; j++) c[j] = (m.colStart[j + 1] as number) - (m.colStart[j] as number);
  return c;
}

/** minRating must lie on the dataset's scale, or no training interaction (or every one) counts. */
export function minRatingIssues(minRating: number | null, dataset: Dataset): OptionIssue[] {
  return dataset.kind === 'ratings'
    ? thresholdIssues('minRating', minRating, dataset.scale, dataset.name, 'as a positive for training')
    : [];
}

/** Option shared by the recommenders: which training interactions count as a positive. */
export const minRatingOption = () =>
  Type.Union([Type.Number(), Type.Null()], {
    default: null,
    description:
      'Count only training interactions rated at least this (interactions without a rating always count); null counts every interaction (implicit feedback).',
  });
