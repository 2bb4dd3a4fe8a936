import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import { newTrail, withTrail } from '../../../../harness/llm/call-trail.ts';
import { Rng, type LlmRequest } from '../../../../harness/plugin-api.ts';
import { allocate, buildTransitions, sampleTransitions } from '../../../../plugins/methods/alignuser/pages.ts';
import { budgetText } from '../../../../plugins/methods/alignuser/fit.ts';
import { ItemEvidence } from '../../../../plugins/methods/alignuser/item-evidence.ts';
import type { AlignUserSimulator } from '../../../../plugins/methods/alignuser/simulator.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import {
  fitContext,
  ITEM,
  ITEMS,
  makeLog,
  makeSim,
  options,
  RATED,
  scripted,
  tempDir,
  train,
  unit,
  userText,
  userView,
} from './fixtures.ts';

const bySchema = (requests: readonly LlmRequest[], name: string) => requests.filter((r) => r.schemaName === name);

describe('alignuser pages (world-model transitions from the training split)', () => {
  const t = train();
  const pages = buildTransitions(t, options(), new Rng(5));

  it('samples fitUsers users and builds pagesPerUser pages each, from the end of their history, in time order', () => {
    expect(pages).toHaveLength(6);
    const users = [...new Set(pages.map((p) => p.user))];
    expect(users).toHaveLength(3);
    for (const u of users) {
      const [p1, p2] = pages.filter((p) => p.user === u);
      const rated = RATED[u] as string[];
      // page 1 shows items 6–7 of 9, page 2 items 8–9; each page's history is everything before it
      expect(p1!.action.watched.map((w) => w.item)).toEqual(rated.slice(5, 7));
      expect(p2!.action.watched.map((w) => w.item)).toEqual(rated.slice(7, 9));
      expect(p1!.history.map((h) => h.item)).toEqual(rated.slice(0, 5));
      expect(p2!.history.map((h) => h.item)).toEqual(rated.slice(0, 7));
    }
  });

  it('mixes the human choices with training items the user never interacted with', () => {
    for (const p of pages) {
      expect(p.page).toHaveLength(4);
      const rated = new Set(RATED[p.user]);
      const negatives = p.page.filter((i) => !p.action.watched.some((w) => w.item === i));
      expect(negatives).toHaveLength(2);
      for (const n of negatives) expect(rated.has(n)).toBe(false);
      expect(p.focal !== null && p.action.watched.some((w) => w.item === p.focal)).toBe(true);
    }
  });

  it('is a pure function of the seed', () => {
    expect(buildTransitions(t, options(), new Rng(5))).toEqual(pages);
    expect(buildTransitions(t, options(), new Rng(6))).not.toEqual(pages);
  });
});

describe('alignuser fit budget (the paper states none: the largest the data allows, within a cap)', () => {
  const t = train();
  it('by default takes every page of every user the history allows', () => {
    const o = options({ fitUsers: null, pagesPerUser: null });
    const all = sampleTransitions(t, o, new Rng(5));
    // 9 ratings each, minContext 3, 2 positives per page: 3 pages for each of the 4 users.
    expect(all.transitions).toHaveLength(12);
    expect(all.possible).toBe(12);
    expect(all.users).toBe(4);
    expect(budgetText(12, 12, 4, o)).toMatch(
      /12 transitions of 4 users \(every page the training data allows; the paper states no budget\)/,
    );
  });

  it("over maxFitTransitions, pages go round-robin over the users, each user's last page first", () => {
    const o = options({ fitUsers: null, pagesPerUser: null, maxFitTransitions: 6 });
    const capped = sampleTransitions(t, o, new Rng(5));
    expect(capped.transitions).toHaveLength(6);
    expect(capped.possible).toBe(12);
    const perUser = new Map<string, number>();
    for (const x of capped.transitions) perUser.set(x.user, (perUser.get(x.user) ?? 0) + 1);
    expect([...perUser.values()].sort()).toEqual([1, 1, 2, 2]);
    // every user's pages are their last ones, in time order
    for (const [u, n] of perUser) {
      const pages = capped.transitions.filter((x) => x.user === u);
      expect(pages.at(-1)!.action.watched.map((w) => w.item)).toEqual((RATED[u] as string[]).slice(7, 9));
      expect(pages).toHaveLength(n);
    }
    expect(budgetText(6, 12, 4, o)).toContain('capped by maxFitTransitions = 6 (of 12)');
    // round 1 gives users 2, 0, 1 a page each; round 2 reaches user 2 first.
    expect(allocate([3, 1, 2], 4, [2, 0, 1])).toEqual([1, 1, 2]);
    expect(allocate([3, 1, 2], 10, [])).toEqual([3, 1, 2]);
  });

  it('an explicit budget under the cap draws exactly as before (the offline example configs set one)', () => {
    expect(sampleTransitions(t, options(), new Rng(5)).transitions).toEqual(buildTransitions(t, options(), new Rng(5)));
    expect(sampleTransitions(t, options(), new Rng(5)).transitions).toHaveLength(6);
  });
});

describe("alignuser item evidence (the release's page format)", () => {
  it("shows the mean training rating without the person's own, and their rated items most like the page item", () => {
    const t = train();
    const ev = new ItemEvidence(t, { historyRatings: true, similarItems: 2 });
    const u1 = userView('u1');
    // m4 is rated by u2 and u3 only.
    const r = t.interactions.filter((x) => x.item === 'm4').map((x) => x.rating as number);
    const line = ev.line(ITEM.get('m4')!, u1.history, u1.scale, 'u1');
    expect(line).toContain(`history ratings: ${(r.reduce((a, b) => a + b, 0) / r.length).toFixed(2)} (2 ratings)`);
    // The user's own rating is left out of the mean (fit pages show items the person rated).
    const own = t.interactions.filter((x) => x.item === 'm1' && x.user !== 'u1').map((x) => x.rating as number);
    expect(ev.line(ITEM.get('m1')!, [], u1.scale, 'u1')).toContain(
      `history ratings: ${(own.reduce((a, b) => a + b, 0) / own.length).toFixed(2)} (${own.length} ratings)`,
    );
    // Similar items: the u1 items whose raters overlap m4's most (m2: rated by u2 and u4; …), with u1's ratings.
    const similar = ev.similar(ITEM.get('m4')!, u1.history, 'u1');
    expect(similar).toHaveLength(2);
    for (const h of similar) expect(line).toContain(`"${h.item.title}" (${h.rating}/5)`);
    expect(
      new ItemEvidence(t, { historyRatings: false, similarItems: 0 }).line(ITEM.get('m4')!, u1.history, u1.scale, 'u1'),
    ).toBe('The sitcom tale 4 [Horror] — A horror story about a haunted.'.replace('sitcom', 'haunted'));
  });
});

describe('alignuser fit with a scripted LLM', () => {
  it('builds counterfactuals, world-model outcomes, reflections, item-level reflections and policy thoughts with the expected prompts', async () => {
    const s = scriptedLlm((r, n) => scripted(r, n));
    const sim = (await makeSim()) as AlignUserSimulator;
    const dir = tempDir('fit');
    await sim.fit(train(), fitContext(s.llm, dir));
    const data = (sim as unknown as { fitted: { data: { transitions: any[] } } }).fitted.data;
    expect(data.transitions).toHaveLength(6);
    // per transition: proposals, outcomes, reflection, item reflection, policy; per user: one persona
    expect(s.requests).toHaveLength(33);
    const personas = bySchema(s.requests, 'persona_generation');
    expect(personas).toHaveLength(3);
    // A user's persona is inferred from the history before their first page: no page item is in it.
    for (const r of personas) {
      const u = /occupation: job-(u\d)/.exec(userText(r))?.[1] as string;
      const first = data.transitions.find((a) => a.transition.user === u)!.transition;
      for (const id of first.page) expect(userText(r)).not.toContain(`${ITEMS.find((i) => i.id === id)!.title} [`);
    }
    for (const name of [
      'counterfactual_actions',
      'world_model_outcomes',
      'reflection',
      'item_reflection',
      'policy_thought',
    ])
      expect(bySchema(s.requests, name)).toHaveLength(6);

    const cf = bySchema(s.requests, 'counterfactual_actions');
    for (const r of cf) {
      const text = userText(r);
      expect(text).toMatch(/Persona:\nOccupation: OCC-\d+\n/);
      expect(text).toContain('From their ratings: age: 30; occupation: job-');
      expect(text).toContain('Recently rated highly');
      // The release's item format: history ratings (without the person's own) and similar items they rated.
      expect(text).toMatch(
        /i\d: The [a-z]+ tale \d+ \[[A-Za-z-]+\] — [^|]+ \| history ratings: (\d\.\d\d \(\d ratings?\)|none yet)/,
      );
      expect(text).toMatch(/\| similar items you rated: "The [a-z]+ tale \d+" \([345]\/5\)/);
      expect(text).toMatch(/What they actually did: watched i\d "The/);
      expect(text).toContain('Propose 2 other actions');
      expect(text).toMatch(/Also: the person rated i\d "The [a-z]+ tale \d+" \d\. Give a different rating/);
      expect(r.temperature).toBe(0.8);
      expect((r.schema as any).properties.alternatives.minItems).toBe(2);
    }
    // The state shows the history before the page only: a page's own items never appear among "rated" items.
    for (const a of data.transitions) {
      const cfText = userText(
        cf.find(
          (r) =>
            userText(r).includes(`job-${a.transition.user}`) &&
            a.transition.page.every((id: string) => userText(r).includes(ITEMS.find((i) => i.id === id)!.title)),
        )!,
      );
      expect(cfText).toBeTruthy();
    }

    for (const r of bySchema(s.requests, 'world_model_outcomes')) {
      const text = userText(r);
      expect(text).toContain('You are a world model');
      expect(text).toMatch(/1\. watched i\d "The [a-z]+ tale \d+" \(rated 1\); skipped/);
      expect(text).toMatch(/2\. watched i1 .*\(rated 2\).*; skipped nothing/);
    }
    for (const r of bySchema(s.requests, 'reflection')) {
      const text = userText(r);
      expect(text).toMatch(/What the person actually did: watched/);
      expect(text).toContain('contextual fit');
      expect(text).toContain('persona alignment');
      expect(text).toContain('future outcomes');
      expect(text).toMatch(/Predicted outcome: OUTCOME-\d+-1/);
      expect(text).toMatch(/Predicted outcome: OUTCOME-\d+-2/);
      expect(text).toMatch(/Why a simulator proposed it: ALT-REASON-a-\d+/);
      expect(text).toContain('The history now ends with');
    }
    // a user's first page reflects on what they really did on their next page
    expect(
      bySchema(s.requests, 'reflection').filter((r) => userText(r).includes('On their next page they watched')),
    ).toHaveLength(3);
    for (const r of bySchema(s.requests, 'item_reflection')) {
      const text = userText(r);
      expect(text).toMatch(/rated it [345] \(scale from 1 to 5/);
      expect(text).toMatch(/A simulator predicted 1 instead, reasoning: FOCAL-REASON-\d+/);
    }
    for (const r of bySchema(s.requests, 'policy_thought')) {
      const text = userText(r);
      expect(text).toMatch(/- LESSON-PAGE-\d+: this person keeps watching what they know\./);
      expect(text).toMatch(/- LESSON-ITEM-\d+: this person rates generously\./);
      expect(text).toMatch(/What they did: watched/);
    }

    for (const a of data.transitions) {
      expect(a.alternatives).toHaveLength(2);
      expect(a.alternatives[0].outcome).toMatch(/^OUTCOME-/);
      expect(a.reflection.lesson).toMatch(/^LESSON-PAGE-/);
      expect(a.reflection.comparisons).toHaveLength(2);
      expect(a.itemReflection.lesson).toMatch(/^LESSON-ITEM-/);
      expect(a.itemReflection.altRating).toBe(1);
      expect(a.policy.thought).toMatch(/^THOUGHT-/);
      expect(Object.keys(a.policy.reasons).sort()).toEqual([...a.transition.page].sort());
    }
  });

  it('drops alternatives that repeat the human action or each other, and skips the reflection when none is left', async () => {
    const s = scriptedLlm((r, n) => {
      if (r.schemaName !== 'counterfactual_actions') return scripted(r, n);
      // "repeat" the human action: the page codes whose item the prompt lists as watched
      const text = userText(r);
      const human = [...text.matchAll(/(i\d) "[^"]+" \(rated (\d)\)/g)].filter(
        (m) => text.indexOf(m[0]) > text.indexOf('What they actually did'),
      );
      const watched = human.map((m) => ({ item: m[1], rating: Number(m[2]) }));
      return JSON.stringify({
        alternatives: [
          { reasoning: 'same', watched },
          { reasoning: 'same again', watched },
        ],
        focal: { rating: Number(/the person rated i\d "[^"]+" (\d)\./.exec(text)?.[1]), reasoning: 'same rating' },
      });
    });
    const sim = await makeSim();
    await sim.fit!(train(), fitContext(s.llm, tempDir('drop')));
    const data = (sim as unknown as { fitted: { data: { transitions: any[] } } }).fitted.data;
    for (const a of data.transitions) {
      expect(a.alternatives).toHaveLength(0);
      expect(a.dropped).toBe(2);
      expect(a.reflection).toBeNull();
      expect(a.itemReflection).toBeNull();
    }
    expect(bySchema(s.requests, 'world_model_outcomes')).toHaveLength(0);
    expect(bySchema(s.requests, 'reflection')).toHaveLength(0);
    expect(userText(bySchema(s.requests, 'policy_thought')[0]!)).toContain(
      '(none: the alternatives were no different)',
    );
  });

  it('puts the lessons and similar transitions into the in-context inference prompt', async () => {
    const s = scriptedLlm((r, n) => scripted(r, n));
    const sim = await makeSim();
    await sim.fit!(train(), fitContext(s.llm, tempDir('lessons')));
    const before = s.requests.length;
    const items = [ITEMS[0]!, ITEMS[1]!, ITEMS[3]!];
    await sim.discriminate!(userView('u2'), items, unit(s.llm));
    const after = s.requests.slice(before);
    expect(after.map((r) => r.schemaName)).toEqual(['persona_generation', 'screening', 'selection_like']);
    const [, screen, select] = after;
    for (const r of [screen!, select!]) {
      const text = userText(r);
      // The world model's next-state demonstrations: the real next state and the predicted outcome of an alternative.
      expect(text).toContain('How the service responds (world model)');
      expect(text).toMatch(/- On a page of "The [^\n]+: watched "The [^\n]+ → The history now ends with/);
      expect(text).toMatch(/\n {2}· watched [^\n]+ instead: OUTCOME-\d+-\d/);
      expect(text).toContain("Lessons learned from comparing real people's choices");
      expect(text).toMatch(/- LESSON-(PAGE|ITEM)-\d+/);
      expect(text).toContain('Similar situations and what the real person did:');
      expect(text).toMatch(
        /1\. On a page of 4 items a real person watched "The [a-z]+ tale \d+" \[[A-Za-z-]+\] \(rated \d\)/,
      );
    }
  });

  it('reuses its artifacts: a second fit with a fresh store on the same directory makes no LLM call and retrieves the same lessons', async () => {
    const dir = tempDir('rerun');
    const first = scriptedLlm((r, n) => scripted(r, n));
    const sim1 = await makeSim();
    await sim1.fit!(train(), fitContext(first.llm, dir));
    expect(first.requests.length).toBe(33);
    const files = readdirSync(join(dir, 'artifacts'));
    // the whole data + one per transition + one persona per user, each with the record of the calls that made it
    expect(files.filter((f) => !f.endsWith('.calls.json')).length).toBe(10);
    expect(files.filter((f) => f.endsWith('.calls.json')).length).toBe(10);

    const second = scriptedLlm(() => {
      throw new Error('no LLM call expected');
    });
    const sim2 = await makeSim();
    const { log, lines } = makeLog();
    const ctx = fitContext(second.llm, dir, log);
    await sim2.fit!(train(), ctx);
    expect(second.requests).toHaveLength(0);
    expect((ctx.artifacts as ArtifactStore).hits).toBe(1);
    expect((ctx.artifacts as ArtifactStore).misses).toBe(0);
    expect(lines.join('\n')).toMatch(/6 transitions and 12 lessons ready for retrieval/);

    // the same inference prompt as with the first fit
    const a = scriptedLlm((r, n) => scripted(r, n));
    const b = scriptedLlm((r, n) => scripted(r, n));
    await sim1.rate!(userView('u1'), ITEMS.slice(10, 13), unit(a.llm));
    await sim2.rate!(userView('u1'), ITEMS.slice(10, 13), unit(b.llm));
    expect(a.requests.map(userText)).toEqual(b.requests.map(userText));
  });

  it('refits when the LLM, the options or a template change', async () => {
    const dir = tempDir('keys');
    const s = scriptedLlm((r, n) => scripted(r, n));
    await (await makeSim()).fit!(train(), fitContext(s.llm, dir));
    const n0 = s.requests.length;
    await (await makeSim()).fit!(train(), fitContext({ ...s.llm, model: 'other-model' }, dir));
    expect(s.requests.length).toBe(2 * n0);
    await (await makeSim({ counterfactuals: 1 })).fit!(train(), fitContext(s.llm, dir));
    expect(s.requests.length).toBeGreaterThan(2 * n0);
    // inference-only options leave the artifacts valid
    const n1 = s.requests.length;
    await (await makeSim({ retrieveLessons: 1, pollMs: 5 })).fit!(train(), fitContext(s.llm, dir));
    expect(s.requests.length).toBe(n1);
  });

  it('a reply still malformed after its repair turn leaves its transition out, recorded with stage, item and raw reply; with none left the fit is unusable', async () => {
    const s = scriptedLlm((r, n) => (r.schemaName === 'reflection' ? '{"lesson": 3}' : scripted(r, n)));
    const sim = await makeSim({ fitUsers: 1, pagesPerUser: 1, persona: 'summary' });
    const trail = newTrail(true);
    const dir = tempDir('bad');
    await withTrail(trail, () => sim.fit!(train(), fitContext(s.llm, dir)));
    const report = trail.fit!;
    expect(report).toMatchObject({ attempted: 1, succeeded: 0, failed: 1, failedByKind: { parse: 1 } });
    expect(report.failures[0]).toMatchObject({ stage: 'reflection', reply: '{"lesson": 3}' });
    expect(report.failures[0]?.item).toMatch(/#/);
    expect(report.failures[0]?.message).toMatch(/invalid after one repair turn/);
    expect(report.unusable).toMatch(/all 1 items/);
    // Nothing whole was stored: the next fit makes the data again.
    expect(trail.tainted).toBe(true);
    expect(existsSync(join(dir, 'artifacts'))).toBe(false);
    const refl = bySchema(s.requests, 'reflection');
    expect(refl).toHaveLength(2);
    expect(refl[1]!.messages.at(-1)!.content).toMatch(/could not be used: the JSON does not match the schema/);
  });

  it('needs an LLM to fit', async () => {
    const sim = await makeSim();
    await expect(sim.fit!(train(), fitContext(null, tempDir('nollm')))).rejects.toThrow(
      /alignuser needs an LLM to fit/,
    );
  });
});
