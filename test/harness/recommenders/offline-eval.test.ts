import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../../harness/plugin-api.ts';
import { offlineEval, type UserItem } from '../../../harness/recommenders/offline-eval.ts';

const pairs = (user: string, items: string[]): UserItem[] => items.map((item) => ({ user, item }));

/** A recommender with a fixed ranking per user that records what it was asked. */
function scripted(rankings: Record<string, string[]>) {
  const calls: Array<{ user: string; k: number; exclude: string[] }> = [];
  const recommendation: Recommendation = {
    recommend(user, k, exclude) {
      calls.push({ user, k, exclude: [...exclude].sort() });
      return (rankings[user] ?? []).filter((i) => !exclude.has(i)).slice(0, k);
    },
  };
  return { recommendation, calls };
}

describe('offlineEval', () => {
  it('scores each held-out user with NDCG@k and Recall@k, excluding their training items, and averages', () => {
    const { recommendation, calls } = scripted({
      '2': ['a', 'b', 'c', 'd'], // held out {b, z}: hit at rank 2
      '10': ['x', 'y', 'q'], //      held out {q}: hit at rank 3, outside k = 2
      '1': ['t', 'h'], //           held out {t, h}: both hits
    });
    const r = offlineEval({
      recommendation,
      train: [...pairs('2', ['e']), ...pairs('10', ['a']), ...pairs('1', ['s']), ...pairs('9', ['a'])],
      heldOut: [...pairs('2', ['b', 'z']), ...pairs('10', ['q']), ...pairs('1', ['t', 'h'])],
      k: 2,
    });
    // users in numeric id order; user 9 has no held-out item and is not evaluated
    expect(r.users.map((u) => u.user)).toEqual(['1', '2', '10']);
    expect(calls).toEqual([
      { user: '1', k: 2, exclude: ['s'] },
      { user: '2', k: 2, exclude: ['e'] },
      { user: '10', k: 2, exclude: ['a'] },
    ]);
    const idcg2 = 1 + 1 / Math.log2(3);
    const [u1, u2, u10] = r.users;
    expect(u1).toEqual({ user: '1', ndcg: 1, recall: 1, relevant: 2 });
    expect(u2?.ndcg).toBeCloseTo(1 / Math.log2(3) / idcg2, 15);
    expect(u2?.recall).toBe(0.5);
    expect(u10).toEqual({ user: '10', ndcg: 0, recall: 0, relevant: 1 });
    expect(r.meanNdcg).toBeCloseTo((1 + 1 / Math.log2(3) / idcg2 + 0) / 3, 15);
    expect(r.meanRecall).toBeCloseTo(1.5 / 3, 15);
    expect(r.k).toBe(2);
    expect(r.skippedUsers).toBe(0);
  });

  it('does not count a held-out item the user also has in train, and skips users left with none', () => {
    const { recommendation } = scripted({ u: ['b', 'c'], v: ['a'] });
    const r = offlineEval({
      recommendation,
      train: [...pairs('u', ['a']), ...pairs('v', ['a'])],
      heldOut: [...pairs('u', ['a', 'b']), ...pairs('v', ['a'])],
      k: 1,
    });
    expect(r.users).toEqual([{ user: 'u', ndcg: 1, recall: 1, relevant: 1 }]);
    expect(r.skippedUsers).toBe(1);
  });

  it('refuses a bad k and an evaluation with no scorable user', () => {
    const { recommendation } = scripted({});
    expect(() => offlineEval({ recommendation, train: [], heldOut: pairs('u', ['a']), k: 0 })).toThrow(
      /k must be a positive integer/,
    );
    expect(() => offlineEval({ recommendation, train: [], heldOut: [], k: 5 })).toThrow(/no user has a held-out item/);
  });
});
