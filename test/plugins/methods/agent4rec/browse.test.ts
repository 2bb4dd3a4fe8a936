import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import type { BrowsePage } from '../../../../harness/plugin-api.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { CANDIDATES, codesOf, defaultReply, fitContext, makeSim, train, unit, userU } from './fixtures.ts';

/** Three pages of four candidates, as the recommender-evaluation task shows them. */
const PAGES: BrowsePage[] = [0, 1, 2].map((k) => ({ number: k + 1, items: CANDIDATES.slice(4 * k, 4 * k + 4) }));

async function fitted() {
  const sim = await makeSim();
  await sim.fit!(train(), fitContext(null, new ArtifactStore(mkdtempSync(join(tmpdir(), 'a4r-browse-')))));
  return sim;
}

describe('Agent4Rec browsing a recommender (recommender-evaluation)', () => {
  it('pages until the agent exits, the watched items with their ratings, then the satisfaction interview', async () => {
    const sim = await fitted();
    // Watch the odd codes; exit on the second page call (request 2: taste is request 0).
    const s = scriptedLlm((r, n) =>
      defaultReply(r, n, {
        align: (c) => Number(c.slice(1)) % 2 === 1,
        rating: 5,
        decision: (k) => (k === 2 ? 'exit' : 'next'),
        satisfaction: 7,
      }),
    );
    const out = await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(out.pages).toEqual([
      {
        watched: [
          { item: 'c1', rating: 5 },
          { item: 'c3', rating: 5 },
        ],
        liked: ['c1', 'c3'],
        exit: false,
      },
      {
        watched: [
          { item: 'c5', rating: 5 },
          { item: 'c7', rating: 5 },
        ],
        liked: ['c5', 'c7'],
        exit: true,
      },
    ]);
    expect(out.satisfaction).toBe(7);
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'taste',
      'recommendation_page',
      'recommendation_page',
      'satisfaction_reflection',
      'satisfaction_interview',
    ]);
    // Codes run across the visit, and page 2 remembers page 1.
    const pages = s.requests.filter((r) => r.schemaName === 'recommendation_page');
    expect(codesOf(pages[1]!, ['items'])).toEqual(['i5', 'i6', 'i7', 'i8']);
    expect(promptText(pages[1]!)).toContain(CANDIDATES[0]!.title);
  });

  it('on the offline mock every visit is a valid outcome', async () => {
    const { offlineLlm } = await import('./fixtures.ts');
    const sim = await fitted();
    const { llm } = await offlineLlm();
    const out = await sim.browse!(userU(), PAGES, unit(llm));
    expect(out.pages.length).toBeGreaterThanOrEqual(1);
    expect(out.pages.length).toBeLessThanOrEqual(3);
    out.pages.forEach((p, k) => {
      for (const w of p.watched) expect(PAGES[k]!.items.map((i) => i.id)).toContain(w.item);
      if (k < out.pages.length - 1) expect(p.exit).toBe(false);
    });
    if (out.pages.length < 3) expect(out.pages.at(-1)?.exit).toBe(true);
    expect(out.satisfaction).toBeGreaterThanOrEqual(1);
    expect(out.satisfaction).toBeLessThanOrEqual(10);
  });
});
