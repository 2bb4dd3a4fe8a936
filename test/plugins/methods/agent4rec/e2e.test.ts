import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import { trainDataOf, UserViews } from '../../../../harness/data/train-view.ts';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import type { Item } from '../../../../harness/plugin-api.ts';
import { fitContext, makeSim, offlineLlm, smallSynthetic, unit } from './fixtures.ts';

describe('agent4rec end to end on the offline mock', () => {
  it('answers every unit of both tasks validly on the synthetic dataset', async () => {
    const ds = await smallSynthetic();
    const train = trainDataOf(ds);
    const views = new UserViews(train);
    const items = new Map(ds.items.map((i) => [i.id, i]));
    const sim = await makeSim();
    const { llm, usage } = await offlineLlm();
    await sim.fit!(train, fitContext(llm, new ArtifactStore(mkdtempSync(join(tmpdir(), 'a4r-e2e-')))));
    expect(usage.calls).toBe(0);

    const pd =
      preferenceDiscrimination.buildUnits(
        ds,
        { ratios: [1, 3], itemsPerUser: 20, users: 3, negativesFrom: 'train-items' },
        new Rng(5),
      ) ?? [];
    expect(pd.length).toBe(6);
    let pages = 0;
    let lists = 0;
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
      lists++;
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
      pages += Math.ceil(u.items.length / 4);
    }
    // one taste call per user, one call per discrimination unit; in rating one call per page and a
    // reflection after every second page but the last
    expect(usage.calls).toBeGreaterThanOrEqual(3 + lists + pages);
    expect(usage.calls).toBeLessThanOrEqual(3 + lists + pages + Math.floor(pages / 2));
  });
});
