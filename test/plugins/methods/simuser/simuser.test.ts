import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { emptyTotals } from '../../../../harness/llm/usage-meter.ts';
import {
  LlmParseError,
  type UnitError,
  UserViews,
  type FitContext,
  type Item,
  type Llm,
  type UnitContext,
} from '../../../../harness/plugin-api.ts';
import { trainDataOf } from '../../../../harness/data/train-view.ts';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { rating } from '../../../../plugins/tasks/rating/index.ts';
import { ArtifactStore } from '../../../../harness/artifacts/artifact-store.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import { methods } from '../../../../plugins/methods/index.ts';
import simuser from '../../../../plugins/methods/simuser/index.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { defaultReply, ITEMS, lastUser, makeSim, offlineWorld, train, userU } from './fixtures.ts';

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
const candidates: Item[] = [ITEMS['x']!, ITEMS['y']!, ITEMS['g']!];
const names = (s: { requests: { schemaName?: string }[] }) => s.requests.map((r) => r.schemaName);

describe('simuser plugin', () => {
  it('is registered, declares its prompts, and every option has a default and a description', async () => {
    expect((await methods['simuser']!()).default).toBe(simuser);
    expect(simuser.capabilities).toEqual(['discriminate', 'rate', 'browse', 'nextAction']);
    expect(simuser.usesLlm).toBe(true);
    expect(Object.keys(simuser.prompts ?? {}).sort()).toEqual([
      'askLike',
      'askRate',
      'elicit',
      'evaluate',
      'exitInterview',
      'page',
      'propose',
      'refine',
      'refinePage',
      'reflect',
      'score',
      'shopElicit',
      'shopPropose',
      'shopRefine',
      'shopScore',
      'shopSelect',
      'shopSummarise',
      'shopSystem',
      'summarise',
      'system',
    ]);
    const schema = simuser.options as unknown as {
      additionalProperties: boolean;
      properties: Record<string, { default?: unknown; description?: string }>;
    };
    expect(schema.additionalProperties).toBe(false);
    for (const [k, p] of Object.entries(schema.properties)) {
      expect(p.default, k).toBeDefined();
      expect(p.description, k).toBeTruthy();
    }
    expect(Value.Check(simuser.options, Value.Default(simuser.options, {}))).toBe(true);
  });

  it('first unit of a user: persona matching (2 + K calls), elicitation, then 3 calls; later units: 3 calls', async () => {
    const sim = await makeSim({ crossUnitMemory: true });
    await sim.fit!(train(), fitCtx());
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const out = await sim.discriminate!(userU(), candidates, unit(s.llm));
    expect(out.map((j) => j.item)).toEqual(['x', 'y', 'g']);
    expect(out.every((j) => typeof j.like === 'boolean' && j.reason?.startsWith('THOUGHT-'))).toBe(true);
    expect(names(s)).toEqual([
      'history_summary',
      'persona_candidates',
      ...Array(5).fill('persona_ratings'),
      'preferences',
      'item_evaluation',
      'refined_decisions',
      'reflection',
    ]);
    const t = scriptedLlm((r, n) => defaultReply(r, n, { rating: 2 }));
    const rated = await sim.rate!(userU(), candidates, unit(t.llm));
    expect(names(t)).toEqual(['item_evaluation', 'refined_decisions', 'reflection']);
    expect(rated.map((p) => [p.item, p.rating])).toEqual([
      ['x', 2],
      ['y', 2],
      ['g', 2],
    ]);
    // the rating unit remembers the discrimination unit's decisions and note
    const evaluation = lastUser(t.requests[0]!);
    expect(evaluation).toMatch(/Notes you wrote to yourself after earlier sessions:\n- NOTE-/);
    expect(evaluation).toMatch(/Earlier decision — you would (not )?like: "Starship Orphans"/);
    // with fit, other users' items join the persona scoring sample, and graph paths run through other users
    expect(promptText(s.requests[2]!)).toMatch(/"(Desert Kings|Opera Nights|Harbour Lights|Cold Case)"/);
    expect(lastUser(s.requests[8]!)).toContain('1 other user rated both');
  });

  it('concurrent units of one user build the persona once and run in call order, each seeing the one before', async () => {
    const sim = await makeSim({ crossUnitMemory: true });
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const [a, b] = await Promise.all([
      sim.discriminate!(userU(), [ITEMS['x']!], unit(s.llm)),
      sim.discriminate!(userU(), [ITEMS['y']!], unit(s.llm)),
    ]);
    expect(a.map((j) => j.item)).toEqual(['x']);
    expect(b.map((j) => j.item)).toEqual(['y']);
    expect(names(s).filter((n) => n === 'history_summary')).toHaveLength(1);
    expect(names(s).filter((n) => n === 'preferences')).toHaveLength(1);
    const evals = s.requests.filter((r) => r.schemaName === 'item_evaluation').map(lastUser);
    expect(evals[0]).toContain('i1: "Starship Orphans"');
    expect(evals[0]).toMatch(/after earlier sessions:\n\(none\)/);
    expect(evals[1]).toContain('i1: "Knitting Circle"');
    expect(evals[1]).toMatch(/after earlier sessions:\n- NOTE-/);
  });

  it('crossUnitMemory: false makes units independent and skips the reflection call', async () => {
    const sim = await makeSim({ crossUnitMemory: false, personaCandidates: 1 });
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await sim.discriminate!(userU(), candidates, unit(s.llm));
    await sim.discriminate!(userU(), candidates, unit(s.llm));
    expect(names(s)).toEqual([
      'history_summary',
      'persona_candidates',
      'preferences',
      'item_evaluation',
      'refined_decisions',
      'item_evaluation',
      'refined_decisions',
    ]);
    const evals = s.requests.filter((r) => r.schemaName === 'item_evaluation').map(lastUser);
    expect(evals[1]).toBe(evals[0]);
  });

  it('a malformed reply is repaired once: two requests, the second quoting the validation error', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    let bad = 0;
    const s = scriptedLlm((r, n) => {
      if (r.schemaName === 'item_evaluation' && bad++ === 0)
        return JSON.stringify({ i1: { thought: 't', like: 'maybe' } });
      return defaultReply(r, n);
    });
    const answer = await preferenceDiscrimination.run(sim, userU(), candidates, unit(s.llm));
    expect(Object.keys(answer).sort()).toEqual(['g', 'x', 'y']);
    const evals = s.requests.filter((r) => r.schemaName === 'item_evaluation');
    expect(evals).toHaveLength(2);
    expect(promptText(evals[1]!)).toMatch(
      /could not be used: the JSON does not match the schema: .*(must be boolean|required property)/,
    );
    expect(evals[1]!.messages.at(-2)).toEqual({
      role: 'assistant',
      content: JSON.stringify({ i1: { thought: 't', like: 'maybe' } }),
    });
  });

  it('a reply still malformed after the repair is a parse error of the unit', async () => {
    const sim = await makeSim({ personaCandidates: 1 });
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'refined_decisions' ? 'I refuse to answer in JSON.' : defaultReply(r, n),
    );
    const err = await preferenceDiscrimination.run(sim, userU(), candidates, unit(s.llm)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect((err as UnitError).kind).toBe('parse');
    expect(names(s).filter((n) => n === 'refined_decisions')).toHaveLength(2);
    const r = await rating
      .run(await makeSim({ personaCandidates: 1 }), userU(), candidates, unit(s.llm))
      .catch((e: unknown) => e);
    expect((r as UnitError).kind).toBe('parse');
  });

  it('without an LLM, or without a rating scale, a unit fails as a method error', async () => {
    const sim = await makeSim();
    await expect(sim.discriminate!(userU(), candidates, unit(null))).rejects.toMatchObject({ kind: 'method' });
    await expect(sim.rate!({ ...userU(), scale: null }, candidates, unit(null))).rejects.toMatchObject({
      kind: 'method',
    });
  });
});

describe('simuser end to end on the offline mock LLM', () => {
  it('every unit of both tasks yields a valid answer', async () => {
    const { data, door } = await offlineWorld();
    const sim = await makeSim({ crossUnitMemory: true });
    await sim.fit!(trainDataOf(data), fitCtx());
    const views = new UserViews(trainDataOf(data));
    const items = new Map(data.items.map((i) => [i.id, i]));
    const users = new Set([...new Set(data.split.test.map((x) => x.user))].slice(0, 3));
    const callsPerUnit: number[] = [];

    for (const task of [preferenceDiscrimination, rating] as const) {
      const opts =
        task === preferenceDiscrimination
          ? { ratios: [1, 3], itemsPerUser: 20, users: null }
          : { maxItemsPerUser: 20, users: null };
      const units = (task.buildUnits(data, opts as never, new Rng(9)) ?? []).filter((u) => users.has(u.user));
      expect(units.length).toBeGreaterThanOrEqual(3);
      for (const u of units) {
        const usage = emptyTotals();
        const llm = door.meter(usage, new AbortController().signal);
        const unitItems = u.items.map((i) => items.get(i) as Item);
        const answer = await (task.run as (...a: unknown[]) => Promise<Record<string, unknown>>)(
          sim,
          views.view(u.user),
          unitItems,
          unit(llm),
        );
        expect(Object.keys(answer).sort()).toEqual([...u.items].sort());
        const scores = (task.score as (...a: unknown[]) => Record<string, number>)(u, answer);
        for (const v of Object.values(scores)) expect(Number.isFinite(v)).toBe(true);
        if (task === rating)
          for (const v of Object.values(answer))
            expect(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5).toBe(true);
        callsPerUnit.push(usage.calls);
      }
    }
    // 3 users: their first unit also matches the persona (2 + 5) and elicits preferences (1)
    expect(callsPerUnit.filter((c) => c === 11)).toHaveLength(3);
    expect(callsPerUnit.filter((c) => c !== 11).every((c) => c === 3)).toBe(true);
  });
});
