import { describe, expect, it } from 'vitest';
import { LlmParseError, Rng } from '../../../../harness/plugin-api.ts';
import { scaledImportance } from '../../../../plugins/methods/recagent/sensory-memory.ts';
import { retrievalScore, LongTermMemory } from '../../../../plugins/methods/recagent/long-term-memory.ts';
import { RecAgentMemory, type MemoryOptions } from '../../../../plugins/methods/recagent/memory.ts';
import type { MemoryEntry } from '../../../../plugins/methods/recagent/memory-entry.ts';
import { ShortTermMemory } from '../../../../plugins/methods/recagent/short-term-memory.ts';
import { SimilarityIndex } from '../../../../plugins/methods/recagent/similarity.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { codesOf, defaultReply, lastUser, prompts } from './fixtures.ts';

const entry = (id: string, text: string, importance = 5, step = 1): MemoryEntry => ({
  id,
  kind: 'observation',
  text,
  importance,
  step,
});
const W = { relevance: 1, importance: 1, recency: 1, decay: 0.9 };
// No sensory cut and no forgetting, unless a test asks: each stage on its own.
const OPTS: MemoryOptions = {
  importanceBatchSize: 20,
  sensoryThreshold: 0,
  stmCapacity: 10,
  reinforceThreshold: 0.3,
  reinforcementsToPromote: 3,
  reflectionThreshold: 2,
  reflectionMaxEntries: 15,
  forgetAfter: null,
  weights: W,
};
const PROFILE = 'PROFILE: an engineer who loves starships';
const memory = (o: Partial<MemoryOptions> = {}) =>
  new RecAgentMemory(
    { ...OPTS, ...o },
    { prompts, settings: { temperature: 0, maxTokens: 500 }, profile: PROFILE },
    new Rng(3),
    BACKGROUND,
  );

/** Four starship observations (each recalls the earlier ones) and unrelated ones. */
const STARSHIP = [
  'I chose Star Voyage, a starship adventure in deep space; I rated it 5.',
  'I chose Nebula Wars, a starship battle in deep space; I rated it 5.',
  'I chose Moon Colony, a starship crew in deep space; I rated it 4.',
  'I chose Starship Orphans, a starship voyage in deep space; I rated it 5.',
];
const OTHER = [
  'I chose Tax Season, an office comedy about accountants; I rated it 1.',
  'I chose Knitting Circle, grandmothers knitting for charity; I rated it 2.',
];

const BACKGROUND = [
  'a cowboy western about cattle',
  'a romantic comedy in paris',
  'a courtroom drama',
  'a documentary about bees',
];

/** Similarity within a collection of the given texts plus some unrelated background. */
function simOf(texts: Record<string, string>) {
  const index = new SimilarityIndex([
    ...BACKGROUND.map((text, k) => ({ id: `bg${k}`, text })),
    ...Object.entries(texts).map(([id, text]) => ({ id, text })),
  ]);
  return (queryId: string) => (ids: readonly string[]) => index.relative(queryId, texts[queryId] as string, ids);
}

describe('relative BM25 similarity', () => {
  it('is 1 for the same text, high for a near copy, absent for no shared word', () => {
    const index = new SimilarityIndex([
      ...BACKGROUND.map((text, k) => ({ id: `bg${k}`, text })),
      { id: 'q', text: 'starship battle over a nebula' },
      { id: 'same', text: 'starship battle over a nebula' },
      { id: 'near', text: 'a starship battle near a nebula' },
      { id: 'far', text: 'grandmothers knitting for charity' },
    ]);
    const sims = index.relative('q', 'starship battle over a nebula', ['same', 'near', 'far']);
    expect(sims.get('same')).toBeCloseTo(1, 5);
    expect(sims.get('near') ?? 0).toBeGreaterThan(0.4);
    expect(sims.has('far')).toBe(false);
    expect(index.relative('q', 'starship battle over a nebula', ['q']).size).toBe(0);
  });
});

describe('short-term memory', () => {
  it('promotes an entry once three later observations resemble it, with those observations', () => {
    const stm = new ShortTermMemory({ capacity: 10, threshold: 0.3, promoteAfter: 3 });
    const sim = simOf({
      m1: STARSHIP[0] as string,
      m2: OTHER[0] as string,
      m3: STARSHIP[1] as string,
      m4: STARSHIP[2] as string,
      m5: STARSHIP[3] as string,
    });
    stm.add(entry('m1', STARSHIP[0] as string));
    stm.add(entry('m2', OTHER[0] as string));
    expect(stm.reinforce(STARSHIP[1] as string, sim('m3'))).toEqual([]);
    expect(stm.reinforcementsOf('m1')).toBe(1);
    expect(stm.reinforcementsOf('m2')).toBe(0);
    stm.add(entry('m3', STARSHIP[1] as string));
    expect(stm.reinforce(STARSHIP[2] as string, sim('m4'))).toEqual([]);
    stm.add(entry('m4', STARSHIP[2] as string));
    const promoted = stm.reinforce(STARSHIP[3] as string, sim('m5'));
    expect(promoted.map((p) => p.entry.id)).toEqual(['m1']);
    expect(promoted[0]?.reinforcedBy).toEqual(STARSHIP.slice(1));
    expect(stm.entries.map((e) => e.id)).toEqual(['m2', 'm3', 'm4']);
  });

  it('over capacity forgets the least important older entry, never the newest', () => {
    const stm = new ShortTermMemory({ capacity: 2, threshold: 0.3, promoteAfter: 3 });
    stm.add(entry('m1', 'alpha', 6));
    stm.add(entry('m2', 'beta', 3));
    expect(stm.add(entry('m3', 'gamma', 1))?.id).toBe('m2');
    expect(stm.entries.map((e) => e.id)).toEqual(['m1', 'm3']);
  });
});

describe('long-term memory and retrieval', () => {
  it('scores relevance + importance on the original scale (score / 10 × 0.9) + decay^age with the given weights', () => {
    expect(retrievalScore(0.5, 8, 2, W)).toBeCloseTo(0.5 + 0.72 + 0.81, 10);
    expect(retrievalScore(1, 10, 0, { relevance: 2, importance: 0, recency: 0.5, decay: 0.5 })).toBeCloseTo(2.5, 10);
    expect(scaledImportance(7)).toBeCloseTo(0.63, 10);
  });

  it('counts the importance accumulated since the last reflection, on the original scale', () => {
    const ltm = new LongTermMemory();
    ltm.add(entry('m1', 'a', 4));
    ltm.add(entry('m2', 'b', 6));
    expect(ltm.pendingImportance).toBeCloseTo(0.9, 10);
    ltm.markReflected();
    expect(ltm.pendingImportance).toBe(0);
    expect(ltm.entries).toHaveLength(2);
  });
});

describe('RecAgent memory: one consolidation step', () => {
  it('scores every observation in one call that carries the profile and the observations', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { importance: 3 }));
    const m = memory();
    const report = await m.observe([...OTHER], s.llm);
    expect(s.requests).toHaveLength(1);
    const text = promptText(s.requests[0]!);
    expect(text).toContain(PROFILE);
    for (const o of OTHER) expect(text).toContain(o);
    expect(report.importance).toEqual([3, 3]);
    expect(m.shortTerm.map((e) => e.text)).toEqual(OTHER);
    expect(m.longTerm).toEqual([]);
  });

  it('batches importance scoring by importanceBatchSize', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    await memory({ importanceBatchSize: 2 }).observe([...STARSHIP, ...OTHER], s.llm);
    expect(s.requests.filter((r) => r.schemaName === 'importance').map((r) => codesOf(r).length)).toEqual([2, 2, 2]);
  });

  it('promotes a reinforced entry with an LLM insight, then reflects once the importance passes the threshold', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { importance: 8 }));
    const m = memory({ reflectionThreshold: 1 });
    const report = await m.observe([...STARSHIP, ...OTHER], s.llm);
    expect(s.requests.map((r) => r.schemaName)).toEqual(['importance', 'insights', 'reflection']);
    // the insight request shows the promoted memory with the observations that recalled it
    const insightPrompt = lastUser(s.requests[1]!);
    expect(insightPrompt).toContain(PROFILE);
    for (const o of STARSHIP) expect(insightPrompt).toContain(o);
    expect(report.promoted.map((p) => p.entry.text)).toEqual([STARSHIP[0]]);
    // the reflection reads the long-term memory accumulated since the last reflection
    const reflectionPrompt = lastUser(s.requests[2]!);
    expect(reflectionPrompt).toContain(STARSHIP[0]);
    expect(reflectionPrompt).toContain('INSIGHT-g1');
    expect(m.longTerm.map((e) => e.kind)).toEqual(['observation', 'insight', 'reflection']);
    expect(m.longTerm[2]?.text).toContain('REFLECTION-');
    expect(m.pendingImportance).toBe(0);
  });

  it('does not reflect below the threshold and makes no insight call when nothing is promoted', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { importance: 2 }));
    const m = memory({ reflectionThreshold: 1 });
    await m.observe([...STARSHIP], s.llm);
    expect(s.requests.map((r) => r.schemaName)).toEqual(['importance', 'insights']);
    expect(m.pendingImportance).toBeCloseTo(0.36, 10);
    const t = scriptedLlm((r, n) => defaultReply(r, n));
    await memory().observe([...OTHER], t.llm);
    expect(t.requests.map((r) => r.schemaName)).toEqual(['importance']);
  });

  it('retrieves by relevance, importance and recency over long- and short-term entries', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { importance: 8 }));
    const m = memory({ reflectionThreshold: 1000 });
    await m.observe([...STARSHIP, ...OTHER], s.llm);
    const top = m.retrieve('office comedy accountants', 1);
    expect(top[0]?.entry.text).toBe(OTHER[0]);
    const all = m.retrieve('starship', 100);
    expect(all.length).toBe(m.longTerm.length + m.shortTerm.length);
    for (let k = 1; k < all.length; k++) expect(all[k - 1]!.score).toBeGreaterThanOrEqual(all[k]!.score);
  });

  it('fork gives an independent copy', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const m = memory();
    await m.observe([OTHER[0] as string], s.llm);
    const f = m.fork(new Rng(4));
    await f.observe([OTHER[1] as string], s.llm);
    expect(m.shortTerm).toHaveLength(1);
    expect(f.shortTerm).toHaveLength(2);
    expect(f.now).toBe(2);
  });

  it('repairs a malformed importance reply once, then raises LlmParseError', async () => {
    const s = scriptedLlm(() => '{"o1": 11}');
    await expect(memory().observe([OTHER[0] as string], s.llm)).rejects.toBeInstanceOf(LlmParseError);
    expect(s.requests).toHaveLength(2);
    expect(promptText(s.requests[1]!)).toContain('must be <= 10');
  });
});

describe('RecAgent memory as YuLan-Rec: sensory cut, reflection scale, forgetting', () => {
  it('drops observations whose importance on the original scale is at or below the sensory threshold; time still passes', async () => {
    // 6 → 0.54 (dropped), 7 → 0.63 (kept) with the original cut 0.62
    const s = scriptedLlm(() => JSON.stringify({ o1: 6, o2: 7, o3: 2 }));
    const m = memory({ sensoryThreshold: 0.62 });
    const report = await m.observe([...OTHER, 'I chose Moon Colony; I rated it 3.'], s.llm);
    expect(report.importance).toEqual([6, 7, 2]);
    expect(report.dropped).toEqual([OTHER[0], 'I chose Moon Colony; I rated it 3.']);
    expect(m.shortTerm.map((e) => e.text)).toEqual([OTHER[1]]);
    expect(m.shortTerm[0]?.step).toBe(2);
    expect(m.now).toBe(3);
    // a dropped observation can neither reinforce nor be retrieved
    expect(m.retrieve('office comedy accountants', 5).map((r) => r.entry.text)).not.toContain(OTHER[0]);
  });

  it('reflects when the importance entering long-term memory, on the original scale, exceeds the threshold', async () => {
    // one promotion at importance 8: the entry and its insight enter long-term memory, 2 × 0.72 = 1.44
    for (const [threshold, reflects] of [
      [1.4, true],
      [1.5, false],
    ] as const) {
      const s = scriptedLlm((r, n) => defaultReply(r, n, { importance: 8 }));
      const m = memory({ reflectionThreshold: threshold });
      await m.observe([...STARSHIP, ...OTHER], s.llm);
      expect(s.requests.some((r) => r.schemaName === 'reflection')).toBe(reflects);
      if (!reflects) expect(m.pendingImportance).toBeCloseTo(1.44, 10);
      else expect(m.longTerm.find((e) => e.kind === 'reflection')?.importance).toBe(8);
    }
  });

  it('a reflection weighs the mean importance of what it was drawn from, as the released code', async () => {
    const s = scriptedLlm((r, n) =>
      r.schemaName === 'importance' ? JSON.stringify({ o1: 10, o2: 6, o3: 7, o4: 7 }) : defaultReply(r, n),
    );
    const m = memory({ reinforcementsToPromote: 2, reflectionThreshold: 1 });
    await m.observe([...STARSHIP], s.llm);
    const basis = m.longTerm.filter((e) => e.kind !== 'reflection').map((e) => e.importance);
    expect(new Set(basis).size).toBeGreaterThan(1);
    const mean = basis.reduce((a, b) => a + b, 0) / basis.length;
    expect(m.longTerm.find((e) => e.kind === 'reflection')?.importance).toBeCloseTo(mean, 10);
  });

  it("forgets an untouched long-term entry with the released code's probability (1 − s) / Σ(1 − s)", () => {
    const ltm = new LongTermMemory();
    ltm.add(entry('m1', 'vivid', 10, 0));
    ltm.add(entry('m2', 'dull', 1, 0));
    ltm.add(entry('m3', 'fresh', 1, 100));
    // age 100 at decay 0.99: r = 0.366, s = r^1.5 · (0.9 + r) / 2 = 0.140 and r^1.5 · (0.09 + r) / 2 = 0.0505; m3 (age 0) has s = (0.09 + 1) / 2
    const r = 0.99 ** 100;
    const s1 = r ** 1.5 * ((0.9 + r) / 2);
    const s2 = r ** 1.5 * ((0.09 + r) / 2);
    const s3 = (0.09 + 1) / 2;
    const total = 3 - s1 - s2 - s3;
    const p1 = (1 - s1) / total;
    const p2 = (1 - s2) / total;
    expect(p1).toBeLessThan(p2);
    const at = (x: number) => ({ next: () => x }) as unknown as Rng;
    const o = { after: 24, decay: 0.99 };
    const access = (e: MemoryEntry) => e.step;
    // a draw between p1 and p2 forgets the less important one only; m3 is within the span, never a candidate
    const forgotten = ltm.clone().forget(100, access, o, at((p1 + p2) / 2));
    expect(forgotten.map((e) => e.id)).toEqual(['m2']);
    expect(
      ltm
        .clone()
        .forget(100, access, o, at(p1 - 1e-9))
        .map((e) => e.id),
    ).toEqual(['m1', 'm2']);
    expect(
      ltm
        .clone()
        .forget(100, access, o, at(0))
        .map((e) => e.id),
    ).toEqual(['m1', 'm2']);
    // nothing is older than the span: nothing to forget, whatever the draw
    expect(ltm.clone().forget(100, access, { after: 100, decay: 0.99 }, at(0))).toEqual([]);
    const kept = ltm.clone();
    kept.forget(100, access, o, at((p1 + p2) / 2));
    expect(kept.entries.map((e) => e.id)).toEqual(['m1', 'm3']);
  });

  it('forgets promoted memories left untouched for longer than forgetAfter; touched ones and forgetAfter null are kept', async () => {
    // Observations that share no word with each other or with the starship ones: nothing more is promoted.
    const filler = Array.from({ length: 30 }, (_, k) => `kw${k}alpha kw${k}beta kw${k}gamma`);
    const run = async (forgetAfter: number | null, touchEach = false) => {
      const s = scriptedLlm((r, n) => defaultReply(r, n, { importance: 2 }));
      const m = memory({ forgetAfter, reflectionThreshold: 1000 });
      await m.observe([...STARSHIP], s.llm);
      const promoted = m.longTerm.map((e) => e.id);
      expect(promoted).toHaveLength(2);
      let gone = 0;
      for (const f of filler) {
        if (touchEach) m.touch(m.longTerm);
        gone += (await m.observe([f], s.llm)).forgottenLongTerm.length;
      }
      return { m, gone, promoted };
    };
    const never = await run(null);
    expect(never.gone).toBe(0);
    expect(never.m.longTerm).toHaveLength(2);
    const forgets = await run(5);
    expect(forgets.gone).toBeGreaterThan(0);
    expect(forgets.m.longTerm.length).toBe(2 - forgets.gone);
    const touched = await run(5, true);
    expect(touched.gone).toBe(0);
    // the same seed, the same forgetting
    expect((await run(5)).gone).toBe(forgets.gone);
  });

  it('retrieval recency counts from the last access: a touched entry is as recent as a new one', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { importance: 5 }));
    const m = memory({ weights: { relevance: 0, importance: 0, recency: 1, decay: 0.5 } });
    await m.observe([...OTHER], s.llm);
    const [older] = m.shortTerm;
    expect(m.retrieve('anything', 2).map((r) => r.entry.id)[0]).not.toBe(older?.id);
    m.touch([older as MemoryEntry]);
    const top = m.retrieve('anything', 2);
    expect(top[0]?.score).toBeCloseTo(1, 10);
    expect(top.find((r) => r.entry.id === older?.id)?.score).toBeCloseTo(1, 10);
  });
});
