import { describe, expect, it } from 'vitest';
import { shopTrainData } from '../../../harness/shop/shop-train-data.ts';
import type { Session, SessionsDataset } from '../../../harness/plugin-api.ts';

const p = (asin: string) => ({ asin, title: `Product ${asin}`, price: '$1.00', quantity: null, options: [] });
const session = (id: string, user: string, split: 'train' | 'test', products: ReturnType<typeof p>[][]): Session => ({
  id,
  user,
  split,
  purchased: false,
  steps: products.map((ps, index) => ({
    index,
    actionId: `${id}${index}`,
    timestamp: 100 + index,
    url: null,
    observation: '',
    action: { type: 'click', clickType: 'product_link', target: 'x', text: null },
    rationale: null,
    products: ps,
  })),
});

describe('shopTrainData', () => {
  it('is implicit feedback: every catalog product an item, one interaction per shopper and product of the train sessions', () => {
    const d: SessionsDataset = {
      kind: 'sessions',
      name: 'shop',
      users: [
        { id: 'u1', attributes: { Age: '30' }, persona: 'x' },
        { id: 'u2', attributes: {}, persona: '' },
      ],
      sessions: [session('a', 'u1', 'train', [[p('A')], [p('A'), p('B')]]), session('b', 'u2', 'test', [[p('C')]])],
      checksums: {},
      choices: [],
    };
    const t = shopTrainData(d);
    expect(t.items.map((i) => i.id)).toEqual(['A', 'B', 'C']);
    expect(t.scale).toBeNull();
    expect(t.users).toEqual([
      { id: 'u1', attributes: { Age: '30' } },
      { id: 'u2', attributes: {} },
    ]);
    // The test session's product is an item but never an interaction.
    expect(t.interactions).toEqual([
      { user: 'u1', item: 'A', rating: null, timestamp: 100 },
      { user: 'u1', item: 'B', rating: null, timestamp: 101 },
    ]);
  });
});
