import { describe, expect, it } from 'vitest';
import type { Item, LlmRequest } from '../../../../harness/plugin-api.ts';
import { Brain, type BrainOptions, type Mode } from '../../../../plugins/methods/simuser/decision.ts';
import { RatingsGraph } from '../../../../plugins/methods/simuser/knowledge-graph.ts';
import { MemoryBank } from '../../../../plugins/methods/simuser/memory.ts';
import { perceive } from '../../../../plugins/methods/simuser/perception.ts';
import { personaText } from '../../../../plugins/methods/simuser/persona.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { codesOf, defaultReply, ITEMS, lastUser, matched, prompts, train, userU } from './fixtures.ts';

const describeItem = (i: Item) => perceive(i, 200);
const OPTS: BrainOptions = {
  likedShown: 10,
  dislikedShown: 5,
  memoryTopK: 2,
  kgTopK: 3,
  collaborativePaths: true,
  reflectionsShown: 2,
  refinementRounds: 1,
  temperature: 0,
  maxTokens: 1000,
};
const brain = (o: Partial<BrainOptions> = {}) =>
  new Brain(
    {
      system: prompts['system']!,
      elicit: prompts['elicit']!,
      evaluate: prompts['evaluate']!,
      refine: prompts['refine']!,
      reflect: prompts['reflect']!,
      askLike: prompts['askLike']!,
      askRate: prompts['askRate']!,
    },
    { ...OPTS, ...o },
    describeItem,
  );

const LIKE: Mode = { kind: 'like' };
const candidates = [ITEMS['x']!, ITEMS['y']!];
const byName = (reqs: LlmRequest[], name: string) => reqs.filter((r) => r.schemaName === name);

function setup() {
  const bank = new MemoryBank(describeItem);
  const user = userU();
  return { user, memory: bank.of(user), graph: RatingsGraph.fromTrain(train()), persona: matched() };
}

describe('brain loop', () => {
  it('elicits preferences from persona and training memory, once per user', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const b = brain();
    const { user, memory, graph, persona } = setup();
    await b.run({ user, persona, memory, graph, items: candidates, mode: LIKE, llm: s.llm, persist: true });
    await b.run({ user, persona, memory, graph, items: candidates, mode: LIKE, llm: s.llm, persist: true });
    const elicit = byName(s.requests, 'preferences');
    expect(elicit).toHaveLength(1);
    const text = promptText(elicit[0]!);
    expect(text).toContain(personaText(persona.persona));
    expect(text).toContain(persona.summary);
    expect(text).toMatch(
      /Items you rated highly:\n- "Moon Colony".*\(you gave 4\)\n- "Nebula Wars".*\(you gave 5\)\n- "Star Voyage"/,
    );
    expect(text).toMatch(/Items you rated poorly:\n- "Laugh Track".*\(you gave 2\)\n- "Tax Season".*\(you gave 1\)/);
  });

  it('evaluates every item in one call with persona, preferences, retrieved memories and graph paths', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const { user, memory, graph, persona } = setup();
    await brain().run({ user, persona, memory, graph, items: candidates, mode: LIKE, llm: s.llm, persist: false });
    const [evaluation] = byName(s.requests, 'item_evaluation');
    const text = lastUser(evaluation!);
    expect(text).toContain(personaText(persona.persona));
    expect(text).toContain('Likes: LIKE-starships');
    expect(text).toContain('Dislikes: DISLIKE-sitcoms');
    expect(text).toContain('PREF-SUMMARY');
    expect(codesOf(evaluation!)).toEqual(['i1', 'i2']);
    expect(text).toContain(`i1: ${describeItem(ITEMS['x']!)}`);
    expect(text).toContain(`i2: ${describeItem(ITEMS['y']!)}`);
    // a BM25 memory of a starship film the user rated, and the KG path through it
    const block = text.slice(text.indexOf('i1: '), text.indexOf('i2: '));
    expect(block).toMatch(/Memories it brings back:\n {2}- You gave \d out of 5 to "(Star Voyage|Nebula Wars)"/);
    expect(block).toContain(
      '- you rated "Star Voyage" 5/5; it shares Adventure, Sci-Fi with this item; 1 other user rated both',
    );
    expect(block).toContain('- you rated "Nebula Wars" 5/5; it shares Sci-Fi with this item');
    // the documentary has no link
    expect(text.slice(text.indexOf('i2: '))).toMatch(/Links from your history:\n {2}\(none\)/);
    expect(text).toContain('"like" (your decision)');
    expect(evaluation!.schema).toMatchObject({
      properties: {
        i1: { properties: { thought: { type: 'string' }, like: { type: 'boolean' } }, required: ['thought', 'like'] },
      },
    });
  });

  it('causal refinement sees the first thoughts and choices and its final choice wins', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { like: (c) => c === 'i1', flip: true }));
    const { user, memory, graph, persona } = setup();
    const out = await brain().run({
      user,
      persona,
      memory,
      graph,
      items: candidates,
      mode: LIKE,
      llm: s.llm,
      persist: false,
    });
    const [refine] = byName(s.requests, 'refined_decisions');
    const text = lastUser(refine!);
    expect(text).toContain(personaText(persona.persona));
    expect(text).toContain('Likes: LIKE-starships');
    expect(text).toMatch(
      /i1: "Starship Orphans".*\n {2}First thought: THOUGHT-i1\n {2}Current choice: you would like it/,
    );
    expect(text).toMatch(
      /i2: "Knitting Circle".*\n {2}First thought: THOUGHT-i2\n {2}Current choice: you would not like it/,
    );
    expect(out.map((d) => [d.item.id, d.initial, d.value, d.thought])).toEqual([
      ['x', true, false, 'THOUGHT-i1'],
      ['y', false, true, 'THOUGHT-i2'],
    ]);
  });

  it('makes 1 + refinementRounds (+1 reflection) calls per unit, plus one elicitation per user', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const b = brain({ refinementRounds: 2 });
    const { user, memory, graph, persona } = setup();
    await b.run({ user, persona, memory, graph, items: candidates, mode: LIKE, llm: s.llm, persist: true });
    expect(s.requests.map((r) => r.schemaName)).toEqual([
      'preferences',
      'item_evaluation',
      'refined_decisions',
      'refined_decisions',
      'reflection',
    ]);
    expect(b.callsPerUnit(true)).toBe(4);
    const none = scriptedLlm((r, n) => defaultReply(r, n));
    await brain({ refinementRounds: 0 }).run({
      ...setup(),
      items: candidates,
      mode: LIKE,
      llm: none.llm,
      persist: false,
    });
    expect(none.requests.map((r) => r.schemaName)).toEqual(['preferences', 'item_evaluation']);
  });

  it('reflection writes decisions and a note to the episodic memory, and the next unit is shown them', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { like: (c) => c === 'i1' }));
    const b = brain();
    const { user, memory, graph, persona } = setup();
    const before = memory.size;
    await b.run({ user, persona, memory, graph, items: candidates, mode: LIKE, llm: s.llm, persist: true });
    const [reflect] = byName(s.requests, 'reflection');
    expect(lastUser(reflect!)).toContain(personaText(persona.persona));
    expect(lastUser(reflect!)).toMatch(
      /- you would like: "Starship Orphans".*\n- you would not like: "Knitting Circle"/,
    );
    expect(memory.size).toBe(before + 3);
    expect(memory.latest('decision', 5).map((e) => e.text)).toEqual([
      `Earlier decision — you would not like: ${describeItem(ITEMS['y']!)}`,
      `Earlier decision — you would like: ${describeItem(ITEMS['x']!)}`,
    ]);
    const note = memory.latest('reflection', 1)[0]!.text;
    expect(note).toMatch(/^NOTE-\d+/);

    await b.run({ user, persona, memory, graph, items: [ITEMS['x']!], mode: LIKE, llm: s.llm, persist: true });
    const second = lastUser(byName(s.requests, 'item_evaluation')[1]!);
    expect(second).toContain(`Notes you wrote to yourself after earlier sessions:\n- ${note}`);
    expect(second).toContain(`Earlier decision — you would like: ${describeItem(ITEMS['x']!)}`);
  });

  it('persist: false leaves the memory untouched and makes no reflection call', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n));
    const { user, memory, graph, persona } = setup();
    const before = memory.size;
    await brain().run({ user, persona, memory, graph, items: candidates, mode: LIKE, llm: s.llm, persist: false });
    expect(memory.size).toBe(before);
    expect(byName(s.requests, 'reflection')).toHaveLength(0);
  });

  it('rates on the dataset scale: integer stars, or numbers snapped to a half-star grid', async () => {
    const s = scriptedLlm((r, n) => defaultReply(r, n, { rating: 4 }));
    const { user, memory, graph, persona } = setup();
    const stars = await brain().run({
      user,
      persona,
      memory,
      graph,
      items: candidates,
      mode: { kind: 'rate', scale: { min: 1, max: 5, step: 1 } },
      llm: s.llm,
      persist: false,
    });
    expect(stars.map((d) => d.value)).toEqual([4, 4]);
    const [evaluation] = byName(s.requests, 'item_evaluation');
    expect(evaluation!.schema).toMatchObject({
      properties: { i1: { properties: { rating: { type: 'integer', minimum: 1, maximum: 5 } } } },
    });
    expect(lastUser(evaluation!)).toContain('on a scale from 1 to 5');
    expect(lastUser(evaluation!)).toContain('"rating" (your decision)');

    const half = scriptedLlm((r, n) => defaultReply(r, n, { rating: 3.74 }));
    const snapped = await brain().run({
      ...setup(),
      items: candidates,
      mode: { kind: 'rate', scale: { min: 0.5, max: 5, step: 0.5 } },
      llm: half.llm,
      persist: false,
    });
    expect(snapped.map((d) => d.value)).toEqual([3.5, 3.5]);
    expect(byName(half.requests, 'item_evaluation')[0]!.schema).toMatchObject({
      properties: { i1: { properties: { rating: { type: 'number', minimum: 0.5, maximum: 5 } } } },
    });
  });
});
