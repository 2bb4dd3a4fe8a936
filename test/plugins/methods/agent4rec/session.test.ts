import { describe, expect, it } from 'vitest';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import { LlmParseError, type Item, type LlmRequest, type UnitError } from '../../../../harness/plugin-api.ts';
import { fatigueNote, pageSchema } from '../../../../plugins/methods/agent4rec/page.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { CANDIDATES, codesOf, defaultReply, lastUser, makeSim, systemOf, train, unit, userU } from './fixtures.ts';
import { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import { fitContext } from './fixtures.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const store = () => new ArtifactStore(mkdtempSync(join(tmpdir(), 'a4r-')));

async function fitted(o: Parameters<typeof makeSim>[0] = {}) {
  const sim = await makeSim(o);
  await sim.fit!(train(), fitContext(null, store()));
  return sim;
}

/** The scripted reply to the discrimination call: watch the odd-numbered codes. */
function watchList(r: LlmRequest, n: number, watch: (code: string) => boolean = (c) => Number(c.slice(1)) % 2 === 1) {
  if (r.schemaName !== 'watch_list') return defaultReply(r, n);
  return JSON.stringify(Object.fromEntries(codesOf(r).map((c) => [c, { watch: watch(c), reason: `WHY-${c}` }])));
}

describe('Agent4Rec discrimination: one stateless call over the whole list (avatar.py:212-235)', () => {
  it('20 items are one watch-list call after one taste call; like = watch, matched by code', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => watchList(r, n));
    const out = await sim.discriminate!(userU(), CANDIDATES, unit(s.llm));
    expect(s.requests.map((r) => r.schemaName)).toEqual(['taste', 'watch_list']);
    expect(codesOf(s.requests[1]!)).toEqual(CANDIDATES.map((_, k) => `i${k + 1}`));
    expect(out).toHaveLength(20);
    expect(out.map((j) => j.like)).toEqual(CANDIDATES.map((_, k) => k % 2 === 0));
    expect(out[0]).toEqual({ item: 'c1', like: true, reason: 'WHY-i1' });
    // a second unit of the user reuses the taste: one more call
    await sim.discriminate!(userU(), CANDIDATES.slice(0, 3), unit(s.llm));
    expect(s.requests).toHaveLength(3);
  });

  it('the system prompt holds the taste only; every item shows title, genres, summary and historical rating', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => watchList(r, n));
    await sim.discriminate!(userU(), CANDIDATES, unit(s.llm));
    const call = s.requests.find((r) => r.schemaName === 'watch_list')!;
    const sys = systemOf(call);
    expect(sys).toContain('TASTE: I love starship sagas');
    // no traits, rating habit, memory or fatigue (those are for browsing)
    expect(sys).not.toContain('HABIT');
    expect(sys).not.toMatch(/Activity|Conformity|Diversity/);
    const list = lastUser(call);
    expect(list).not.toMatch(/tired|fresh|remember/);
    // candidate 1 was rated by two other users (4 and 3); candidate 2 by nobody
    expect(list).toContain('i1: Candidate 1 [Sci-Fi] — Plot number 1. (average rating from other viewers: 3.50 of 5)');
    expect(list).toContain('i2: Candidate 2 [Comedy] — Plot number 2. (no ratings from other viewers yet)');
    expect(list).toContain('i20: Candidate 20');
  });

  it("historicalRatings: false hides them; a dataset's published mean rating wins over the training mean", async () => {
    const hidden = await fitted({ historicalRatings: false });
    const s = scriptedLlm((r, n) => watchList(r, n));
    await hidden.discriminate!(userU(), CANDIDATES.slice(0, 2), unit(s.llm));
    const page = lastUser(s.requests.find((r) => r.schemaName === 'watch_list')!);
    expect(page).not.toContain('average rating');
    expect(page).not.toContain('no ratings');

    const published = await makeSim();
    const t0 = train();
    const items = t0.items.map((i) => (i.id === 'c1' ? { ...i, meanRating: 4.146 } : i));
    await published.fit!({ ...t0, items }, fitContext(null, store()));
    const t = scriptedLlm((r, n) => watchList(r, n));
    await published.discriminate!(userU(), [items.find((i) => i.id === 'c1')!], unit(t.llm));
    expect(lastUser(t.requests.at(-1)!)).toContain('(average rating from other viewers: 4.15 of 5)');
  });

  it('profiles: released uses the taste the dataset published (no taste call); derived writes its own', async () => {
    const user = { ...userU(), published: { taste: ['I like starships.', 'I avoid sitcoms.'] } };
    const released = await fitted();
    const s = scriptedLlm((r, n) => watchList(r, n));
    await released.discriminate!(user, CANDIDATES.slice(0, 4), unit(s.llm));
    expect(s.requests.map((r) => r.schemaName)).toEqual(['watch_list']);
    expect(systemOf(s.requests[0]!)).toContain('- I like starships.\n- I avoid sitcoms.');
    const derived = await fitted({ profiles: 'derived' });
    const d = scriptedLlm((r, n) => watchList(r, n));
    await derived.discriminate!(user, CANDIDATES.slice(0, 4), unit(d.llm));
    expect(d.requests.map((r) => r.schemaName)).toEqual(['taste', 'watch_list']);
  });

  it('writes the taste summary once per user from liked and disliked training items', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => watchList(r, n));
    await Promise.all([
      sim.discriminate!(userU(), CANDIDATES.slice(0, 4), unit(s.llm)),
      sim.rate!(userU(), CANDIDATES.slice(0, 4), unit(s.llm)),
    ]);
    const tastes = s.requests.filter((r) => r.schemaName === 'taste');
    expect(tastes).toHaveLength(1);
    const t = promptText(tastes[0]!);
    expect(t).toContain('age: 35; occupation: engineer');
    expect(t).toMatch(/highly:\n- Moon Colony .*\(rated 4\)\n- Nebula Wars .*\(rated 5\)\n- Star Voyage/);
    expect(t).toMatch(/poorly:\n- Laugh Track .*\(rated 2\)\n- Tax Season .*\(rated 1\)/);
    expect(t).not.toContain('Quiet Harbour');
  });

  it("profileStage fit writes every training user's taste in fit, stored as artifacts reused by the next fit", async () => {
    const artifacts = store();
    const s = scriptedLlm((r, n) => watchList(r, n));
    const sim = await makeSim({ profileStage: 'fit' });
    await sim.fit!(train(), fitContext(s.llm, artifacts));
    expect(s.requests.map((r) => r.schemaName)).toEqual(['taste', 'taste', 'taste']);
    await sim.discriminate!(userU(), CANDIDATES.slice(0, 4), unit(s.llm));
    expect(s.requests.filter((r) => r.schemaName === 'taste')).toHaveLength(3);
    const again = await makeSim({ profileStage: 'fit' });
    const t = scriptedLlm((r, n) => defaultReply(r, n));
    await again.fit!(train(), fitContext(t.llm, artifacts));
    expect(t.requests).toHaveLength(0);
    expect(artifacts.hits).toBe(3);
  });

  it('without fit there are no traits: a method error when rating', async () => {
    const sim = await makeSim();
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const err = await sim.rate!(userU(), CANDIDATES.slice(0, 2), unit(s.llm)).catch((e: unknown) => e);
    expect((err as UnitError).kind).toBe('method');
  });

  it('a malformed list is repaired once, then recorded by the task as a parse error', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'watch_list' ? '{"i1": {"watch": "maybe"}}' : defaultReply(r, n),
    );
    const err = await preferenceDiscrimination
      .run(sim, userU(), CANDIDATES.slice(0, 4), unit(s.llm))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
    const calls = s.requests.filter((r) => r.schemaName === 'watch_list');
    expect(calls).toHaveLength(2);
    expect(promptText(calls[1]!)).toMatch(/could not be used/);
  });
});

describe('Agent4Rec browsing pages (recommender evaluation)', () => {
  const pagesOf = (items: readonly Item[]) =>
    Array.from({ length: Math.ceil(items.length / 4) }, (_, k) => ({
      number: k + 1,
      items: items.slice(4 * k, 4 * k + 4),
    }));

  it('each page prompt carries the traits, the taste, the session memories, the fatigue and the historical ratings', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.browse!(userU(), pagesOf(CANDIDATES), unit(s.llm));
    const pages = s.requests.filter((r) => r.schemaName === 'recommendation_page');
    expect(pages).toHaveLength(5);
    for (const p of pages) {
      const sys = systemOf(p);
      expect(sys).toContain('TASTE: I love starship sagas');
      expect(sys).toContain('HABIT: I rate sci-fi generously.');
      expect(sys).toMatch(/- Activity: .+\n- Conformity: .+\n- Diversity: /);
    }
    const [p1, p2, p3, , p5] = pages.map(lastUser);
    expect(p1).toContain('nothing yet');
    expect(p1).toContain('just started');
    expect(p1).toContain('i1: Candidate 1 [Sci-Fi] — Plot number 1. (average rating from other viewers: 3.5 of 5)');
    expect(p1).toContain('i2: Candidate 2 [Comedy] — Plot number 2. (no ratings from other viewers yet)');
    expect(p2).toContain('Page 1 recommended Candidate 1; Candidate 2; Candidate 3; Candidate 4.');
    expect(p2).toContain('still feel fresh');
    expect(p3).toContain('Looking back on the recommendations so far, I am satisfied: REFLECTION-');
    expect(p3).toContain('a little tired');
    expect(p5).toContain('very tired');
    const reflection = s.requests.find((r) => r.schemaName === 'satisfaction_reflection')!;
    expect(lastUser(reflection)).toContain('After page 2 I felt positive');
    expect(systemOf(reflection)).toContain('TASTE:');
  });
});

describe('Agent4Rec rating: pages of watched items', () => {
  it('asks a rating and a feeling per item, page by page, remembering earlier pages', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => defaultReply(r, n, { rating: 2 }));
    const out = await sim.rate!(userU(), CANDIDATES.slice(0, 10), unit(s.llm));
    expect(out).toHaveLength(10);
    expect(out.every((p) => p.rating === 2)).toBe(true);
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'taste',
      'rating_page',
      'rating_page',
      'satisfaction_reflection',
      'rating_page',
    ]);
    const pages = s.requests.filter((r) => r.schemaName === 'rating_page').map(lastUser);
    expect(pages[0]).toContain('from 1 to 5 (in steps of 1)');
    expect(pages[1]).toContain('On page 1 I watched Candidate 1 (rated 2)');
    expect(pages[1]).toContain('Candidate 1: FEELING-i1');
    const req = s.requests.find((r) => r.schemaName === 'rating_page')!;
    expect(
      (
        req.schema as never as {
          properties: { items: { properties: Record<string, { properties: { rating: { type: string } } }> } };
        }
      ).properties.items.properties['i1']?.properties.rating.type,
    ).toBe('integer');
  });

  it('an out-of-scale rating is repaired once and then a parse error', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'rating_page'
        ? JSON.stringify({
            items: Object.fromEntries(codesOf(r, ['items']).map((c) => [c, { rating: 9, feeling: '' }])),
          })
        : defaultReply(r, n),
    );
    const err = await rating.run(sim, userU(), CANDIDATES.slice(0, 2), unit(s.llm)).catch((e: unknown) => e);
    expect((err as UnitError).kind).toBe('parse');
    expect(promptText(s.requests.filter((r) => r.schemaName === 'rating_page')[1]!)).toContain('must be <= 5');
  });
});

describe('page pieces', () => {
  it('fatigue grows with pages', () => {
    expect(fatigueNote(1, 2, 4)).toContain('just started');
    expect(fatigueNote(2, 2, 4)).toContain('1 page so far');
    expect(fatigueNote(3, 2, 4)).toContain('a little tired');
    expect(fatigueNote(5, 2, 4)).toContain('very tired');
  });

  it('the page schema asks align, watch, nullable rating and feeling per item, then feeling, fatigue and next/exit', () => {
    const s = pageSchema(['i1'], { min: 1, max: 5, step: 1 }) as {
      required: string[];
      properties: { items: { properties: { i1: { properties: Record<string, unknown> } } } };
    };
    expect(s.required).toEqual(['items', 'feeling', 'feelingReason', 'fatigue', 'decision']);
    expect(s.properties.items.properties.i1.properties['rating']).toEqual({
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 5,
    });
  });
});
