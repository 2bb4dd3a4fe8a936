import { describe, expect, it } from 'vitest';
import { preferenceDiscrimination } from '../../../../plugins/tasks/preference-discrimination/index.ts';
import { LlmParseError, type LlmRequest } from '../../../../harness/plugin-api.ts';
import { KnowledgeGraphMemory, MemoryBook } from '../../../../plugins/methods/alignuser-plus/kg-memory.ts';
import { scriptedLlm } from '../../../support/scripted-llm.ts';
import {
  codesAt,
  fitContext,
  ITEMS,
  makePlus,
  scripted,
  tempDir,
  train,
  unit,
  userText,
  userView,
} from '../alignuser/fixtures.ts';

const candidates = [ITEMS[3]!, ITEMS[7]!, ITEMS[12]!];

function plusScript(
  opts: { verdict?: 'keep' | 'change'; queries?: string[]; newLike?: boolean; newRating?: number } = {},
) {
  return (r: LlmRequest, n: number): string => {
    if (r.schemaName === 'memory_queries')
      return JSON.stringify({ queries: opts.queries ?? ['haunted horror', 'occupation'] });
    if (r.schemaName === 'causal_validation') {
      const codes = codesAt(r.schema, ['items']);
      const rating = 'rating' in ((r.schema as any).properties.items.properties.i1.properties as object);
      return JSON.stringify({
        checks: [
          { question: 'Q1: do I usually watch horror?', answer: 'A1: yes, often' },
          { question: 'Q2: do I rate generously?', answer: 'A2: yes' },
        ],
        verdict: opts.verdict ?? 'keep',
        reason: 'REVISED-REASON',
        items: Object.fromEntries(
          codes.map((c) => [c, rating ? { rating: opts.newRating ?? 2 } : { like: opts.newLike ?? true }]),
        ),
      });
    }
    return scripted(r, n);
  };
}

describe('alignuser-plus knowledge-graph memory', () => {
  it("holds the user's rated items with their attributes, genre nodes and demographics, searched with BM25", () => {
    const memory = new KnowledgeGraphMemory(userView('u3'));
    // 9 items, 3 genres (Comedy, Horror, Sci-Fi), 2 attributes
    expect(memory.size).toBe(14);
    const horror = memory.retrieve(['haunted horror'], 5, 8);
    expect(horror).toHaveLength(5);
    expect(
      horror.filter((e) =>
        /^You rated \d\/5 "The haunted tale \d+"\. It is Horror\. A horror story about a haunted\.$/.test(e),
      ),
    ).toHaveLength(4);
    expect(horror).toContain(
      'Genre Horror: you watched 4 items, 3.8 on average. Liked: "The haunted tale 8", "The haunted tale 12".',
    );
    expect(memory.retrieve(['occupation'], 3, 8)).toEqual(['Your occupation: job-u3.']);
    // repeats across queries are dropped and the total is capped
    expect(memory.retrieve(['haunted horror', 'haunted'], 3, 4)).toHaveLength(4);
    expect(new Set(memory.retrieve(['haunted', 'haunted horror'], 5, 20)).size).toBe(
      memory.retrieve(['haunted', 'haunted horror'], 5, 20).length,
    );
  });

  it('is built once per user', () => {
    const book = new MemoryBook();
    expect(book.of(userView('u1'))).toBe(book.of(userView('u1')));
  });
});

describe('alignuser-plus inference', () => {
  it('writes memory queries, puts the evidence into screening and selection, then validates the action (four calls)', async () => {
    const s = scriptedLlm(plusScript());
    const sim = await makePlus({ persona: 'summary' });
    const out = await sim.discriminate!(userView('u3'), candidates, unit(s.llm));
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'memory_queries',
      'screening',
      'selection_like',
      'causal_validation',
    ]);
    const [queries, screen, select, validate] = s.requests as [LlmRequest, LlmRequest, LlmRequest, LlmRequest];

    expect(userText(queries)).toContain('Persona:\nage: 30; occupation: job-u3.');
    expect(userText(queries)).toContain('i1: The haunted tale 4 [Horror]');
    expect(userText(queries)).toContain('Write up to 3 short search queries');
    expect((queries.schema as any).properties.queries.maxItems).toBe(3);

    for (const r of [screen, select]) {
      const text = userText(r);
      expect(text).toContain('What your memory says (searched for: "haunted horror"; "occupation"):');
      expect(text).toMatch(/- You rated \d\/5 "The haunted tale \d+"\. It is Horror\./);
      expect(text).toContain('- Your occupation: job-u3.');
    }

    const v = userText(validate);
    expect(v).toContain('Persona:\nage: 30; occupation: job-u3.');
    expect(v).toContain('Recently rated highly');
    expect(v).toContain(
      'The action you are about to take:\ni1: like (WHY-i1)\ni2: not like (WHY-i2)\ni3: like (WHY-i3)',
    );
    expect(v).toContain('using only your persona, your history and the page above');
    // self-checks are answered from state, persona and history only: no retrieved evidence
    expect(v).not.toContain('What your memory says');
    expect((validate.schema as any).properties.checks).toMatchObject({ minItems: 2, maxItems: 4 });
    expect((validate.schema as any).properties.verdict.enum).toEqual(['keep', 'change']);

    // verdict keep: the selected action stands
    expect(out.map((j) => j.like)).toEqual([true, false, true]);
    expect(out[1]!.reason).toBe('WHY-i2');
  });

  it('changes the action when the validation says so', async () => {
    const s = scriptedLlm(plusScript({ verdict: 'change', newLike: true }));
    const out = await (await makePlus({ persona: 'summary' })).discriminate!(userView('u3'), candidates, unit(s.llm));
    expect(out.map((j) => j.like)).toEqual([true, true, true]);
    expect(out[0]!.reason).toBe('WHY-i1');
    expect(out[1]!.reason).toBe('Changed after self-check: REVISED-REASON');

    const r = scriptedLlm(plusScript({ verdict: 'change', newRating: 2 }));
    const ratings = await (await makePlus()).rate!(userView('u3'), candidates, unit(r.llm));
    expect(r.requests.map((x) => x.schemaName)).toEqual([
      'persona_generation',
      'memory_queries',
      'screening',
      'selection_rating',
      'causal_validation',
    ]);
    expect(userText(r.requests[4]!)).toContain('i1: rating 4 (WHY-i1)');
    expect(ratings.map((p) => p.rating)).toEqual([2, 2, 2]);

    const keep = scriptedLlm(plusScript({ verdict: 'keep', newRating: 2 }));
    const kept = await (await makePlus()).rate!(userView('u3'), candidates, unit(keep.llm));
    expect(kept.map((p) => p.rating)).toEqual([4, 4, 4]);
  });

  it('carries both the fit lessons and the memory evidence', async () => {
    const s = scriptedLlm(plusScript());
    const sim = await makePlus();
    await sim.fit!(train(), fitContext(s.llm, tempDir('plus-fit')));
    const before = s.requests.length;
    expect(before).toBe(33);
    await sim.rate!(userView('u2'), candidates, unit(s.llm));
    const screen = userText(s.requests.slice(before).find((r) => r.schemaName === 'screening')!);
    expect(screen).toMatch(/- LESSON-(PAGE|ITEM)-\d+/);
    expect(screen).toContain('What your memory says');
  });

  it('each feature can be switched off', async () => {
    const s = scriptedLlm(plusScript());
    await (await makePlus({ memoryRetrieval: false, causalValidation: false, persona: 'summary' })).discriminate!(
      userView('u3'),
      candidates,
      unit(s.llm),
    );
    expect(s.requests.map((r) => r.schemaName)).toEqual(['screening', 'selection_like']);
    expect(userText(s.requests[0]!)).not.toContain('What your memory says');
  });

  it('repairs a malformed validation once, then records the unit as a parse error', async () => {
    const once = scriptedLlm((r, n) =>
      r.schemaName === 'causal_validation' && !r.messages.some((m) => m.role === 'assistant')
        ? '{"checks": [], "verdict": "maybe"}'
        : plusScript()(r, n),
    );
    const out = await (await makePlus()).discriminate!(userView('u3'), candidates, unit(once.llm));
    expect(out).toHaveLength(3);
    const v = once.requests.filter((r) => r.schemaName === 'causal_validation');
    expect(v).toHaveLength(2);
    expect(v[1]!.messages.at(-1)!.content).toMatch(/could not be used: the JSON does not match the schema/);

    const bad = scriptedLlm((r, n) =>
      r.schemaName === 'memory_queries' ? '{"queries": ["a", "b", "c", "d"]}' : plusScript()(r, n),
    );
    const err = await preferenceDiscrimination
      .run(await makePlus(), userView('u3'), candidates, unit(bad.llm))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmParseError);
    expect(bad.requests.filter((r) => r.schemaName === 'memory_queries')).toHaveLength(2);
  });
});
