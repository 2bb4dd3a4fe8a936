import { describe, expect, it } from 'vitest';
import { emptyTotals } from '../../../../harness/llm/usage-meter.ts';
import { trainDataOf, UserViews } from '../../../../harness/data/train-view.ts';
import { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import {
  LlmParseError,
  type BrowsePage,
  type FitContext,
  type Item,
  type Llm,
  type LlmRequest,
  type UnitContext,
  type UnitError,
} from '../../../../harness/plugin-api.ts';
import { recommenderEvaluation } from '../../../../plugins/tasks/recommender-evaluation/index.ts';
import type { TaskUnit } from '../../../../harness/api/task.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import { pageEntry } from '../../../../plugins/methods/simuser/browse.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import {
  codesOf,
  defaultReply,
  ITEMS,
  lastUser,
  makeSim,
  offlineWorld,
  train,
  userU,
  type ReplyOptions,
} from './fixtures.ts';

const quiet = { info() {}, warn() {} };
const unit = (llm: Llm | null, seed = 1): UnitContext => ({
  rng: new Rng(seed),
  llm,
  signal: new AbortController().signal,
});
const fitCtx = (): FitContext => ({
  seed: 3,
  configDir: '/',
  log: quiet,
  rng: new Rng(3),
  llm: null,
  artifacts: new ArtifactStore('/nonexistent'),
  outputDir: '/nonexistent',
});
const names = (s: { requests: LlmRequest[] }) => s.requests.map((r) => r.schemaName);
const named = (s: { requests: LlmRequest[] }, name: string) => s.requests.filter((r) => r.schemaName === name);

/** Three pages of two items the user never rated: i1 Knitting Circle, i2 Starship Orphans | i3 Desert Kings, i4 Opera Nights | i5 Harbour Lights, i6 Cold Case. */
const PAGES: BrowsePage[] = [
  { number: 1, items: [ITEMS['y']!, ITEMS['x']!] },
  { number: 2, items: [ITEMS['g']!, ITEMS['h']!] },
  { number: 3, items: [ITEMS['i']!, ITEMS['j']!] },
];

/** Watch Starship Orphans on page 1 (rating 5), go on; watch nothing on page 2 and leave. */
const WATCH_THEN_EXIT: ReplyOptions = {
  watch: (c) => c === 'i2',
  rating: 5,
  decision: (codes) => (codes.includes('i3') ? 'exit' : 'next'),
  satisfaction: 7,
};

/** The "visit so far" section of a page prompt. */
const visitSection = (r: LlmRequest) =>
  lastUser(r)
    .split('What you remember of this visit so far:')[1]
    ?.split(/\n\nPage \d+ now shows you/)[0] ?? '';

type Gold = { recommender: string; ndcg: number; likeThreshold: number; pageSize: number };
const taskUnit = (items: readonly Item[], pageSize: number): TaskUnit<Gold> => ({
  key: 'u|pop',
  user: 'u',
  items: items.map((i) => i.id),
  gold: { recommender: 'pop', ndcg: 0.1, likeThreshold: 4, pageSize },
});

describe('simuser browse (recommender evaluation)', () => {
  it('watches an item on page 1, exits on page 2: exactly that outcome, and the page-2 prompt recalls page 1', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    await sim.fit!(train(), fitCtx());
    const s = scriptedLlm((r, n) => defaultReply(r, n, WATCH_THEN_EXIT));
    const out = await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(out).toEqual({
      pages: [
        { watched: [{ item: 'x', rating: 5 }], exit: false },
        { watched: [], exit: true },
      ],
      satisfaction: 7,
    });
    // persona (K = 1: summary + proposal), elicitation, then per page evaluation + refinement, then the exit interview; no reflection call
    expect(names(s)).toEqual([
      'history_summary',
      'persona_candidates',
      'preferences',
      'browse_page',
      'refined_page',
      'browse_page',
      'refined_page',
      'exit_interview',
    ]);

    const [first, second] = named(s, 'browse_page') as [LlmRequest, LlmRequest];
    // the schemas admit this page's codes only; codes run across the visit
    expect(codesOf(first, ['items'])).toEqual(['i1', 'i2']);
    expect(codesOf(second, ['items'])).toEqual(['i3', 'i4']);
    expect(codesOf(named(s, 'refined_page')[1]!, ['final'])).toEqual(['i3', 'i4']);
    expect(lastUser(first)).toContain('Page 1 now shows you 2 items');
    expect(visitSection(first)).toContain('nothing yet');
    // page 2 recalls page 1: what was shown, what was watched with its rating, the feeling and the move
    expect(lastUser(second)).toContain('Page 2 now shows you 2 items');
    const recalled = visitSection(second);
    expect(recalled).toContain('Page 1 showed "Knitting Circle", "Starship Orphans".');
    expect(recalled).toContain('You watched "Starship Orphans" (rated 5 out of 5) and passed over "Knitting Circle".');
    expect(recalled).toContain('How it left you feeling: FEELING-i1. You went on to the next page.');
    expect(lastUser(second)).toContain('i3: "Desert Kings"');
    expect(lastUser(second)).not.toContain('i1: "Knitting Circle"');

    // the page prompt carries persona, preferences, per-item memories and KG paths (the static tasks' modules)
    expect(lastUser(first)).toContain('Likes: LIKE-starships');
    expect(lastUser(first)).toMatch(
      /i2: "Starship Orphans".*\n {2}Memories it brings back:\n {2}- You gave \d out of 5 to "/,
    );
    expect(lastUser(first)).toContain(
      '- you rated "Star Voyage" 5/5; it shares Adventure, Sci-Fi with this item; 1 other user rated both',
    );
    expect(lastUser(first)).toContain('on a scale from 1 to 5');

    // the exit interview sees both pages and how the visit ended
    const exit = lastUser(named(s, 'exit_interview')[0]!);
    expect(exit).toContain('each of the 2 page(s) you saw');
    expect(exit).toContain('Page 1 showed');
    expect(exit).toContain(
      'Page 2 showed "Desert Kings", "Opera Nights". You watched none of them. How it left you feeling: FEELING-i3. You decided to leave.',
    );
    expect(exit).toContain('You chose to leave after page 2.');
  });

  it('causal refinement sees the first thoughts and choices, and its final choices and move win', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    // evaluation: watch i1 and go on; refinement: watch i2 instead and leave
    const s = scriptedLlm((r, n) =>
      defaultReply(r, n, {
        watch: (c) => c === 'i1',
        refinedWatch: (c) => c === 'i2',
        rating: 3,
        decision: () => 'next',
        refinedDecision: () => 'exit',
      }),
    );
    const out = await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(out.pages).toEqual([{ watched: [{ item: 'x', rating: 3 }], exit: true }]);
    const refine = lastUser(named(s, 'refined_page')[0]!);
    expect(refine).toMatch(
      /i1: "Knitting Circle".*\n {2}First thought: THOUGHT-i1\n {2}Current choice: you watch it and rate it 3 \(1 to 5\)/,
    );
    expect(refine).toMatch(
      /i2: "Starship Orphans".*\n {2}First thought: THOUGHT-i2\n {2}Current choice: you pass it over/,
    );
    expect(refine).toContain('Your next move: you go on to the next page.');
    expect(names(s).slice(-3)).toEqual(['browse_page', 'refined_page', 'exit_interview']);
  });

  it('refinementRounds: 0 keeps the evaluation; running out of pages ends the visit without an exit', async () => {
    const sim = await makeSim({ personaCandidates: 1, refinementRounds: 0 });
    const s = scriptedLlm((r, n) => defaultReply(r, n, { watch: (c) => c === 'i1' || c === 'i6', rating: 2 }));
    const out = await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(out.pages).toEqual([
      { watched: [{ item: 'y', rating: 2 }], exit: false },
      { watched: [], exit: false },
      { watched: [{ item: 'j', rating: 2 }], exit: false },
    ]);
    expect(names(s).slice(3)).toEqual(['browse_page', 'browse_page', 'browse_page', 'exit_interview']);
    expect(lastUser(named(s, 'exit_interview')[0]!)).toContain(
      'You wanted to see more after page 3, but the service had nothing more to show you.',
    );
  });

  it('each unit is a fresh visit: the same script sends the same prompts again and the user memory is untouched', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    const runOnce = async () => {
      const s = scriptedLlm((r, n) => defaultReply(r, n, WATCH_THEN_EXIT));
      return { out: await sim.browse!(userU(), PAGES, unit(s.llm)), s };
    };
    const a = await runOnce();
    const b = await runOnce();
    expect(b.out).toEqual(a.out);
    // persona and preferences are built once per user; the visits' prompts are identical
    expect(names(b.s)).toEqual(['browse_page', 'refined_page', 'browse_page', 'refined_page', 'exit_interview']);
    for (const name of ['browse_page', 'refined_page', 'exit_interview'])
      expect(named(b.s, name).map(promptText)).toEqual(named(a.s, name).map(promptText));
    // and a static unit afterwards sees no trace of the visits
    const c = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.discriminate!(userU(), [ITEMS['x']!], unit(c.llm));
    expect(lastUser(named(c, 'item_evaluation')[0]!)).not.toMatch(/Earlier decision|REFLECTION/);
  });

  it("with crossUnitMemory the visit leaves its decisions and reflection to the user's later units (no extra call)", async () => {
    const sim = await makeSim({ personaCandidates: 1, crossUnitMemory: true });
    const s = scriptedLlm((r, n) => defaultReply(r, n, WATCH_THEN_EXIT));
    await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(names(s).slice(3)).toEqual(['browse_page', 'refined_page', 'browse_page', 'refined_page', 'exit_interview']);
    const t = scriptedLlm((r, n) => defaultReply(r, n, WATCH_THEN_EXIT));
    await sim.browse!(userU(), PAGES, unit(t.llm));
    const page = lastUser(named(t, 'browse_page')[0]!);
    expect(page).toMatch(
      /Notes you wrote to yourself after earlier sessions:\n- REFLECTION-\d+: starship stories keep me browsing\./,
    );
    expect(page).toContain(
      'Earlier decision — on a recommendation page you watched and rated 5 (1 to 5): "Starship Orphans"',
    );
  });

  it('an item code not on the page is repaired once, then the task records a parse error', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'browse_page'
        ? JSON.stringify({
            items: { i1: { thought: 't', watch: false, rating: null }, i9: { thought: 't', watch: true, rating: 5 } },
            feeling: 'f',
            decision: 'next',
          })
        : defaultReply(r, n),
    );
    const items = PAGES.flatMap((p) => p.items);
    const err = await recommenderEvaluation
      .run(sim, userU(), items, unit(s.llm), taskUnit(items, 2))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
    const tries = named(s, 'browse_page');
    expect(tries).toHaveLength(2);
    expect(promptText(tries[1]!)).toContain('could not be used');
    expect(promptText(tries[1]!)).toContain('unknown property "i9"');
    expect(named(s, 'refined_page')).toHaveLength(0);
    expect(named(s, 'exit_interview')).toHaveLength(0);
  });

  it('a watched item must carry a rating and a passed one none: otherwise a repair turn', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    let bad = 0;
    const s = scriptedLlm((r, n) => {
      if (r.schemaName === 'browse_page' && bad++ === 0) {
        return JSON.stringify({
          items: { i1: { thought: 't', watch: true, rating: null }, i2: { thought: 't', watch: false, rating: 4 } },
          feeling: 'f',
          decision: 'exit',
        });
      }
      return defaultReply(r, n, { watch: (c) => c === 'i1', rating: 4, decision: () => 'exit' });
    });
    const out = await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(out.pages).toEqual([{ watched: [{ item: 'y', rating: 4 }], exit: true }]);
    expect(named(s, 'browse_page')).toHaveLength(2);
  });

  it('without stars the pages are rated on 1–5; half-star scales are snapped to the grid', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    const s = scriptedLlm((r, n) => defaultReply(r, n, { watch: () => true, rating: 5, decision: () => 'exit' }));
    const out = await sim.browse!({ ...userU(), scale: null }, PAGES, unit(s.llm));
    expect(out.pages[0]!.watched.map((w) => w.rating)).toEqual([5, 5]);
    const schema = named(s, 'browse_page')[0]!.schema as {
      properties: { items: { properties: Record<string, { anyOf: Array<{ properties: { rating: unknown } }> }> } };
    };
    expect(schema.properties.items.properties['i1']!.anyOf[0]!.properties.rating).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    });

    const half = await makeSim({ personaCandidates: 1 });
    const h = scriptedLlm((r, n) => defaultReply(r, n, { watch: () => true, rating: 3.74, decision: () => 'exit' }));
    const halfOut = await half.browse!({ ...userU(), scale: { min: 0.5, max: 5, step: 0.5 } }, PAGES, unit(h.llm));
    expect(halfOut.pages[0]!.watched.map((w) => w.rating)).toEqual([3.5, 3.5]);
  });

  it('fails as a method error without an LLM or without pages', async () => {
    const sim = await makeSim();
    await expect(sim.browse!(userU(), PAGES, unit(null))).rejects.toMatchObject({ kind: 'method' });
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await expect((await makeSim({ personaCandidates: 1 })).browse!(userU(), [], unit(s.llm))).rejects.toMatchObject({
      kind: 'method',
    });
  });

  it('page entries read naturally when everything or nothing is watched', () => {
    const scale = { min: 1, max: 5, step: 1 };
    const item = (code: string, it: Item, watch: boolean) => ({
      code,
      item: it,
      thought: '',
      watch,
      rating: watch ? 4 : null,
      initial: { watch, rating: watch ? 4 : null },
    });
    expect(
      pageEntry(
        {
          number: 3,
          items: [item('i5', ITEMS['x']!, true)],
          feeling: 'Pleased!',
          decision: 'next',
          initialDecision: 'next',
        },
        scale,
      ),
    ).toBe(
      'Page 3 showed "Starship Orphans". You watched "Starship Orphans" (rated 4 out of 5). How it left you feeling: Pleased! You went on to the next page.',
    );
    expect(
      pageEntry(
        {
          number: 1,
          items: [item('i1', ITEMS['y']!, false)],
          feeling: '  ',
          decision: 'exit',
          initialDecision: 'exit',
        },
        scale,
      ),
    ).toBe(
      'Page 1 showed "Knitting Circle". You watched none of them. How it left you feeling: (no words for it). You decided to leave.',
    );
  });
});

describe('simuser browse on the offline mock LLM', () => {
  it('every visit over 3 pages is a valid outcome, with 2 calls per page seen and 1 exit interview', async () => {
    const { data, door } = await offlineWorld();
    const sim = await makeSim();
    await sim.fit!(trainDataOf(data), fitCtx());
    const views = new UserViews(trainDataOf(data));
    const users = [...new Set(data.split.train.map((x) => x.user))].sort().slice(0, 4);
    const pagesSeen: number[] = [];
    for (const [k, user] of users.entries()) {
      const view = views.view(user);
      const seen = new Set(view.history.map((h) => h.item.id));
      const items = data.items.filter((i) => !seen.has(i.id)).slice(k, k + 12);
      const u = { ...taskUnit(items, 4), key: `${user}|pop`, user };
      // two visits of each user: the first also matches the persona (2 + 5 calls) and elicits preferences (1)
      for (const visit of [0, 1]) {
        const usage = emptyTotals();
        // the task's own check (pages offered, items on their page, no repeats, ratings on the scale, exit only last, satisfaction 1–10) runs inside run()
        const out = await recommenderEvaluation.run(
          sim,
          view,
          items,
          unit(door.meter(usage, new AbortController().signal)),
          u,
        );
        expect(out.pages.length).toBeGreaterThanOrEqual(1);
        expect(out.pages.length).toBeLessThanOrEqual(3);
        out.pages.forEach((p, j) => {
          expect(p.exit && j < out.pages.length - 1).toBe(false);
          const onPage = new Set(items.slice(j * 4, j * 4 + 4).map((i) => i.id));
          for (const w of p.watched) {
            expect(onPage.has(w.item)).toBe(true);
            expect([1, 2, 3, 4, 5]).toContain(w.rating);
          }
        });
        expect(out.pages.at(-1)?.exit || out.pages.length === 3).toBe(true);
        expect(Number.isInteger(out.satisfaction) && out.satisfaction! >= 1 && out.satisfaction! <= 10).toBe(true);
        const scores = recommenderEvaluation.score(u, out);
        for (const key of ['pages', 'watched', 'liked', 'rated', 'satisfaction'])
          expect(Number.isFinite(scores[key])).toBe(true);
        expect(usage.calls).toBe((visit === 0 ? 8 : 0) + 2 * out.pages.length + 1);
        pagesSeen.push(out.pages.length);
      }
    }
    expect(pagesSeen).toHaveLength(8);
  });
});
