import { describe, expect, it } from 'vitest';
import { InteractionTable } from '../../../harness/data/interaction-table.ts';
import { kCore } from '../../../harness/data/k-core.ts';

const table = (pairs: Array<[string, string]>) => {
  const t = new InteractionTable();
  pairs.forEach(([u, i], k) => t.add(u, i, 1 + (k % 5), k));
  return t;
};
const grid = (users: string[], items: string[]) => users.flatMap((u) => items.map((i): [string, string] => [u, i]));

describe('kCore', () => {
  it('repeats until stable: dropping a thin user can push an item below k', () => {
    // Users a–c rate items 1–3 (3 each); user d rates only item 4 and 1, so item 4 (1 rating) goes,
    // then d has 1 rating and goes, which leaves item 1 with 3 again.
    const t = table([...grid(['a', 'b', 'c'], ['1', '2', '3']), ['d', '4'], ['d', '1']]);
    const r = kCore(t, 3);
    expect(r.rows).toBe(9);
    expect(r.users).toBe(3);
    expect(r.items).toBe(3);
    expect(r.passes).toBeGreaterThanOrEqual(2);
    expect(t.toInteractions(r.keep).every((x) => x.user !== 'd')).toBe(true);
  });

  it('a chain collapses entirely when nothing can reach k', () => {
    const t = table([
      ['a', '1'],
      ['a', '2'],
      ['b', '2'],
      ['b', '3'],
    ]);
    expect(kCore(t, 2).rows).toBe(0);
  });

  it('every kept user and item has at least k rows; k = 0 keeps all', () => {
    const pairs: Array<[string, string]> = [];
    for (let u = 0; u < 60; u++)
      for (let i = 0; i < 40; i++) if ((u * 7 + i * 13) % 11 < 3 + (u % 4)) pairs.push([`u${u}`, `i${i}`]);
    const t = table(pairs);
    const r = kCore(t, 5);
    const kept = t.toInteractions(r.keep);
    const count = (key: 'user' | 'item') =>
      kept.reduce((m, x) => m.set(x[key], (m.get(x[key]) ?? 0) + 1), new Map<string, number>());
    for (const n of count('user').values()) expect(n).toBeGreaterThanOrEqual(5);
    for (const n of count('item').values()) expect(n).toBeGreaterThanOrEqual(5);
    expect(kCore(t, 0).rows).toBe(pairs.length);
  });

  it('the table keeps ratings (null for implicit) and counts liked rows per user', () => {
    const t = new InteractionTable();
    t.add('u', 'a', 5, 1);
    t.add('u', 'b', null, 2);
    t.add('u', 'c', 2, 3);
    expect(t.toInteractions(t.all())).toEqual([
      { user: 'u', item: 'a', rating: 5, timestamp: 1 },
      { user: 'u', item: 'b', rating: null, timestamp: 2 },
      { user: 'u', item: 'c', rating: 2, timestamp: 3 },
    ]);
    expect([...t.likedCounts(t.all(), 3)]).toEqual([2]);
  });
});
