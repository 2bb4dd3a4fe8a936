import { describe, expect, it } from 'vitest';
import { ndcgAtK } from '../../../harness/metrics/index.ts';
import { rankingFixtures } from '../../support/ranking-fixtures.ts';

describe('ndcgAtK (binary relevance)', () => {
  it('gives the textbook values on hand-checked rankings', () => {
    // one relevant item at rank r: DCG = 1/log2(r + 1), IDCG = 1
    expect(ndcgAtK(['a', 'b', 'c'], ['a'], 3)).toBe(1);
    expect(ndcgAtK(['a', 'b', 'c'], ['b'], 3)).toBeCloseTo(1 / Math.log2(3), 15); // 0.6309…
    expect(ndcgAtK(['a', 'b', 'c', 'd'], ['d'], 4)).toBeCloseTo(1 / Math.log2(5), 15); // 0.4306…
    // relevant {a, c} at ranks 1 and 3: (1 + 1/log2 4) / (1 + 1/log2 3) = 1.5 / 1.6309… = 0.9197…
    expect(ndcgAtK(['a', 'b', 'c'], new Set(['a', 'c']), 3)).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 15);
  });

  it('normalises over min(k, |relevant|): five relevant items, k = 2, both top places relevant gives 1', () => {
    expect(ndcgAtK(['a', 'b', 'x'], ['a', 'b', 'c', 'd', 'e'], 2)).toBe(1);
    // the third place does not count at k = 2
    expect(ndcgAtK(['x', 'y', 'a'], ['a', 'b'], 2)).toBe(0);
  });

  it('counts the missing places of a ranking shorter than k as misses', () => {
    // relevant {a, z}: ideal DCG@5 = 1 + 1/log2 3; the ranking finds only a
    expect(ndcgAtK(['a'], ['a', 'z'], 5)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 15);
    expect(ndcgAtK([], ['a'], 5)).toBe(0);
  });

  it('matches the numpy re-implementation of scikit-learn ndcg_score on 0/1 relevance', () => {
    for (const f of rankingFixtures.ranking) expect(ndcgAtK(f.ranked, f.relevant, f.k)).toBeCloseTo(f.ndcg, 12);
  });

  it('throws RangeError on no relevant item, a bad k or a duplicated item, never NaN', () => {
    expect(() => ndcgAtK(['a'], [], 1)).toThrow(/ndcgAtK: no relevant items/);
    expect(() => ndcgAtK(['a'], ['a'], 0)).toThrow(/positive integer/);
    expect(() => ndcgAtK(['a'], ['a'], 1.5)).toThrow(RangeError);
    expect(() => ndcgAtK(['a', 'b', 'a'], ['a'], 2)).toThrow(/lists a twice/);
  });
});
