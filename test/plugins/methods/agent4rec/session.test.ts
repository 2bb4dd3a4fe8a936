import { describe, expect, it } from 'vitest';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import { LlmParseError, type UnitError } from '../../../../harness/plugin-api.ts';
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

describe('Agent4Rec discrimination: pages of four', () => {
  it('20 items are 5 page calls with 2 reflections between them, after one taste call', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => defaultReply(r, n, { align: (c) => Number(c.slice(1)) % 2 === 1 }));
    const out = await sim.discriminate!(userU(), CANDIDATES, unit(s.llm));
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'taste',
      'recommendation_page',
      'recommendation_page',
      'satisfaction_reflection',
      'recommendation_page',
      'recommendation_page',
      'satisfaction_reflection',
      'recommendation_page',
    ]);
    // like = align, matched to items by code
    expect(out).toHaveLength(20);
    expect(out.map((j) => j.like)).toEqual(CANDIDATES.map((_, k) => k % 2 === 0));
    expect(out[0]).toEqual({ item: 'c1', like: true, reason: 'REASON-i1' });
    const pages = s.requests.filter((r) => r.schemaName === 'recommendation_page');
    expect(pages.map((p) => codesOf(p, ['items']))).toEqual(
      [0, 1, 2, 3, 4].map((k) => [1, 2, 3, 4].map((j) => `i${4 * k + j}`)),
    );
  });

  it('each page prompt carries the traits, the taste, the session memories, the fatigue and the historical ratings', async () => {
    const sim = await fitted({ historicalRatings: true });
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.discriminate!(userU(), CANDIDATES, unit(s.llm));
    const pages = s.requests.filter((r) => r.schemaName === 'recommendation_page');
    for (const p of pages) {
      const sys = systemOf(p);
      expect(sys).toContain('TASTE: I love starship sagas');
      expect(sys).toContain('HABIT: I rate sci-fi generously.');
      expect(sys).toMatch(/- Activity: .+\n- Conformity: .+\n- Diversity: /);
    }
    const [p1, p2, p3, , p5] = pages.map(lastUser);
    expect(p1).toContain('nothing yet');
    expect(p1).toContain('just started');
    // candidate 1 was rated by two other users (4 and 3); candidate 2 by nobody
    expect(p1).toContain('i1: Candidate 1 [Sci-Fi] — Plot number 1. (average rating from other viewers: 3.5 of 5)');
    expect(p1).toContain('i2: Candidate 2 [Comedy] — Plot number 2. (no ratings from other viewers yet)');
    expect(p2).toContain('Page 1 recommended Candidate 1; Candidate 2; Candidate 3; Candidate 4.');
    expect(p2).toContain('still feel fresh');
    expect(p3).toContain('Looking back on the recommendations so far, I am satisfied: REFLECTION-');
    expect(p3).toContain('a little tired');
    expect(p5).toContain('very tired');
    // the reflection reads the recent memories of the session
    const reflection = s.requests.find((r) => r.schemaName === 'satisfaction_reflection')!;
    expect(lastUser(reflection)).toContain('After page 2 I felt positive');
    expect(systemOf(reflection)).toContain('TASTE:');
  });

  it('historical ratings are hidden by default', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.discriminate!(userU(), CANDIDATES.slice(0, 2), unit(s.llm));
    const page = lastUser(s.requests.find((r) => r.schemaName === 'recommendation_page')!);
    expect(page).not.toContain('average rating');
    expect(page).not.toContain('no ratings');
  });

  it('writes the taste summary once per user from liked and disliked training items', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) => defaultReply(r, n));
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
    const s = scriptedLlm((r, n) => defaultReply(r, n));
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

  it('without fit there are no traits: a method error', async () => {
    const sim = await makeSim();
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const err = await sim.discriminate!(userU(), CANDIDATES.slice(0, 2), unit(s.llm)).catch((e: unknown) => e);
    expect((err as UnitError).kind).toBe('method');
  });

  it('a malformed page is repaired once, then recorded by the task as a parse error', async () => {
    const sim = await fitted();
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'recommendation_page' ? '{"items": {}, "feeling": "meh"}' : defaultReply(r, n),
    );
    const err = await preferenceDiscrimination
      .run(sim, userU(), CANDIDATES.slice(0, 4), unit(s.llm))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
    const pages = s.requests.filter((r) => r.schemaName === 'recommendation_page');
    expect(pages).toHaveLength(2);
    expect(promptText(pages[1]!)).toMatch(/could not be used: .*feeling/);
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
