import { describe, expect, it } from 'vitest';
import {
  actionFromReply,
  actionSchema,
  historyBlock,
  type ActionReply,
} from '../../../../plugins/methods/shared/session-actions.ts';
import { actionText, observationTargets, type StepContext } from '../../../../harness/data/sessions.ts';
import { createReplyAjv } from '../../../../harness/util/ajv.ts';
import { sampleFromSchema } from '../../../../plugins/llms/offline/schema-sample.ts';
import { Rng } from '../../../../harness/util/rng.ts';
import zeroShot from '../../../../plugins/methods/zero-shot/index.ts';
import { readFileSync } from 'node:fs';
import { promptText, scriptedLlm } from '../../../support/scripted-llm.ts';

const observation = [
  'Page: Amazon.com : desk lamp',
  'Products (1):',
  '  1. Lamp [2 pack] — $52.20 [search_results.lamp_11]',
  'Interactive elements (2):',
  '  [nav_bar.search_input] input "desk lamp"',
  '  [search_results.lamp_11.product_name] a "Lamp [2 pack]"',
].join('\n');
const step: StepContext = {
  persona: { id: 'u', attributes: {}, persona: 'Reads every review before buying.' },
  sessionId: 's',
  stepIndex: 2,
  history: [
    {
      observation: 'Page: Amazon.com\nInteractive elements (0):',
      action: { type: 'input', clickType: null, target: 'nav_bar.search_input', text: 'desk lamp' },
      rationale: 'I need a lamp',
    },
    {
      observation: 'Page: Amazon.com\nInteractive elements (0):',
      action: { type: 'click', clickType: 'search', target: 'nav_bar.search_button', text: null },
      rationale: null,
    },
  ],
  observation,
};

describe('session action helpers', () => {
  it('reads the element ids of an observation, not the product lines', () => {
    expect(observationTargets(observation)).toEqual(['nav_bar.search_input', 'search_results.lamp_11.product_name']);
  });

  it('admits only well-formed actions on listed elements; every offline sample validates', () => {
    const validate = createReplyAjv().compile(actionSchema(step));
    const ok: ActionReply[] = [
      { rationale: 'r', action: { type: 'terminate' } },
      {
        rationale: 'r',
        action: { type: 'click', clickType: 'product_link', target: 'search_results.lamp_11.product_name' },
      },
      { rationale: 'r', action: { type: 'input', target: 'nav_bar.search_input', text: 'lamp' } },
    ];
    for (const r of ok) expect(validate(r)).toBe(true);
    expect(
      validate({ rationale: 'r', action: { type: 'click', clickType: 'product_link', target: 'not_on_page' } }),
    ).toBe(false);
    expect(
      validate({ rationale: 'r', action: { type: 'click', clickType: 'hover', target: 'nav_bar.search_input' } }),
    ).toBe(false);
    expect(validate({ rationale: 'r', action: { type: 'input', target: 'nav_bar.search_input' } })).toBe(false);
    const rng = new Rng(3);
    for (let k = 0; k < 200; k++) expect(validate(sampleFromSchema(actionSchema(step), rng))).toBe(true);
    // A page with no elements leaves only terminate.
    const bare = createReplyAjv().compile(actionSchema({ ...step, observation: 'Page: empty' }));
    expect(bare({ rationale: 'r', action: { type: 'terminate' } })).toBe(true);
    expect(bare({ rationale: 'r', action: { type: 'click', clickType: 'other', target: 'x' } })).toBe(false);
  });

  it('turns a reply into a session action', () => {
    expect(actionFromReply({ rationale: 'r', action: { type: 'input', target: 't', text: 'mug' } })).toEqual({
      action: { type: 'input', clickType: null, target: 't', text: 'mug' },
      rationale: 'r',
    });
    expect(actionFromReply({ rationale: 'r', action: { type: 'terminate' } }).action).toEqual({
      type: 'terminate',
      clickType: null,
      target: null,
      text: null,
    });
  });

  it('writes the history newest last, with reasons, cutting the oldest steps', () => {
    expect(historyBlock([], 5)).toMatch(/first step/);
    const h = historyBlock(step.history, 1);
    expect(h).toBe('(1 earlier steps left out)\n2. on Page: Amazon.com → click [nav_bar.search_button] (search)');
    expect(historyBlock(step.history, 5)).toContain(
      '1. on Page: Amazon.com → input [nav_bar.search_input] "desk lamp" — because: I need a lamp',
    );
    expect(actionText({ type: 'terminate', clickType: null, target: null, text: null })).toMatch(/^terminate/);
  });
});

describe('zero-shot nextAction', () => {
  it("prompts with the persona, the history and the page, and returns the model's action", async () => {
    const prompts = Object.fromEntries(
      Object.entries(zeroShot.prompts ?? {}).map(([k, url]) => [k, readFileSync(url, 'utf8')]),
    );
    const sim = await zeroShot.create(
      { maxLiked: 15, maxDisliked: 5, temperature: 0, maxTokens: 800, maxHistorySteps: 20 },
      { seed: 1, configDir: '.', log: { info() {}, warn() {} }, prompts },
    );
    const s = scriptedLlm(() =>
      JSON.stringify({
        rationale: 'The reviews look good.',
        action: { type: 'click', clickType: 'product_link', target: 'search_results.lamp_11.product_name' },
      }),
    );
    const a = await sim.nextAction?.(step, { rng: new Rng(1), llm: s.llm, signal: new AbortController().signal });
    expect(a).toEqual({
      action: { type: 'click', clickType: 'product_link', target: 'search_results.lamp_11.product_name', text: null },
      rationale: 'The reviews look good.',
    });
    const text = promptText(s.requests[0]!);
    expect(text).toContain('Reads every review before buying.');
    expect(text).toContain('because: I need a lamp');
    expect(text).toContain('[search_results.lamp_11.product_name] a "Lamp [2 pack]"');
    expect(text).toContain('online');
  });

  it('a reply naming an element that is not on the page is repaired once, then a parse error', async () => {
    const prompts = Object.fromEntries(
      Object.entries(zeroShot.prompts ?? {}).map(([k, url]) => [k, readFileSync(url, 'utf8')]),
    );
    const sim = await zeroShot.create(
      { maxLiked: 15, maxDisliked: 5, temperature: 0, maxTokens: 800, maxHistorySteps: 20 },
      { seed: 1, configDir: '.', log: { info() {}, warn() {} }, prompts },
    );
    const s = scriptedLlm(() =>
      JSON.stringify({ rationale: 'x', action: { type: 'click', clickType: 'product_link', target: 'made_up' } }),
    );
    await expect(
      sim.nextAction?.(step, { rng: new Rng(1), llm: s.llm, signal: new AbortController().signal }),
    ).rejects.toMatchObject({ kind: 'parse' });
    expect(s.requests).toHaveLength(2);
  });
});
