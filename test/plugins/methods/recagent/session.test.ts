import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../harness/config/load.ts';
import type { LlmRequest, PastStep, StepContext } from '../../../../harness/plugin-api.ts';
import type { MetricsFile } from '../../../../harness/results/metrics-file.ts';
import { runConfig } from '../../../../harness/runner/run.ts';
import { stepObservation } from '../../../../plugins/methods/recagent/session.ts';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';
import { codesOf, lastUser, makeSim, unit } from './fixtures.ts';

const page = (title: string, elements: Array<[string, string]>) =>
  [title, ...elements.map(([id, label]) => `  [${id}] button "${label}"`)].join('\n');

const SEARCH = page('Search results for "trail shoes"', [
  ['search_box', 'Search'],
  ['product.trail_runner', 'Trail Runner 3'],
  ['product.city_walker', 'City Walker'],
]);
const PRODUCT = page('Trail Runner 3 — product page', [
  ['size.10', 'Size 10'],
  ['add_to_cart', 'Add to Cart'],
]);

const HISTORY: PastStep[] = [
  {
    observation: page('Home', [['search_box', 'Search']]),
    action: { type: 'input', clickType: null, target: 'search_box', text: 'trail shoes' },
    rationale: 'I need new shoes for hiking',
  },
  {
    observation: SEARCH,
    action: { type: 'click', clickType: 'product_link', target: 'product.trail_runner', text: null },
    rationale: 'it looks sturdy',
  },
  {
    observation: PRODUCT,
    action: { type: 'click', clickType: 'product_option', target: 'size.10', text: null },
    rationale: null,
  },
];

const step = (history: PastStep[]): StepContext => ({
  persona: { id: 'p1', attributes: { age: '30-39' }, persona: 'A hiker on a budget who reads every review.' },
  sessionId: 's1',
  stepIndex: history.length,
  history,
  observation: PRODUCT,
});

/** Importance per observation code from `scores`; the action adds to the cart. */
function script(scores: number[]) {
  return (r: LlmRequest) => {
    if (r.schemaName === 'importance')
      return JSON.stringify(Object.fromEntries(codesOf(r).map((c, k) => [c, scores[k] ?? 7])));
    if (r.schemaName === 'insights')
      return JSON.stringify(Object.fromEntries(codesOf(r).map((c) => [c, 'INSIGHT: I like sturdy shoes.'])));
    if (r.schemaName === 'reflection') return JSON.stringify({ insights: ['REFLECTION: I shop with care.'] });
    if (r.schemaName === 'next_action')
      return JSON.stringify({
        rationale: 'I have picked my size.',
        action: { type: 'click', clickType: 'cart_side_bar', target: 'add_to_cart' },
      });
    throw new Error(`unexpected ${r.schemaName}`);
  };
}

describe('RecAgent nextAction on a shopping session', () => {
  it("turns each earlier step into a memory observation, scores it, retrieves memories into one action prompt over the page's elements", async () => {
    const sim = await makeSim({ sensoryThreshold: 0 });
    const s = scriptedLlm(script([7, 8, 6]));
    const out = await sim.nextAction!(step(HISTORY), unit(s.llm));
    expect(out).toEqual({
      action: { type: 'click', clickType: 'cart_side_bar', target: 'add_to_cart', text: null },
      rationale: 'I have picked my size.',
    });
    expect(s.requests.map((r) => r.schemaName)).toEqual(['importance', 'next_action']);
    const importance = lastUser(s.requests[0]!);
    expect(importance).toContain('A hiker on a budget');
    expect(importance).toContain(
      'On the page "Home" I typed "trail shoes" into [search_box] "Search", because I need new shoes for hiking.',
    );
    expect(importance).toContain(
      'I clicked [product.trail_runner] "Trail Runner 3" (product_link), because it looks sturdy.',
    );
    // the memory calls speak to a shopper
    expect(s.requests[0]!.messages[0]!.content).toContain('shops online');
    const action = s.requests[1]!;
    const text = lastUser(action);
    expect(text).toContain('About you: A hiker on a budget who reads every review.');
    expect(text).toMatch(/What comes to mind[^\n]*\n- On the page/);
    expect(text).toContain('Your last steps in this session:');
    expect(text).toContain('[add_to_cart] button "Add to Cart"');
    // only the page's elements can be acted on
    const click = (action.schema as any).properties.action.anyOf.find((a: any) => a.properties.type.const === 'click');
    expect(click.properties.target.enum).toEqual(['size.10', 'add_to_cart']);
  });

  it('the sensory cut keeps routine steps out of memory (they stay among the last steps shown)', async () => {
    const sim = await makeSim({ sessionRecentSteps: 1 });
    // 8 → kept, 3 and 2 → dropped at the original cut 0.62
    const s = scriptedLlm(script([3, 8, 2]));
    await sim.nextAction!(step(HISTORY), unit(s.llm));
    const text = lastUser(s.requests.at(-1)!);
    const memories = text.split('What comes to mind')[1]?.split('Your last steps')[0] ?? '';
    expect(memories).toContain('Trail Runner 3');
    expect(memories).not.toContain('typed "trail shoes"');
    expect(memories).not.toContain('[size.10]');
    const recent = text.split('Your last steps in this session:')[1]?.split('The page you are looking at now')[0] ?? '';
    expect(recent).toContain('[size.10]');
    expect(recent).toContain('2 earlier steps left out');
  });

  it('the first step of a session makes one call; the same step gives the same prompts (each step stands alone)', async () => {
    const sim = await makeSim();
    const s = scriptedLlm(script([]));
    await sim.nextAction!(step([]), unit(s.llm));
    expect(s.requests.map((r) => r.schemaName)).toEqual(['next_action']);
    expect(lastUser(s.requests[0]!)).toContain('(nothing comes to mind)');
    const a = scriptedLlm(script([7, 8, 9]));
    const b = scriptedLlm(script([7, 8, 9]));
    await sim.nextAction!(step(HISTORY), unit(a.llm));
    await sim.nextAction!(step(HISTORY), unit(b.llm));
    expect(b.requests.map(promptText)).toEqual(a.requests.map(promptText));
  });

  it('an observation names the element acted on by its label, or by its id alone when the page gives none', () => {
    expect(
      stepObservation({
        observation: 'Cart\n  [checkout] link',
        action: { type: 'click', clickType: 'purchase', target: 'checkout', text: null },
        rationale: null,
      }),
    ).toBe('On the page "Cart" I clicked [checkout] (purchase).');
    expect(
      stepObservation({
        observation: 'Cart',
        action: { type: 'terminate', clickType: null, target: null, text: null },
        rationale: 'done',
      }),
    ).toBe('On the page "Cart" I ended the session, because done.');
  });

  it('runs next-action and opera-consistency end to end on synthetic sessions with the offline LLM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recagent-sessions-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      `name: recagent-sessions
seed: 3
concurrency: 8
llm: { plugin: offline }
judge: { plugin: offline }
cache: { path: cache/llm.sqlite }
datasets:
  - { plugin: synthetic-sessions, id: shop, users: 4, minSessions: 3, maxSessions: 4, testFraction: 0.25 }
methods:
  - { plugin: recagent }
tasks:
  - { task: next-action }
  - { task: opera-consistency, maxSteps: 6 }
report: { B: 200 }
`,
    );
    const saved = process.env['USERSIM_DATASETS_DIR'];
    process.env['USERSIM_DATASETS_DIR'] = join(dir, 'datasets');
    try {
      const r = await runConfig(await loadConfig(file), { log: { info() {}, warn() {} }, cwd: dir });
      const m = r.metrics as MetricsFile;
      for (const task of ['next-action', 'opera-consistency']) {
        const cell = m.cells.find((c) => c.method === 'recagent' && c.task === task);
        expect(cell?.status, task).toBe('ok');
        expect(cell?.units.errors, `${task}: ${JSON.stringify(cell?.units.errorKinds)}`).toBe(0);
        expect(cell?.units.total).toBeGreaterThan(0);
        // at least the action call per step, plus the memory's calls over the earlier steps
        expect(cell?.usage.calls).toBeGreaterThan(cell?.units.total as number);
      }
    } finally {
      if (saved === undefined) delete process.env['USERSIM_DATASETS_DIR'];
      else process.env['USERSIM_DATASETS_DIR'] = saved;
    }
  });
});
