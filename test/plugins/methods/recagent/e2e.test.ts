import { describe, expect, it } from 'vitest';
import { trainDataOf, UserViews } from '../../../../harness/data/train-view.ts';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import type { Item } from '../../../../harness/plugin-api.ts';
import { makeSim, offlineLlm, smallSynthetic, unit } from './fixtures.ts';

describe('recagent end to end on the offline mock', () => {
  it('answers every unit of both tasks validly on the synthetic dataset', async () => {
    const ds = await smallSynthetic();
    const views = new UserViews(trainDataOf(ds));
    const items = new Map(ds.items.map((i) => [i.id, i]));
    const sim = await makeSim();
    const { llm, usage } = await offlineLlm();

    const pd =
      preferenceDiscrimination.buildUnits(
        ds,
        { ratios: [1, 3], itemsPerUser: 20, users: 3, negativesFrom: 'train-items' },
        new Rng(5),
      ) ?? [];
    expect(pd.length).toBe(6);
    for (const u of pd) {
      const answer = await preferenceDiscrimination.run(
        sim,
        views.view(u.user),
        u.items.map((id) => items.get(id) as Item),
        unit(llm),
      );
      expect(Object.keys(answer).sort()).toEqual([...u.items].sort());
      const s = preferenceDiscrimination.score(u, answer);
      expect(s['accuracy']).toBeGreaterThanOrEqual(0);
      expect(s['accuracy']).toBeLessThanOrEqual(1);
    }

    const rt = rating.buildUnits(ds, { maxItemsPerUser: 20, users: 3 }, new Rng(5)) ?? [];
    expect(rt.length).toBe(3);
    for (const u of rt) {
      const answer = await rating.run(
        sim,
        views.view(u.user),
        u.items.map((id) => items.get(id) as Item),
        unit(llm),
      );
      for (const id of u.items) expect([1, 2, 3, 4, 5]).toContain(answer[id]);
      expect(Number.isFinite(rating.score(u, answer)['mse'])).toBe(true);
    }
    // per user: seeding (1 importance call, at most one insight and one reflection call); per unit: 1 call
    expect(usage.calls).toBeGreaterThanOrEqual(3 + 9);
    expect(usage.calls).toBeLessThanOrEqual(3 * 3 + 9);
  });
});
