import { describe, expect, it } from 'vitest';
import type { BrowsePage, LlmRequest } from '../../../../harness/plugin-api.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import { codesAt, ITEMS, makePlus, makeSim, offlineLlm, scripted, unit, userText, userView } from './fixtures.ts';

const PAGES: BrowsePage[] = [0, 1, 2].map((k) => ({ number: k + 1, items: ITEMS.slice(8 + 2 * k, 10 + 2 * k) }));

/** Watches the first item of each page (rating 5), goes on after page 1 and leaves after page 2. */
function visitScript(r: LlmRequest, n: number): string {
  if (r.schemaName === 'screening') {
    const codes = codesAt(r.schema, ['items']);
    return JSON.stringify({
      items: Object.fromEntries(
        codes.map((c, k) => [c, { decision: k === 0 ? 'watch' : 'skip', reason: `SCREEN-${c}` }]),
      ),
    });
  }
  if (r.schemaName === 'browse_continue')
    return JSON.stringify({ reasoning: 'R', decision: userText(r).includes('page 2 so far') ? 'leave' : 'next' });
  return scripted(r, n, { rating: 5 });
}

describe('alignuser browsing a recommender (recommender-evaluation)', () => {
  it('screens each page, rates only the watched items, decides next or leave, and remembers earlier pages', async () => {
    const s = scriptedLlm(visitScript);
    const sim = await makeSim();
    const out = await sim.browse!(userView('u1'), PAGES, unit(s.llm));
    expect(out.pages).toEqual([
      { watched: [{ item: PAGES[0]!.items[0]!.id, rating: 5 }], exit: false },
      { watched: [{ item: PAGES[1]!.items[0]!.id, rating: 5 }], exit: true },
    ]);
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'persona_generation',
      'screening',
      'selection_rating',
      'browse_continue',
      'screening',
      'selection_rating',
      'browse_continue',
      'post_interview_satisfaction',
    ]);
    // The selection rates the watched item only.
    expect(codesAt(s.requests[2]!.schema, ['items'])).toEqual(['i1']);
    // Page 2's prompts recall page 1.
    expect(userText(s.requests[4]!)).toContain(
      `Earlier on this visit:\n- Page 1: You watched ${PAGES[0]!.items[0]!.title} (rated 5). You went on.`,
    );
    expect(userText(s.requests[1]!)).not.toContain('Earlier on this visit');
    // After the visit, the release's satisfaction scorer: third person, persona and the visit, 1–10.
    expect(out.satisfaction).toBe(7);
    const sat = userText(s.requests[7]!);
    expect(sat).toContain('Score how satisfied this simulated user was');
    expect(sat).toContain('Occupation: OCC-0');
    expect(sat).toContain(`- Page 1: They watched ${PAGES[0]!.items[0]!.title} (rated 5). They went on.`);
    expect(sat).toContain('- Page 2: They watched');
    expect((s.requests[7]!.schema as any).properties.rating).toEqual({ type: 'integer', minimum: 1, maximum: 10 });
    // satisfactionInterview: false asks nothing after the visit.
    const quiet = scriptedLlm(visitScript);
    const none = await (await makeSim({ satisfactionInterview: false })).browse!(
      userView('u1'),
      PAGES,
      unit(quiet.llm),
    );
    expect(none.satisfaction).toBeUndefined();
    expect(quiet.requests.map((r) => r.schemaName)).not.toContain('post_interview_satisfaction');
  });

  it('a page with nothing watched makes no selection call; alignuser-plus browses too', async () => {
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'screening'
        ? JSON.stringify({
            items: Object.fromEntries(codesAt(r.schema, ['items']).map((c) => [c, { decision: 'skip', reason: 'no' }])),
          })
        : r.schemaName === 'browse_continue'
          ? JSON.stringify({ reasoning: 'R', decision: 'leave' })
          : scripted(r, n),
    );
    const out = await (await makeSim()).browse!(userView('u1'), PAGES, unit(s.llm));
    expect(out.pages).toEqual([{ watched: [], exit: true }]);
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'persona_generation',
      'screening',
      'browse_continue',
      'post_interview_satisfaction',
    ]);
    const { llm } = await offlineLlm();
    const plus = await (await makePlus()).browse!(userView('u1'), PAGES, unit(llm));
    expect(plus.pages.length).toBeGreaterThanOrEqual(1);
  });

  it('on the offline mock every visit is a valid outcome', async () => {
    const { llm } = await offlineLlm();
    const out = await (await makeSim()).browse!(userView('u1'), PAGES, unit(llm));
    expect(out.pages.length).toBeGreaterThanOrEqual(1);
    out.pages.forEach((p, k) => {
      for (const w of p.watched) {
        expect(PAGES[k]!.items.map((i) => i.id)).toContain(w.item);
        expect([1, 2, 3, 4, 5]).toContain(w.rating);
      }
      if (k < out.pages.length - 1) expect(p.exit).toBe(false);
    });
    if (out.pages.length < 3) expect(out.pages.at(-1)?.exit).toBe(true);
  });
});
