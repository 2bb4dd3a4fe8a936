import { describe, expect, it } from 'vitest';
import { operaConsistency as task } from '../../../plugins/tasks/opera-consistency/index.ts';
import { TASKS } from '../../support/tasks.ts';
import {
  observationTargets,
  type PersonaRecord,
  type Session,
  type SessionAction,
  type SessionsDataset,
  type Simulator,
  type StepContext,
} from '../../../harness/plugin-api.ts';
import type { TaskContext } from '../../../harness/api/task.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { promptText, scriptedLlm } from '../../support/scripted-llm.ts';

const readPrompts = async () => {
  const { readFileSync } = await import('node:fs');
  return Object.fromEntries(Object.entries(task.prompts ?? {}).map(([k, url]) => [k, readFileSync(url, 'utf8')]));
};

const click = (target: string, clickType: SessionAction['clickType']): SessionAction => ({
  type: 'click',
  clickType,
  target,
  text: null,
});
const terminate: SessionAction = { type: 'terminate', clickType: null, target: null, text: null };
const product = (asin: string, title: string) => ({
  asin,
  title,
  price: '$20.00',
  quantity: null,
  options: [{ Color: 'White' }],
});

function session(
  id: string,
  split: 'train' | 'test',
  steps: Array<{ action: SessionAction; products?: ReturnType<typeof product>[] }>,
): Session {
  return {
    id,
    user: 'u1',
    split,
    purchased: steps.some((s) => s.action.type === 'click' && s.action.clickType === 'purchase'),
    steps: steps.map((s, index) => ({
      index,
      actionId: `${id}-${index}`,
      timestamp: index,
      url: null,
      observation: `Page: ${id} step ${index}`,
      action: s.action,
      rationale: null,
      products: s.products ?? [],
    })),
  };
}

const persona: PersonaRecord = { id: 'u1', attributes: {}, persona: 'A thrifty student who compares prices.' };
const lamp = product('B0LAMP0001', 'TaoTronics LED Desk Lamp');
const lamp2 = product('B0LAMP0002', 'BenQ Architect Desk Lamp');
const mug = product('B0MUG00001', 'Ceramic Coffee Mug');
const input = (text: string): SessionAction => ({
  type: 'input',
  clickType: null,
  target: 'nav_bar.search_input',
  text,
});
const ds: SessionsDataset = {
  kind: 'sessions',
  name: 'hand-shop',
  users: [persona],
  sessions: [
    session('t1', 'train', [
      { action: input('mug') },
      { action: click('x', 'product_link'), products: [mug] },
      { action: terminate },
    ]),
    // Human test sessions (a new page at every step): one buys at its 3rd step (3 pages), one leaves after 4 steps.
    session('s1', 'test', [
      { action: input('desk lamp') },
      { action: click('p', 'product_link'), products: [lamp] },
      { action: click('b', 'purchase'), products: [lamp] },
      { action: terminate },
    ]),
    session('s2', 'test', [
      { action: input('lamp') },
      { action: click('p', 'product_link'), products: [lamp2] },
      { action: click('r', 'review') },
      { action: terminate },
    ]),
  ],
  checksums: {},
  choices: [],
};
const opts = { sessions: null, maxSteps: 6, resultsPerPage: 6, recommender: null, humanLikeness: false };

/** Opens the first product of the results, buys it now, places the order: what the step's page allows, found by element id. */
function buyer(seen: StepContext[]): Simulator {
  return {
    async nextAction(step) {
      seen.push(step);
      const ids = observationTargets(step.observation);
      const first = (suffix: string) => ids.find((i) => i.endsWith(suffix));
      const productLink = ids.find((i) => i.startsWith('search_results.') && i.endsWith('.product_name'));
      if (first('place_your_order'))
        return {
          action: click(first('place_your_order') as string, 'purchase'),
          rationale: 'I checked the total; ordering.',
        };
      if (first('buy_now'))
        return { action: click(first('buy_now') as string, 'purchase'), rationale: 'Good price, I buy it now.' };
      if (productLink) return { action: click(productLink, 'product_link'), rationale: 'This lamp looks right.' };
      return { action: terminate, rationale: 'Nothing here.' };
    },
  };
}

async function ctxWith(
  judgeReply: (n: number) => string,
): Promise<{ ctx: TaskContext; judge: ReturnType<typeof scriptedLlm> }> {
  const judge = scriptedLlm((_r, n) => judgeReply(n));
  return {
    ctx: {
      rng: new Rng(1),
      llm: null,
      signal: new AbortController().signal,
      judge: judge.llm,
      prompts: await readPrompts(),
    },
    judge,
  };
}

const allSupported = (steps: number, fit = true) =>
  JSON.stringify({ steps: Array.from({ length: steps }, () => ({ supports: true })), personaFit: fit, reason: 'fits' });

describe('opera-consistency units', () => {
  it('is registered, needs a judge, one unit per test session with its intent and the human means', () => {
    expect(TASKS['opera-consistency']).toBe(task as unknown);
    expect(task.needs.judge).toBe(true);
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    expect(units.map((u) => u.key)).toEqual(['s1', 's2']);
    // Human pages: s1 up to its purchase click (3), s2 all 4 steps → 3.5; purchase rate 1 of 2.
    expect(units[0]?.gold).toEqual({
      intent: 'desk lamp',
      humanPages: 3.5,
      humanPurchaseRate: 0.5,
      maxSteps: 6,
      resultsPerPage: 6,
      recommender: null,
    });
    expect(units[1]?.gold.intent).toBe('lamp');
  });
});

describe('opera-consistency closed loop', () => {
  it('starts on the results of the intent search, lets the simulator shop until the order, and has the judge score the steps', async () => {
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    const seen: StepContext[] = [];
    const { ctx, judge } = await ctxWith(() => allSupported(3));
    const answer = await task.run(buyer(seen), persona, ds.sessions[1] as Session, ctx, units[0], ds);
    // Step 1 sees the search results for "desk lamp", with the search in its history.
    expect(seen[0]?.history.map((h) => h.action.type)).toEqual(['input', 'click']);
    expect(seen[0]?.observation).toMatch(/desk lamp/i);
    expect(seen[0]?.observation).toContain('TaoTronics LED Desk Lamp');
    expect(answer.steps.map((s) => s.action.clickType)).toEqual(['product_link', 'purchase', 'purchase']);
    expect(answer.purchased).toBe(true);
    // Pages acted on until the first purchase click: home, home with the query typed, results, product.
    expect(answer.pages).toBe(4);
    expect(answer.steps.every((s) => !s.ignored)).toBe(true);
    // The judge saw the persona, the intent and every step with its reason.
    const prompt = promptText(judge.requests[0]!);
    expect(prompt).toContain('A thrifty student who compares prices.');
    expect(prompt).toContain('shop for: desk lamp');
    expect(prompt).toContain('reason: Good price, I buy it now.');
    const scores = task.score(units[0]!, answer);
    expect(scores).toMatchObject({ steps: 3, judged: 3, thoughtAction: 100, personaFit: 100, purchased: 1 });
  });

  it('stops at maxSteps; an action on a missing element is kept as an ignored step; the gaps compare with the human means', async () => {
    const units = task.buildUnits(ds, { ...opts, maxSteps: 2 }, new Rng(1)) ?? [];
    const wanderer: Simulator = {
      async nextAction() {
        return { action: click('no_such_element', 'other'), rationale: '' };
      },
    };
    const { ctx } = await ctxWith(() =>
      JSON.stringify({ steps: [{ supports: false }, { supports: true }], personaFit: false, reason: 'no' }),
    );
    const answer = await task.run(wanderer, persona, ds.sessions[1] as Session, ctx, units[0], ds);
    expect(answer.steps).toHaveLength(2);
    expect(answer.steps.every((s) => s.ignored)).toBe(true);
    // No reason given: not judged.
    expect(answer.judge?.supports).toEqual([null, null]);
    const s = task.score(units[0]!, answer);
    expect(s['thoughtAction']).toBeNaN();
    expect(s['purchased']).toBe(0);
    const m = task.aggregate([{ id: 'a', unit: units[0]!, answer, scores: s }], { ...opts, maxSteps: 2 });
    expect(m['purchase-gap']).toMatchObject({
      value: 50,
      gap: { reference: 0.5, scale: 100 },
      extra: { simulated: 0, human: 50 },
    });
    expect(m['pages-gap']?.value).toBeCloseTo(Math.abs(answer.pages - 3.5), 12);
    expect(m['persona-behaviour']?.value).toBe(0);
  });

  it('counts pages by what the shop did, not by the click type a simulator claims', async () => {
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    const honest = await task.run(
      buyer([]),
      persona,
      ds.sessions[1] as Session,
      (await ctxWith(() => allSupported(3))).ctx,
      units[0],
      ds,
    );
    // The same clicks, but the product link is labelled a purchase.
    const inner = buyer([]);
    const liar: Simulator = {
      async nextAction(step, c) {
        const p = await inner.nextAction!(step, c);
        return p.action.clickType === 'product_link' ? { ...p, action: { ...p.action, clickType: 'purchase' } } : p;
      },
    };
    const claimed = await task.run(
      liar,
      persona,
      ds.sessions[1] as Session,
      (await ctxWith(() => allSupported(3))).ctx,
      units[0],
      ds,
    );
    expect(claimed.steps[0]?.action.clickType).toBe('purchase');
    expect(claimed.pages).toBe(honest.pages);
  });

  it('only sessions that start from a search are simulated; the human means still count every test session', () => {
    const noSearch = session('s3', 'test', [
      { action: { type: 'input', clickType: null, target: 'zip_code_input', text: '02115' } },
      { action: click('p', 'product_link'), products: [lamp] },
      { action: terminate },
    ]);
    const units = task.buildUnits({ ...ds, sessions: [...ds.sessions, noSearch] }, opts, new Rng(1)) ?? [];
    expect(units.map((u) => u.key)).toEqual(['s1', 's2']);
    // Pages 3, 4 and 3; purchases 1 of 3.
    expect(units[0]?.gold).toMatchObject({ humanPages: 10 / 3, humanPurchaseRate: 1 / 3 });
    expect(task.buildUnits({ ...ds, sessions: [ds.sessions[0] as Session, noSearch] }, opts, new Rng(1))).toBeNull();
  });

  it('a recommender orders the search results for the shopper', async () => {
    const units = task.buildUnits(ds, { ...opts, recommender: 'fav' }, new Rng(1)) ?? [];
    const firstPage = async (prefer: string) => {
      const seen: StepContext[] = [];
      const { ctx } = await ctxWith(() => allSupported(3));
      const recommendation = {
        recommend: (user: string, k: number) => (user === 'u1' ? [prefer, 'B0MUG00001'].slice(0, k) : []),
      };
      await task.run(
        buyer(seen),
        persona,
        ds.sessions[1] as Session,
        { ...ctx, env: { recommenders: [{ id: 'fav', recommendation }] } },
        units[0],
        ds,
      );
      return seen[0]?.observation ?? '';
    };
    const benqFirst = await firstPage('B0LAMP0002');
    expect(benqFirst.indexOf('BenQ Architect Desk Lamp')).toBeLessThan(benqFirst.indexOf('TaoTronics LED Desk Lamp'));
    const taoFirst = await firstPage('B0LAMP0001');
    expect(taoFirst.indexOf('TaoTronics LED Desk Lamp')).toBeLessThan(taoFirst.indexOf('BenQ Architect Desk Lamp'));
    const { ctx } = await ctxWith(() => allSupported(3));
    await expect(task.run(buyer([]), persona, ds.sessions[1] as Session, ctx, units[0], ds)).rejects.toThrow(
      /recommender "fav" was not fitted/,
    );
  });

  it('without a judge or the capability the unit is a method error', async () => {
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    const ctx: TaskContext = { rng: new Rng(1), llm: null, signal: new AbortController().signal };
    await expect(task.run(buyer([]), persona, ds.sessions[1] as Session, ctx, units[0], ds)).rejects.toMatchObject({
      kind: 'method',
      message: expect.stringMatching(/judge/),
    });
    await expect(task.run({}, persona, ds.sessions[1] as Session, ctx, units[0], ds)).rejects.toMatchObject({
      kind: 'method',
    });
  });
});

describe('opera-consistency Human (OPeRA) reference row', () => {
  it('is the human test sessions themselves, unjudged: their pages and purchase rate, no judge call', async () => {
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    const { ctx, judge } = await ctxWith(() => {
      throw new Error('the reference row must not call the judge');
    });
    expect(task.reference?.label).toBe('Human (OPeRA)');
    const done = [];
    for (const u of units) {
      const answer = await task.reference!.run(u, ds, ctx);
      done.push({ id: u.key, unit: u, answer, scores: task.score(u, answer) });
    }
    expect(judge.requests).toHaveLength(0);
    // s1: 3 pages up to its purchase click, bought; s2: 4 pages, not bought.
    expect(done.map((d) => [d.answer.pages, d.answer.purchased])).toEqual([
      [3, true],
      [4, false],
    ]);
    const m = task.aggregate(done, opts);
    expect(m['pages-gap']).toMatchObject({ value: 3.5, estimator: 'mean', unitScores: [3, 4], n: 2 });
    expect(m['purchase-gap']).toMatchObject({ value: 50, estimator: 'mean', unitScores: [100, 0] });
    expect(m['thought-action']?.value).toBeNaN();
    expect(m['persona-behaviour']?.value).toBeNaN();
  });
});

const judgeCtx = async (judge: ReturnType<typeof scriptedLlm>): Promise<TaskContext> => ({
  rng: new Rng(1),
  llm: null,
  signal: new AbortController().signal,
  judge: judge.llm,
  prompts: await readPrompts(),
});

describe('opera-consistency option humanLikeness', () => {
  const on = { ...opts, humanLikeness: true };
  const byKind = (sessionJudge: string) => (r: { schemaName?: string }) =>
    r.schemaName === 'human_likeness' ? JSON.stringify({ reason: 'hesitant, like a person', rating: 4 }) : sessionJudge;

  it('is off by default: no metric, no gold field, one judge call per session', async () => {
    expect(task.metrics(opts).map((m) => m.key)).not.toContain('human-likeness');
    const units = task.buildUnits(ds, opts, new Rng(1)) ?? [];
    expect(units[0]?.gold).not.toHaveProperty('humanLikeness');
    const { ctx, judge } = await ctxWith(() => allSupported(3));
    const answer = await task.run(buyer([]), persona, ds.sessions[1] as Session, ctx, units[0], ds);
    expect(judge.requests).toHaveLength(1);
    expect(answer).not.toHaveProperty('humanLike');
    expect(task.score(units[0]!, answer)).not.toHaveProperty('humanLike');
  });

  it('one more judge call per simulated session rates its log 1-5; the log has pages and actions, not reasons', async () => {
    expect(task.metrics(on).find((m) => m.key === 'human-likeness')).toMatchObject({
      label: 'Human-like (1-5)',
      judged: true,
      direction: 'higher',
    });
    const units = task.buildUnits(ds, on, new Rng(1)) ?? [];
    const judge = scriptedLlm((r) => byKind(allSupported(3))(r as { schemaName?: string }));
    const ctx = await judgeCtx(judge);
    const answer = await task.run(buyer([]), persona, ds.sessions[1] as Session, ctx, units[0], ds);
    expect(judge.requests).toHaveLength(2);
    const hl = judge.requests.find((r) => r.schemaName === 'human_likeness')!;
    const text = promptText(hl);
    expect(text).toContain('most like an AI');
    // The given start (the search typed and sent), then the shopper's three steps.
    expect(text).toContain('1. on ');
    expect(text).toContain('input [nav_bar.search_input] "desk lamp"');
    expect(text).toMatch(/5\. on "[^"]+": click \[[^\]]+\] \(purchase\)/);
    expect(text).not.toContain('Good price');
    expect(text).not.toContain('A thrifty student');
    expect(answer.humanLike).toBe(4);
    const scores = task.score(units[0]!, answer);
    expect(scores['humanLike']).toBe(4);
    const m = task.aggregate([{ id: 's1', unit: units[0]!, answer, scores }], on);
    expect(m['human-likeness']).toMatchObject({ value: 4, n: 1, estimator: 'mean', unitScores: [4] });
    expect(Object.keys(m).sort()).toEqual(
      ['human-likeness', 'pages-gap', 'persona-behaviour', 'purchase-gap', 'thought-action'].sort(),
    );
  });

  it('the Human (OPeRA) row is judged on the human session itself, in that column only', async () => {
    const units = task.buildUnits(ds, on, new Rng(1)) ?? [];
    const judge = scriptedLlm((r) => {
      if (r.schemaName !== 'human_likeness') throw new Error('the reference row gets no consistency judgement');
      return JSON.stringify({ reason: 'r', rating: promptText(r).includes('"lamp"') ? 5 : 3 });
    });
    const ctx = await judgeCtx(judge);
    const done = [];
    for (const u of units) {
      const answer = await task.reference!.run(u, ds, ctx);
      done.push({ id: u.key, unit: u, answer, scores: task.score(u, answer) });
    }
    expect(judge.requests).toHaveLength(2);
    // s1's log is its own four steps, from its first search.
    const s1 = promptText(judge.requests[0]!);
    expect(s1).toContain('1. on "s1 step 0": input [nav_bar.search_input] "desk lamp"');
    expect(s1).toContain('4. on "s1 step 3": terminate');
    const m = task.aggregate(done, on);
    expect(m['human-likeness']).toMatchObject({ value: 4, n: 2, unitScores: [3, 5] });
    expect(m['thought-action']?.value).toBeNaN();
    expect(m['pages-gap']?.value).toBe(3.5);
  });

  it('a human session is cut at the window a simulated one has (2 + maxSteps steps)', async () => {
    const units = task.buildUnits(ds, { ...on, maxSteps: 1 }, new Rng(1)) ?? [];
    const judge = scriptedLlm(() => JSON.stringify({ reason: 'r', rating: 2 }));
    const ctx = await judgeCtx(judge);
    await task.reference!.run(units[0]!, ds, ctx);
    const text = promptText(judge.requests[0]!);
    expect(text).toContain('3. on "s1 step 2"');
    expect(text).not.toContain('4. on');
  });
});
