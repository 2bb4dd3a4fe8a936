import { describe, expect, it } from 'vitest';
import { recommenderEvaluation } from '../../../../plugins/tasks/recommender-evaluation/index.ts';
import { trainDataOf, UserViews } from '../../../../harness/data/train-view.ts';
import {
  LlmParseError,
  type BrowsePage,
  type Item,
  type LlmRequest,
  type UnitError,
} from '../../../../harness/plugin-api.ts';
import type { TaskUnit } from '../../../../harness/api/task.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import {
  defaultReply,
  ITEMS,
  lastUser,
  makeSim,
  offlineLlm,
  prompts,
  smallSynthetic,
  unit,
  userU,
} from './fixtures.ts';

const item = (id: string, title: string, genres: string[], description: string): Item => ({
  id,
  title,
  genres,
  description,
});
const P1 = [
  item('p', 'Harvest Moon Bakery', ['Comedy'], 'Two sisters run a bakery.'),
  ITEMS['x'] as Item,
  item('q', 'Desert Courier', ['Western'], 'A rider crosses the desert.'),
];
const P2 = [
  ITEMS['y'] as Item,
  item('r', 'Glass Orchard', ['Drama'], 'A family tends an orchard under glass.'),
  item('s', 'Tunnel Kings', ['Thriller'], 'Miners trapped underground.'),
];
const P3 = [item('t', 'Paper Lanterns', ['Romance'], 'A festival brings two strangers together.')];
const PAGES: BrowsePage[] = [
  { number: 1, items: P1 },
  { number: 2, items: P2 },
  { number: 3, items: P3 },
];

const named = (s: { requests: LlmRequest[] }, name: string) => s.requests.filter((r) => r.schemaName === name);
/** Codes a page decision may watch (none when the watch alternative is absent). */
function watchable(r: LlmRequest): string[] {
  const alts = (
    r.schema as {
      properties: { action: { anyOf: Array<{ properties: { type: { const: string }; item?: { enum: string[] } } }> } };
    }
  ).properties.action.anyOf;
  return alts.find((a) => a.properties.type.const === 'watch')?.properties.item?.enum ?? [];
}
/** The "visit so far" section of a prompt. */
const visitSection = (r: LlmRequest) =>
  lastUser(r).split('What you remember of this visit so far:')[1]?.split('The recommender shows you')[0] ?? '';

/** A model that takes `actions` in order at its page decisions (the last one repeats), rating 5 after each watch (with the same feeling every time). */
function pageScript(actions: Record<string, unknown>[]) {
  let k = 0;
  return (r: LlmRequest, n: number) =>
    r.schemaName === 'watch_feeling'
      ? JSON.stringify({ rating: 5, feeling: 'FEELING: it stayed with me.' })
      : defaultReply(r, n, { action: () => actions[Math.min(k++, actions.length - 1)] as Record<string, unknown> });
}
/** Page 1: watch i2, then next; page 2: leave. */
const WATCH_NEXT_LEAVE = [{ type: 'watch', item: 'i2' }, { type: 'next' }, { type: 'leave' }];

describe('RecAgent browse', () => {
  it('by default a watch ends the visit, as in YuLan-Rec: no second decision, no memory write, the page is the last', async () => {
    const sim = await makeSim();
    const s = scriptedLlm(pageScript(WATCH_NEXT_LEAVE));
    const out = await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(out).toEqual({ pages: [{ watched: [{ item: 'x', rating: 5 }], exit: true }] });
    expect(s.requests.map((r) => r.schemaName)).toEqual(['importance', 'page_action', 'watch_feeling']);
    const first = named(s, 'page_action')[0] as LlmRequest;
    expect(lastUser(first)).toContain('only one: once you have watched it, your visit ends');
    expect(lastUser(first)).not.toContain('afterwards you may choose again');
  });

  it('keepBrowsing: watches, rates, goes on and leaves as the model says; page 2 remembers what was watched on page 1', async () => {
    const sim = await makeSim({ keepBrowsing: true });
    const s = scriptedLlm(pageScript(WATCH_NEXT_LEAVE));
    const out = await sim.browse!(userU(), PAGES, unit(s.llm));
    expect(out).toEqual({
      pages: [
        { watched: [{ item: 'x', rating: 5 }], exit: false },
        { watched: [], exit: true },
      ],
    });
    expect('satisfaction' in out).toBe(false);

    // seeding, page 1 (watch, rate, next), consolidation of page 1, page 2 (leave); no memory write after the last page
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'importance',
      'page_action',
      'watch_feeling',
      'page_action',
      'importance',
      'page_action',
    ]);
    const [first, again, second] = named(s, 'page_action') as [LlmRequest, LlmRequest, LlmRequest];
    expect(watchable(first)).toEqual(['i1', 'i2', 'i3']);
    expect(lastUser(first)).toContain('page 1 of your recommendations');
    // no search engine in this task: the page template offers no search
    expect(prompts.page).not.toMatch(/search/i);
    // choosing again on page 1: the watched item is listed and can no longer be chosen
    expect(watchable(again)).toEqual(['i1', 'i3']);
    expect(lastUser(again)).toContain('already watched: i2 Starship Orphans (you rated it 5)');
    // the watch prompt names the item and the scale
    const watch = named(s, 'watch_feeling')[0] as LlmRequest;
    expect(lastUser(watch)).toContain('Starship Orphans [Sci-Fi, Adventure]');
    expect(lastUser(watch)).toContain('from 1 to 5');
    // page 1 went into memory in one consolidation step: the watch (rating, feeling) and the page
    const observed = named(s, 'importance')[1] as LlmRequest;
    expect(lastUser(observed)).toContain('I watched Starship Orphans');
    expect(lastUser(observed)).toContain('How it made me feel: FEELING: it stayed with me.');
    expect(lastUser(observed)).toContain(
      'Page 1 of my recommendations showed me Harvest Moon Bakery; Starship Orphans; Desert Courier.',
    );
    // page 2 sees it through memory; its items are page 2's only
    expect(lastUser(second)).toContain('page 2 of your recommendations');
    expect(visitSection(second)).toContain('I watched Starship Orphans');
    expect(visitSection(second)).toContain('I rated it 5 out of 5');
    expect(visitSection(first)).toContain('nothing yet');
    expect(lastUser(second)).toContain('Knitting Circle');
    expect(lastUser(second)).not.toContain('Desert Courier [');
  });

  it("each unit is a fresh visit: the same script gives the same prompts again, the user's memory is untouched", async () => {
    const sim = await makeSim({ keepBrowsing: true });
    const runOnce = async () => {
      const s = scriptedLlm(pageScript(WATCH_NEXT_LEAVE));
      const out = await sim.browse!(userU(), PAGES, unit(s.llm));
      return { out, s };
    };
    const a = await runOnce();
    const b = await runOnce();
    expect(b.out).toEqual(a.out);
    // the second visit reuses the seeded user (no importance call for seeding) and sees the same page prompts
    expect(b.s.requests.map((r) => r.schemaName)).toEqual([
      'page_action',
      'watch_feeling',
      'page_action',
      'importance',
      'page_action',
    ]);
    expect(named(b.s, 'page_action').map(promptText)).toEqual(named(a.s, 'page_action').map(promptText));
    expect(named(b.s, 'watch_feeling').map(promptText)).toEqual(named(a.s, 'watch_feeling').map(promptText));
  });

  it('keepBrowsing: may watch every item of a page; then only next or leave are offered; running out of pages ends the visit', async () => {
    const sim = await makeSim({ keepBrowsing: true });
    const pages: BrowsePage[] = [{ number: 1, items: [ITEMS['x'] as Item, ITEMS['y'] as Item] }];
    const s = scriptedLlm((r, n) =>
      defaultReply(r, n, {
        rating: 3,
        action: (req) => {
          const left = watchable(req);
          return left.length > 0 ? { type: 'watch', item: left.at(-1) } : { type: 'next' };
        },
      }),
    );
    const out = await sim.browse!({ ...userU(), scale: null }, pages, unit(s.llm));
    expect(out).toEqual({
      pages: [
        {
          watched: [
            { item: 'y', rating: 3 },
            { item: 'x', rating: 3 },
          ],
          exit: false,
        },
      ],
    });
    const decisions = named(s, 'page_action');
    expect(decisions).toHaveLength(3);
    expect(watchable(decisions[2] as LlmRequest)).toEqual([]);
    expect(lastUser(decisions[2] as LlmRequest)).toContain('You have watched every item on this page');
    // no stars: rated on 1–5
    const w = named(s, 'watch_feeling')[0] as LlmRequest;
    expect(
      (w.schema as { properties: { rating: { minimum: number; maximum: number } } }).properties.rating,
    ).toMatchObject({ minimum: 1, maximum: 5 });
    // the last page seen is never written to memory
    expect(named(s, 'importance')).toHaveLength(1);
  });

  it('a decision naming an item code not on the page is repaired once, then recorded by the task as a parse error', async () => {
    const sim = await makeSim();
    const s = scriptedLlm((r, n) => defaultReply(r, n, { action: () => ({ type: 'watch', item: 'i9' }) }));
    const items = [...P1, ...P2];
    const u: TaskUnit<{ recommender: string; ndcg: number; likeThreshold: number; pageSize: number }> = {
      key: 'u|pop',
      user: 'u',
      items: items.map((i) => i.id),
      gold: { recommender: 'pop', ndcg: 0.1, likeThreshold: 4, pageSize: 3 },
    };
    const err = await recommenderEvaluation.run(sim, userU(), items, unit(s.llm), u).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
    const tries = named(s, 'page_action');
    expect(tries).toHaveLength(2);
    expect(promptText(tries[1] as LlmRequest)).toContain('could not be used');
    expect(named(s, 'watch_feeling')).toHaveLength(0);
  });

  it('gives a valid outcome for three pages with the offline mock LLM', async () => {
    const ds = await smallSynthetic();
    const views = new UserViews(trainDataOf(ds));
    const sim = await makeSim();
    const { llm } = await offlineLlm();
    const users = [...new Set(ds.split.train.map((x) => x.user))].sort().slice(0, 4);
    let offered = 0;
    for (const [k, user] of users.entries()) {
      const view = views.view(user);
      const seen = new Set(view.history.map((h) => h.item.id));
      const items = ds.items.filter((i) => !seen.has(i.id)).slice(k, k + 12);
      const gold = { recommender: 'pop', ndcg: 0.1, likeThreshold: 4, pageSize: 4 };
      // the task's own check (pages offered, items on their page, no repeats, ratings on the scale, exit only last) runs inside run()
      const out = await recommenderEvaluation.run(sim, view, items, unit(llm), {
        key: `${user}|pop`,
        user,
        items: items.map((i) => i.id),
        gold,
      });
      expect(out.pages.length).toBeGreaterThanOrEqual(1);
      expect(out.pages.length).toBeLessThanOrEqual(3);
      offered += out.pages.length;
      out.pages.forEach((p, j) => {
        expect(p.exit && j < out.pages.length - 1).toBe(false);
        const onPage = new Set(items.slice(j * 4, j * 4 + 4).map((i) => i.id));
        for (const w of p.watched) {
          expect(onPage.has(w.item)).toBe(true);
          expect([1, 2, 3, 4, 5]).toContain(w.rating);
        }
      });
      // ended by leaving or by running out of pages
      const last = out.pages.at(-1);
      expect(last?.exit || out.pages.length === 3).toBe(true);
      expect(out.satisfaction).toBeUndefined();
      const s = recommenderEvaluation.score({ key: `${user}|pop`, user, items: items.map((i) => i.id), gold }, out);
      expect(s['pages']).toBe(out.pages.length);
    }
    expect(offered).toBeGreaterThanOrEqual(users.length);
  });
});
