import { describe, expect, it } from 'vitest';
import { trainDataOf, UserViews } from '../../../../harness/data/train-view.ts';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import { Rng, type Item, type Simulator } from '../../../../harness/plugin-api.ts';
import { fitContext, makePlus, makeSim, offlineLlm, syntheticDataset, tempDir, unit } from './fixtures.ts';

const cases: [string, () => Promise<Simulator>, number][] = [
  ['alignuser', () => makeSim({ fitUsers: 4 }), 2],
  ['alignuser-plus', () => makePlus({ fitUsers: 4 }), 4],
];

describe.each(cases)('%s end to end on synthetic ratings with the offline mock LLM', (name, make, callsPerUnit) => {
  it('fits, then answers every preference-discrimination and rating unit validly', async () => {
    const dataset = await syntheticDataset();
    const train = trainDataOf(dataset);
    const views = new UserViews(train);
    const items = new Map(dataset.items.map((i) => [i.id, i]));
    const { llm, usage } = await offlineLlm();
    const sim = await make();
    await sim.fit!(train, fitContext(llm, tempDir(`e2e-${name}`)));
    // at most five calls per transition (proposals, outcomes, reflection, item reflection, policy) and a persona per user
    expect(usage.calls).toBeGreaterThan(0);
    expect(usage.calls).toBeLessThanOrEqual(5 * 4 * 2 + 4);
    // A user's first unit also infers their persona (one call); later units reuse it.
    const seen = new Set<string>();
    const expected = (user: string) => callsPerUnit + (seen.has(user) ? 0 : (seen.add(user), 1));

    const pd =
      preferenceDiscrimination.buildUnits(
        dataset,
        { ratios: [1, 3], itemsPerUser: 20, users: 3, negativesFrom: 'train-items' },
        new Rng(11),
      ) ?? [];
    expect(pd.length).toBe(6);
    const pdDone = [];
    for (const u of pd) {
      const before = usage.calls;
      const unitItems = u.items.map((id) => items.get(id) as Item);
      const answer = await preferenceDiscrimination.run(sim, views.view(u.user), unitItems, unit(llm));
      expect(usage.calls - before).toBe(expected(u.user));
      expect(Object.keys(answer).sort()).toEqual([...u.items].sort());
      const scores = preferenceDiscrimination.score(u, answer);
      expect(scores['accuracy']).toBeGreaterThanOrEqual(0);
      expect(scores['accuracy']).toBeLessThanOrEqual(1);
      pdDone.push({ id: u.key, unit: u, answer, scores });
    }
    const pdMetrics = preferenceDiscrimination.aggregate(pdDone, {
      ratios: [1, 3],
      itemsPerUser: 20,
      users: 3,
      negativesFrom: 'train-items',
    });
    expect(Number.isFinite(pdMetrics['accuracy@1:1']!.value)).toBe(true);

    const rt = rating.buildUnits(dataset, { maxItemsPerUser: 20, users: 3 }, new Rng(12)) ?? [];
    expect(rt.length).toBe(3);
    const rtDone = [];
    for (const u of rt) {
      const before = usage.calls;
      const answer = await rating.run(
        sim,
        views.view(u.user),
        u.items.map((id) => items.get(id) as Item),
        unit(llm),
      );
      expect(usage.calls - before).toBe(expected(u.user));
      for (const v of Object.values(answer)) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(5);
      }
      rtDone.push({ id: u.key, unit: u, answer, scores: rating.score(u, answer) });
    }
    const rtMetrics = rating.aggregate(rtDone, { maxItemsPerUser: 20, users: 3 });
    expect(Number.isFinite(rtMetrics['rmse']!.value)).toBe(true);
  });
});
