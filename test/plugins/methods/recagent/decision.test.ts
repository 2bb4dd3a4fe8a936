import { describe, expect, it } from 'vitest';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import {
  LlmParseError,
  type UnitError,
  type Item,
  type Llm,
  type UnitContext,
} from '../../../../harness/plugin-api.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { codesOf, defaultReply, ITEMS, lastUser, makeSim, unit, userU } from './fixtures.ts';

const candidates = [ITEMS['x'] as Item, ITEMS['y'] as Item];
const byName = (names: (string | undefined)[], name: string) => names.filter((n) => n === name).length;

describe('RecAgent decisions', () => {
  it('discrimination: one page prompt with profile, retrieved memories and every item; watch → like', async () => {
    const sim = await makeSim({ reflectionThreshold: 5, reinforceThreshold: 0.1 });
    const s = scriptedLlm((r, n) => defaultReply(r, n, { watch: (c) => c === 'i1' }));
    const out = await sim.discriminate!(userU(), candidates, unit(s.llm));
    expect(out).toEqual([
      { item: 'x', like: true, reason: 'REASON-i1' },
      { item: 'y', like: false, reason: 'REASON-i2' },
    ]);
    const page = s.requests.find((r) => r.schemaName === 'page_choices')!;
    const text = promptText(page);
    expect(text).toContain('occupation: engineer');
    expect(text).toContain('Your interests: Sci-Fi');
    expect(text).toContain('Starship Orphans');
    expect(text).toContain('Knitting Circle');
    // memories: a seed observation about a starship film is recalled by the starship candidate
    expect(lastUser(page)).toMatch(/I chose (Star Voyage|Nebula Wars|Moon Colony)/);
    expect(codesOf(page)).toEqual(['i1', 'i2']);
    // the items appear under codes, never under their ids
    expect(lastUser(page)).not.toMatch(/\bx:/);
  });

  it("builds a user's memory once, however many units of that user run concurrently", async () => {
    const sim = await makeSim();
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await Promise.all([
      sim.discriminate!(userU(), candidates, unit(s.llm)),
      sim.rate!(userU(), candidates, unit(s.llm)),
      sim.discriminate!(userU(), [ITEMS['x'] as Item], unit(s.llm)),
    ]);
    const names = s.requests.map((r) => r.schemaName);
    expect(byName(names, 'importance')).toBe(1);
    expect(byName(names, 'page_choices')).toBe(2);
    expect(byName(names, 'ratings')).toBe(1);
    // the importance call saw every seed observation (five training items)
    expect(codesOf(s.requests.find((r) => r.schemaName === 'importance')!)).toHaveLength(5);
  });

  it("in a run the seeded memory is per-user state: built once through ctx.perUser, charged to the state's LLM, copied for each unit", async () => {
    const sim = await makeSim({ keepBrowsing: true });
    const states = new Map<string, Promise<unknown>>();
    const asked: string[] = [];
    const stateLlm = scriptedLlm((r, n) => defaultReply(r, n));
    const perUser = <T>(user: string, name: string, build: (llm: Llm | null) => Promise<T>): Promise<T> => {
      asked.push(`${user}|${name}`);
      const key = `${user}|${name}`;
      if (!states.has(key)) states.set(key, build(stateLlm.llm));
      return states.get(key) as Promise<T>;
    };
    const withState = (llm: Llm): UnitContext => ({ ...unit(llm), perUser });
    const a = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.discriminate!(userU(), candidates, withState(a.llm));
    // a visit that writes to memory (watch, next page, then leave on page 2) must not reach the next unit
    const visit = scriptedLlm((r, n) =>
      defaultReply(r, n, { action: (_r, k) => (k < 3 ? { type: 'watch', item: 'i1' } : { type: 'next' }) }),
    );
    const pages = [
      { number: 1, items: [ITEMS['x'] as Item] },
      { number: 2, items: [ITEMS['y'] as Item] },
      { number: 3, items: [ITEMS['e'] as Item] },
    ];
    await sim.browse!(userU(), pages, withState(visit.llm));
    expect(visit.requests.filter((r) => r.schemaName === 'importance').length).toBeGreaterThan(0);
    const b = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.discriminate!(userU(), candidates, withState(b.llm));
    expect(asked).toEqual(['u|memory', 'u|memory', 'u|memory']);
    // the seeding calls went to the state's LLM only, once
    expect(stateLlm.requests.map((r) => r.schemaName)).toEqual(['importance']);
    expect(a.requests.map((r) => r.schemaName)).toEqual(['page_choices']);
    // the same prompt before and after the visit: the unit saw the pre-unit memory
    expect(promptText(b.requests[0]!)).toBe(promptText(a.requests[0]!));
  });

  it('insights and reflections written while seeding reach the decision prompt as memories', async () => {
    const sim = await makeSim({
      reinforceThreshold: 0.05,
      reinforcementsToPromote: 2,
      reflectionThreshold: 1,
      memoriesPerItem: 10,
      maxMemories: 20,
    });
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.discriminate!(userU(), candidates, unit(s.llm));
    const names = s.requests.map((r) => r.schemaName);
    expect(names).toEqual(['importance', 'insights', 'reflection', 'page_choices']);
    const page = lastUser(s.requests[3]!);
    expect(page).toContain('INSIGHT-g1');
    expect(page).toContain('REFLECTION-');
  });

  it('rating: ratings on the dataset scale, the prompt carries scale, profile and items', async () => {
    const sim = await makeSim();
    const s = scriptedLlm((r, n) => defaultReply(r, n, { rating: 2 }));
    const out = await sim.rate!(userU(), candidates, unit(s.llm));
    expect(out).toEqual([
      { item: 'x', rating: 2 },
      { item: 'y', rating: 2 },
    ]);
    const req = s.requests.find((r) => r.schemaName === 'ratings')!;
    expect(lastUser(req)).toContain('from 1 to 5');
    expect(lastUser(req)).toContain('average was 3.6');
    expect((req.schema as { properties: Record<string, { type: string }> }).properties['i1']?.type).toBe('integer');
  });

  it('rating: half-star scales get number ratings snapped to the grid', async () => {
    const sim = await makeSim();
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'ratings'
        ? JSON.stringify(Object.fromEntries(codesOf(r).map((c) => [c, 3.7])))
        : defaultReply(r, n),
    );
    const u = { ...userU(), scale: { min: 0.5, max: 5, step: 0.5 } };
    const out = await sim.rate!(u, candidates, unit(s.llm));
    expect(out.map((p) => p.rating)).toEqual([3.5, 3.5]);
  });

  it('a malformed decision is repaired once, then recorded by the task as a parse error', async () => {
    const sim = await makeSim();
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'page_choices' ? '{"i1": {"watch": "maybe"}}' : defaultReply(r, n),
    );
    const err = await preferenceDiscrimination.run(sim, userU(), candidates, unit(s.llm)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
    const pages = s.requests.filter((r) => r.schemaName === 'page_choices');
    expect(pages).toHaveLength(2);
    expect(promptText(pages[1]!)).toContain('could not be used');
  });

  it('a malformed importance reply while seeding fails the unit, and the other units of that user share that error without calling again', async () => {
    const sim = await makeSim();
    let bad = true;
    const s = scriptedLlm((r, n) => (r.schemaName === 'importance' && bad ? 'not json' : defaultReply(r, n)));
    const err = await rating.run(sim, userU(), candidates, unit(s.llm)).catch((e: unknown) => e);
    expect((err as UnitError).kind).toBe('parse');
    const calls = s.requests.length;
    bad = false;
    const again = await rating.run(sim, userU(), candidates, unit(s.llm)).catch((e: unknown) => e);
    expect(again).toBe(err);
    expect(s.requests.length).toBe(calls);
    // A new simulator (the next run, e.g. with --retry-errors) builds the user again.
    const ok = await rating.run(await makeSim(), userU(), candidates, unit(s.llm));
    expect(ok).toEqual({ x: 4, y: 4 });
  });
});
