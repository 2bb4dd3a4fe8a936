import { describe, expect, it } from 'vitest';
import { implicitMatrix, userItems } from '../../../plugins/recommenders/shared/implicit-matrix.ts';
import { compareItemIds, firstK, popularityOrder, selectTop } from '../../../plugins/recommenders/shared/ranking.ts';
import { invertSpd } from '../../../plugins/recommenders/shared/spd-inverse.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';
import { trainOf } from '../../support/recommenders.ts';

const flat = (m: number[][]) => Float64Array.from(m.flat());

/** XᵀX + ridge·I of a random 0/1 matrix with n + 5 rows, `density` ones. */
function gram(rng: Rng, n: number, density: number, ridge: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let r = 0; r < n + 5; r++) {
    const ones = Array.from({ length: n }, (_, j) => j).filter(() => rng.next() < density);
    for (const i of ones) for (const j of ones) a[i * n + j] = (a[i * n + j] as number) + 1;
  }
  for (let i = 0; i < n; i++) a[i * n + i] = (a[i * n + i] as number) + ridge;
  return a;
}

/** The textbook route, independent of the blocked code: A = LLᵀ, then A⁻¹ column by column by two triangular solves. */
function plainInverse(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = i === j ? Math.sqrt(s) : s / (l[j * n + j] as number);
    }
  }
  const inv = new Float64Array(n * n);
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number);
      y[i] = s / (l[i * n + i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i] as number;
      for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (inv[k * n + c] as number);
      inv[i * n + c] = s / (l[i * n + i] as number);
    }
  }
  return inv;
}

describe('invertSpd', () => {
  it('matches numpy.linalg.inv on the fixture matrix', () => {
    const { a, inverse } = rankingFixtures.spd;
    const got = invertSpd(flat(a), a.length);
    flat(inverse).forEach((v, t) => expect(got[t]).toBeCloseTo(v, 10));
  });

  it('A·A⁻¹ = I on a random 150×150 Gram matrix (odd sizes exercise the unrolled tails)', () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 5, 150]) {
      const x = Array.from({ length: n + 3 }, () => Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0)));
      const a = new Float64Array(n * n);
      for (const row of x)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) a[i * n + j] = (a[i * n + j] as number) + (row[i] as number) * (row[j] as number);
      for (let i = 0; i < n; i++) a[i * n + i] = (a[i * n + i] as number) + 2;
      const inv = invertSpd(a.slice(), n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (inv[k * n + j] as number);
          worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        }
      }
      expect(worst, `n = ${n}`).toBeLessThan(1e-10);
    }
  });

  it('agrees with a plain unblocked Cholesky inverse across block edges, padding and both thread counts', () => {
    const rng = new Rng(5);
    for (const n of [63, 64, 65, 130, 257, 520]) {
      const a = gram(rng, n, 0.1, 3);
      const ref = plainInverse(a, n);
      const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (const threads of n === 520 ? [1, 2] : [1]) {
        const got = invertSpd(a, n, threads);
        let worst = 0;
        for (let t = 0; t < n * n; t++) worst = Math.max(worst, Math.abs((got[t] as number) - (ref[t] as number)));
        expect(worst / scale, `n = ${n}, ${threads} thread(s)`).toBeLessThan(1e-12);
      }
    }
  });

  it('reads only the lower triangle and leaves its input as it was', () => {
    const rng = new Rng(9);
    const n = 70;
    const a = gram(rng, n, 0.2, 1);
    const before = a.slice();
    const lowerOnly = a.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lowerOnly[i * n + j] = Number.NaN;
    expect(invertSpd(lowerOnly, n)).toEqual(invertSpd(a, n));
    expect(a).toEqual(before);
  });

  it('names the failing pivot when it lies in a later block', () => {
    const n = 100;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = 1;
    a[80 * n + 80] = -1;
    expect(() => invertSpd(a, n)).toThrow(/not positive definite \(pivot 80 is -1\)/);
  });

  it('refuses a matrix that is not positive definite, and a wrong size', () => {
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
    expect(() => invertSpd(new Float64Array(3), 2)).toThrow(/expected 2×2/);
  });
});

describe('selectTop', () => {
  const score = Float64Array.from([0.5, 2, 2, -1, 0.5, 3]);
  const idOrder = Int32Array.from([5, 4, 3, 2, 1, 0]); // ids sort in reverse index order

  it('returns the k best, best first, ties by id order', () => {
    expect(selectTop(score, idOrder, 3, null)).toEqual([5, 2, 1]);
    expect(selectTop(score, idOrder, 6, null)).toEqual([5, 2, 1, 4, 0, 3]);
    expect(selectTop(score, idOrder, 10, null)).toHaveLength(6);
    expect(selectTop(score, idOrder, 0, null)).toEqual([]);
  });

  it('agrees with a full sort on random scores with many ties', () => {
    const rng = new Rng(3);
    const n = 500;
    const s = Float64Array.from({ length: n }, () => rng.int(20));
    const order = Int32Array.from(rng.shuffle(Array.from({ length: n }, (_, j) => j)));
    const sorted = Array.from({ length: n }, (_, j) => j).sort(
      (a, b) => (s[b] as number) - (s[a] as number) || (order[a] as number) - (order[b] as number),
    );
    for (const k of [1, 7, 64, 499, 500]) expect(selectTop(s, order, k, null)).toEqual(sorted.slice(0, k));
    const even = (j: number) => j % 2 === 0;
    expect(selectTop(s, order, 30, null, even)).toEqual(sorted.filter(even).slice(0, 30));
    expect(selectTop(s, order, 5, [3, 1, 4, 1 + 4])).toEqual(
      sorted.filter((j) => [1, 3, 4, 5].includes(j)).slice(0, 5),
    );
  });
});

describe('implicitMatrix', () => {
  it('binarises interactions (repeats count once), keeps catalogue order and filters by minRating', () => {
    const train = trainOf(
      [
        ['u', 3],
        ['u', 1],
        ['u', 3],
        ['v', 2],
        ['v', 99],
      ],
      4,
      4,
    );
    const m = implicitMatrix(train, null);
    expect(m.itemIds).toEqual(['1', '2', '3', '4']);
    expect([...userItems(m, 'u')]).toEqual([0, 2]);
    expect([...userItems(m, 'v')]).toEqual([1]); // item 99 is not in the catalogue
    expect([...userItems(m, 'nobody')]).toEqual([]);
    expect([...m.colStart]).toEqual([0, 1, 2, 3, 3]);
    const rated = { ...train, interactions: train.interactions.map((x, t) => ({ ...x, rating: t === 0 ? 2 : 5 })) };
    expect([...userItems(implicitMatrix(rated, 3), 'u')]).toEqual([0, 2]); // the second (u, 3) is rated 5
    expect([...userItems(implicitMatrix(rated, 6), 'u')]).toEqual([]);
  });

  it('orders ties by item id as strings, like pop', () => {
    const m = implicitMatrix(trainOf([], 12), null);
    // ids "1" … "12": "1" < "10" < "11" < "12" < "2" …
    expect([...m.idOrder].slice(0, 3)).toEqual([0, 4, 5]);
    expect(compareItemIds('10', '9')).toBeLessThan(0);
  });
});

describe('popularityOrder and firstK', () => {
  it('ranks by interaction count, ties by id, and skips excluded ids', () => {
    const train = trainOf(
      [
        ['u', 2],
        ['v', 2],
        ['u', 3],
        ['w', 3],
        ['w', 1],
      ],
      4,
    );
    expect(popularityOrder(train)).toEqual(['2', '3', '1', '4']);
    expect(firstK(popularityOrder(train), 2, new Set(['2']))).toEqual(['3', '1']);
    expect(firstK(popularityOrder(train), 9, new Set())).toHaveLength(4);
  });
});
