import { describe, expect, it } from 'vitest';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import { LlmParseError, UnitError, type LlmRequest } from '../../../../harness/plugin-api.ts';
import { personaSummary, PersonaBook } from '../../../../plugins/methods/alignuser/persona.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import { codesAt, ITEMS, makeSim, scripted, userText, userView } from './fixtures.ts';
import { unit } from './fixtures.ts';

const candidates = [ITEMS[4]!, ITEMS[7]!, ITEMS[13]!];

describe('alignuser persona and state', () => {
  it('summarises demographics, rating habits and genres from the training history only', () => {
    const u = userView('u1');
    const p = personaSummary(u.attributes, u.history, u.scale);
    expect(p).toMatch(
      /^age: 30; occupation: job-u1\. Has rated 9 items, \d\.\d on average on a 1–5 scale\. Watches most: /,
    );
    expect(p).toContain('Sci-Fi (');
  });

  it("builds each user's state once; persona: summary makes no call", async () => {
    const book = new PersonaBook({ maxLiked: 2, maxDisliked: 1 }, null);
    const u = userView('u1');
    const s = await book.stateOf(u, null);
    expect(await book.stateOf(u, null)).toBe(s);
    expect(s.persona).toBe(personaSummary(u.attributes, u.history, u.scale));
    expect(s.liked.split('\n')).toHaveLength(2);
    expect(s.liked).toMatch(/^- The [a-z]+ tale 11 \[Comedy\] — .* \(rated \d\)/);
  });

  it("persona: generated infers occupation, age range, Big Five, pickiness and habits in one call per user (the release's persona)", async () => {
    const s = scriptedLlm((r, n) => scripted(r, n));
    const sim = await makeSim();
    const u = userView('u1');
    await Promise.all([sim.discriminate!(u, candidates, unit(s.llm)), sim.rate!(u, candidates, unit(s.llm))]);
    const gen = s.requests.filter((r) => r.schemaName === 'persona_generation');
    expect(gen).toHaveLength(1);
    const text = userText(gen[0]!);
    expect(text).toContain('Known facts about this person: age: 30; occupation: job-u1');
    expect(text).toMatch(/Items they rated highly:\n- The /);
    expect(text).toContain('Big Five');
    expect(text).toContain('pickiness');
    const screen = s.requests.find((r) => r.schemaName === 'screening')!;
    expect(userText(screen)).toContain(
      'Persona:\nOccupation: OCC-0\nAge range: 25-34\nBig Five traits (1 = low, 2 = medium, 3 = high): openness 3, conscientiousness 2, extraversion 1, agreeableness 2, neuroticism 1\nPickiness (1 = low, 2 = medium, 3 = high): 2\nHabits: HABITS-0: watches at weekends.\nFrom their ratings: age: 30; occupation: job-u1. Has rated 9 items',
    );
  });
});

describe('alignuser inference: screening then selection', () => {
  it('screens every candidate, then selects with the screening in the prompt; answers are matched by item id', async () => {
    const s = scriptedLlm((r, n) => scripted(r, n));
    const sim = await makeSim();
    const out = await sim.discriminate!(userView('u1'), candidates, unit(s.llm));
    expect(s.requests.map((r) => r.schemaName)).toEqual(['persona_generation', 'screening', 'selection_like']);
    const [, screen, select] = s.requests as [LlmRequest, LlmRequest, LlmRequest];
    for (const r of [screen, select]) {
      const text = userText(r);
      expect(text).toContain('From their ratings: age: 30; occupation: job-u1.');
      expect(text).toMatch(/Recently rated highly \(most recent first\):\n- The sitcom tale 11/);
      expect(text).toContain('i1: The starship tale 5 [Sci-Fi]');
      expect(text).toContain('i3: The harbour tale 14 [Drama]');
      // not fitted: no retrieved experience
      expect(text).not.toContain('Lessons learned');
    }
    expect(codesAt(screen.schema, ['items'])).toEqual(['i1', 'i2', 'i3']);
    expect(userText(select)).toContain(
      'Your first screening of the page:\ni1: watch (SCREEN-i1)\ni2: watch (SCREEN-i2)',
    );
    expect(Object.keys((select.schema as any).properties)).toEqual(['reasoning', 'items']);
    expect(out).toEqual([
      { item: 'm5', like: true, reason: 'WHY-i1' },
      { item: 'm8', like: false, reason: 'WHY-i2' },
      { item: 'm14', like: true, reason: 'WHY-i3' },
    ]);
  });

  it("rates on the user's scale: integers on star scales, numbers snapped to the step otherwise", async () => {
    const s = scriptedLlm((r, n) => scripted(r, n, { rating: 4 }));
    const sim = await makeSim();
    const out = await sim.rate!(userView('u1'), candidates, unit(s.llm));
    expect(out.map((p) => p.rating)).toEqual([4, 4, 4]);
    const select = s.requests[2]!;
    expect(select.schemaName).toBe('selection_rating');
    expect((select.schema as any).properties.items.properties.i1.properties.rating).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    });
    expect(userText(select)).toContain('from 1 to 5 (steps of 1)');

    const half = scriptedLlm((r, n) => scripted(r, n, { rating: 3.3 }));
    const u = { ...userView('u1'), scale: { min: 0.5, max: 5, step: 0.5 } };
    const out2 = await sim.rate!(u, candidates, unit(half.llm));
    expect(out2.map((p) => p.rating)).toEqual([3.5, 3.5, 3.5]);
    expect((half.requests[1]!.schema as any).properties.items.properties.i1.properties.rating).toEqual({
      type: 'number',
      minimum: 0.5,
      maximum: 5,
    });
  });

  it('repairs a malformed reply once', async () => {
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'screening' && n === 1 ? '{"items": {"i1": {"decision": "maybe"}}}' : scripted(r, n),
    );
    const sim = await makeSim();
    const out = await sim.discriminate!(userView('u1'), candidates, unit(s.llm));
    expect(out).toHaveLength(3);
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'persona_generation',
      'screening',
      'screening',
      'selection_like',
    ]);
    expect(s.requests[2]!.messages.at(-1)!.content).toMatch(/could not be used: the JSON does not match the schema/);
  });

  it('records a reply still malformed after the repair as a parse error of the unit', async () => {
    const s = scriptedLlm((r, n) => (r.schemaName === 'selection_like' ? 'I like them all!' : scripted(r, n)));
    const sim = await makeSim();
    const err = await preferenceDiscrimination
      .run(sim, userView('u1'), candidates, unit(s.llm))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
    expect(s.requests.filter((r) => r.schemaName === 'selection_like')).toHaveLength(2);

    const r2 = scriptedLlm((r, n) =>
      r.schemaName === 'selection_rating'
        ? '{"reasoning": "x", "items": {"i1": {"rating": 9, "rationale": "y"}}}'
        : scripted(r, n),
    );
    const err2 = await rating.run(sim, userView('u1'), candidates, unit(r2.llm)).catch((e: unknown) => e);
    expect((err2 as UnitError).kind).toBe('parse');
  });

  it('a trained-model backend refuses to run on a model that was not trained on its data', async () => {
    const s = scriptedLlm((r, n) => scripted(r, n));
    const exp = await makeSim({ training: 'export' });
    const err = await exp.discriminate!(userView('u1'), candidates, unit(s.llm)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnitError);
    expect((err as UnitError).kind).toBe('method');
    expect((err as Error).message).toMatch(
      /training: export\) needs the model trained from its data, but the run's LLM is scripted/,
    );
    expect(s.requests).toHaveLength(0);

    const served = await makeSim({ training: 'export', trainedModel: 'usersim' });
    const out = await served.discriminate!(userView('u1'), candidates, unit({ ...s.llm, model: 'usersim' }));
    expect(out).toHaveLength(3);
    expect(userText(s.requests[1]!)).not.toContain('Lessons learned');
  });

  it('needs an LLM', async () => {
    const sim = await makeSim();
    const err = await sim.discriminate!(userView('u1'), candidates, unit(null)).catch((e: unknown) => e);
    expect((err as UnitError).kind).toBe('method');
  });
});
