import { describe, expect, it } from 'vitest';
import { LlmParseError, type Item, type LlmRequest } from '../../../../harness/plugin-api.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import { perceive } from '../../../../plugins/methods/simuser/perception.ts';
import {
  bestCandidate,
  PersonaMatcher,
  personaText,
  scoreCandidate,
  TrainPopulation,
  type PersonaOptions,
} from '../../../../plugins/methods/simuser/persona.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import {
  codesOf,
  defaultReply,
  ITEMS,
  lastUser,
  OTHER_RATINGS,
  persona,
  prompts,
  train,
  U_RATINGS,
  userU,
} from './fixtures.ts';

const describeItem = (i: Item) => perceive(i, 200);
const OPTS: PersonaOptions = {
  historyItems: 50,
  candidates: 3,
  scoring: 'mae-contrast',
  ownItems: 4,
  otherItems: 3,
  contrastWeight: 0.5,
  temperature: 0,
  maxTokens: 1000,
};
const matcher = (o: Partial<PersonaOptions> = {}, withPopulation = true) =>
  new PersonaMatcher(
    {
      system: prompts['system']!,
      summarise: prompts['summarise']!,
      propose: prompts['propose']!,
      score: prompts['score']!,
    },
    { ...OPTS, ...o },
    7,
    describeItem,
    () => (withPopulation ? new TrainPopulation(train()) : null),
  );

const titleToId = new Map(Object.values(ITEMS).map((i) => [i.title, i.id]));
const otherRating = new Map(OTHER_RATINGS.map(([, item, r]) => [item, r]));

/**
 * Persona "oracle" predicts every rating exactly (own and other);
 * "specific" predicts the user's own ratings exactly and strangers' 2 stars off;
 * "wrong" is 2 stars off on the user's own items.
 */
function predictAs(r: LlmRequest): string {
  const text = lastUser(r);
  const who = /occupation: (\w+)/.exec(text)?.[1];
  const out: Record<string, number> = {};
  for (const code of codesOf(r)) {
    const title = new RegExp(`^${code}: "([^"]+)"`, 'm').exec(text)?.[1] ?? '';
    const id = titleToId.get(title) as string;
    const own = U_RATINGS[id];
    const truth = own ?? (otherRating.get(id) as number);
    const off = (t: number) => (t <= 3 ? t + 2 : t - 2);
    out[code] = who === 'oracle' ? truth : who === 'specific' ? (own !== undefined ? truth : off(truth)) : off(truth);
  }
  return JSON.stringify(out);
}

function script(r: LlmRequest, n: number): string {
  if (r.schemaName === 'persona_candidates')
    return JSON.stringify({ personas: [persona('oracle'), persona('specific'), persona('wrong')] });
  if (r.schemaName === 'persona_ratings') return predictAs(r);
  return defaultReply(r, n);
}

describe('persona matching', () => {
  it('the summary prompt says what the code does: a random selection of the history, not the most recent items', async () => {
    const s = scriptedLlm(script);
    const u = userU();
    const k = Math.max(1, u.history.length - 2);
    await matcher({ historyItems: k }).get(u, s.llm);
    const summary = promptText(s.requests[0]!);
    expect(summary).not.toMatch(/most recent/i);
    expect(summary).toContain(`Here are ${k} items this person chose, drawn at random from their history`);
    // The sample is the seeded random one, not simply the latest k.
    const shown = u.history.filter((h) => summary.includes(`: ${perceive(h.item, 200)}`));
    expect(shown).toHaveLength(k);
    const draws = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
      new Rng(seed)
        .sample(u.history, k)
        .map((h) => h.item.id)
        .sort()
        .join(','),
    );
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it('summarises the history, proposes K personas, scores each with one call, keeps the best', async () => {
    const s = scriptedLlm(script);
    const m = await matcher().get(userU(), s.llm);
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'history_summary',
      'persona_candidates',
      'persona_ratings',
      'persona_ratings',
      'persona_ratings',
    ]);
    expect(matcher().callsFor(userU())).toBe(5);

    const summary = promptText(s.requests[0]!);
    expect(summary).toContain('age: 35; occupation: engineer');
    for (const [id, r] of Object.entries(U_RATINGS))
      expect(summary).toContain(`- rated ${r}: ${perceive(ITEMS[id]!, 200)}`);
    expect(summary).toContain('1 to 5');

    const propose = promptText(s.requests[1]!);
    expect(propose).toContain('SUMMARY: loves starships');
    expect(propose).toContain('Propose 3 different candidate personas');
    expect(
      (s.requests[1]!.schema as { properties: { personas: { minItems: number; maxItems: number } } }).properties
        .personas,
    ).toMatchObject({ minItems: 3, maxItems: 3 });

    // each scoring call carries its persona, 4 own + 3 other items, and no rating
    for (const [k, who] of ['oracle', 'specific', 'wrong'].entries()) {
      const r = s.requests[2 + k]!;
      expect(lastUser(r)).toContain(personaText(persona(who)));
      expect(codesOf(r)).toHaveLength(7);
      expect(lastUser(r)).not.toMatch(/rated \d|you gave/i);
      expect(r.schema).toMatchObject({ properties: { r1: { type: 'integer', minimum: 1, maximum: 5 } } });
    }
    // all candidates rate the same items in the same order
    const items = (r: LlmRequest) =>
      lastUser(r)
        .split('\n')
        .filter((l) => /^r\d+: /.test(l));
    expect(items(s.requests[3]!)).toEqual(items(s.requests[2]!));
    expect(items(s.requests[4]!)).toEqual(items(s.requests[2]!));
    // the other users' items are items u never rated
    const ownIds = new Set(Object.keys(U_RATINGS));
    const sampled = items(s.requests[2]!).map((l) => titleToId.get(/"([^"]+)"/.exec(l)?.[1] ?? '') as string);
    expect(sampled.filter((id) => ownIds.has(id))).toHaveLength(4);
    expect(sampled.filter((id) => !ownIds.has(id)).every((id) => otherRating.has(id))).toBe(true);

    // score = −MAE(own) + 0.5·MAE(other)
    expect(m.candidates.map((c) => [c.ownMae, c.otherMae, c.score])).toEqual([
      [0, 0, 0],
      [0, 2, 1],
      [2, 2, -1],
    ]);
    expect(m.chosen).toBe(1);
    expect(m.persona.occupation).toBe('specific');
    expect(m.summary).toMatch(/^SUMMARY/);
  });

  it('without the contrast term the tie between equally good personas goes to the first', async () => {
    const s = scriptedLlm(script);
    const m = await matcher({ contrastWeight: 0 }).get(userU(), s.llm);
    expect(m.candidates.map((c) => c.score)).toEqual([0, 0, -2]);
    expect(m.persona.occupation).toBe('oracle');
    const own = { item: ITEMS['a']!, rating: 5, own: true };
    expect(scoreCandidate(persona('a'), [own], [4], 'mae-contrast', 0.5).score).toBe(-1);
    expect(bestCandidate([scoreCandidate(persona('a'), [], [], 'mae-contrast', 0.5)])).toBe(0);
  });

  it('without fit (no population) only the user’s own items are rated', async () => {
    const s = scriptedLlm(script);
    const m = await matcher({}, false).get(userU(), s.llm);
    expect(codesOf(s.requests[2]!)).toHaveLength(4);
    expect(m.candidates.map((c) => c.otherMae)).toEqual([null, null, null]);
    expect(m.persona.occupation).toBe('oracle');
  });

  it('one candidate, or no rating scale: no scoring calls', async () => {
    const one = scriptedLlm((r, n) =>
      r.schemaName === 'persona_candidates' ? JSON.stringify({ personas: [persona('solo')] }) : defaultReply(r, n),
    );
    const m1 = await matcher({ candidates: 1 }).get(userU(), one.llm);
    expect(one.requests.map((r) => r.schemaName)).toEqual(['history_summary', 'persona_candidates']);
    expect(m1.persona.occupation).toBe('solo');
    const implicit = scriptedLlm(script);
    const m2 = await matcher().get({ ...userU(), scale: null }, implicit.llm);
    expect(implicit.requests).toHaveLength(2);
    expect(m2.chosen).toBe(0);
  });

  it('the samples depend on the run seed and the user only; the summary covers a random historyItems of the history, oldest first', async () => {
    const a = scriptedLlm(script);
    const b = scriptedLlm(script);
    await matcher().get(userU(), a.llm);
    await matcher().get(userU(), b.llm);
    expect(promptText(b.requests[0]!)).toBe(promptText(a.requests[0]!));
    expect(promptText(b.requests[2]!)).toBe(promptText(a.requests[2]!));
    const shown = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const c = scriptedLlm(script);
      const m = new PersonaMatcher(
        {
          system: prompts['system']!,
          summarise: prompts['summarise']!,
          propose: prompts['propose']!,
          score: prompts['score']!,
        },
        { ...OPTS, historyItems: 2 },
        seed,
        describeItem,
        () => null,
      );
      await m.get(userU(), c.llm);
      const lines = lastUser(c.requests[0]!)
        .split('\n')
        .filter((l) => l.startsWith('- rated '));
      expect(lines).toHaveLength(2);
      const order = lines.map((l) =>
        Object.keys(U_RATINGS).indexOf(titleToId.get(/"([^"]+)"/.exec(l)?.[1] ?? '') as string),
      );
      expect(order[0]).toBeLessThan(order[1]!);
      for (const l of lines) shown.add(l);
    }
    // different seeds pick different items
    expect(shown.size).toBeGreaterThan(2);
  });

  it('rating-gap scoring (the paper’s Σ r̂(own) − Σ r̂(other), as means) needs no real ratings', async () => {
    const gap = (r: LlmRequest, n: number): string => {
      if (r.schemaName === 'persona_candidates')
        return JSON.stringify({ personas: [persona('neutral'), persona('fan'), persona('contrarian')] });
      if (r.schemaName !== 'persona_ratings') return defaultReply(r, n);
      const text = lastUser(r);
      const who = /occupation: (\w+)/.exec(text)?.[1];
      return JSON.stringify(
        Object.fromEntries(
          codesOf(r).map((code) => {
            const title = new RegExp(`^${code}: "([^"]+)"`, 'm').exec(text)?.[1] ?? '';
            const own = titleToId.get(title)! in U_RATINGS;
            return [code, who === 'neutral' ? 3 : who === 'fan' ? (own ? 5 : 1) : own ? 1 : 5];
          }),
        ),
      );
    };
    const s = scriptedLlm(gap);
    const m = await matcher({ scoring: 'rating-gap' }).get(userU(), s.llm);
    expect(m.candidates.map((c) => [c.ownMean, c.otherMean, c.score, c.ownMae])).toEqual([
      [3, 3, 0, null],
      [5, 1, 4, null],
      [1, 5, -4, null],
    ]);
    expect(m.persona.occupation).toBe('fan');
    // implicit feedback: still scored, on a 1–5 scale
    const implicit = scriptedLlm(gap);
    const user = { ...userU(), scale: null, history: userU().history.map((h) => ({ ...h, rating: null })) };
    const mi = await matcher({ scoring: 'rating-gap' }).get(user, implicit.llm);
    expect(implicit.requests.filter((r) => r.schemaName === 'persona_ratings')).toHaveLength(3);
    expect(lastUser(implicit.requests[2]!)).toContain('on a scale from 1 to 5');
    expect(mi.persona.occupation).toBe('fan');
  });

  it('is built once per user for concurrent callers; a failed build is shared too (one error, one set of calls), a new matcher builds again', async () => {
    const s = scriptedLlm(script);
    const mm = matcher();
    const [x, y] = await Promise.all([mm.get(userU(), s.llm), mm.get(userU(), s.llm)]);
    expect(x).toBe(y);
    expect(s.requests).toHaveLength(5);

    let broken = true;
    const flaky = scriptedLlm((r, n) => (broken && r.schemaName === 'history_summary' ? 'not json' : script(r, n)));
    const m2 = matcher();
    await expect(m2.get(userU(), flaky.llm)).rejects.toBeInstanceOf(LlmParseError);
    expect(flaky.requests).toHaveLength(2);
    expect(promptText(flaky.requests[1]!)).toMatch(/could not be used/);
    broken = false;
    await expect(m2.get(userU(), flaky.llm)).rejects.toBeInstanceOf(LlmParseError);
    expect(flaky.requests).toHaveLength(2);
    const ok = await matcher().get(userU(), flaky.llm);
    expect(ok.persona.occupation).toBe('specific');
  });

  it('TrainPopulation samples other users’ ratings on distinct items the user has not rated', () => {
    const pop = new TrainPopulation(train());
    const got = pop.sampleOthers('u', new Set(Object.keys(U_RATINGS)), 10, new Rng(1));
    const ids = got.map((x) => x.item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(['g', 'h', 'i', 'j', 'x']);
    for (const x of got) expect(x.rating).toBe(otherRating.get(x.item.id));
  });
});
