import { describe, expect, it } from 'vitest';
import { ActionModel, classOf, shapeOf } from '../../../../plugins/methods/markov/action-model.ts';
import markov from '../../../../plugins/methods/markov/index.ts';
import type { PastStep, Session, SessionAction } from '../../../../harness/plugin-api.ts';

const click = (target: string, clickType: SessionAction['clickType']): SessionAction => ({
  type: 'click',
  clickType,
  target,
  text: null,
});
const input = (target: string, text: string): SessionAction => ({ type: 'input', clickType: null, target, text });
const terminate: SessionAction = { type: 'terminate', clickType: null, target: null, text: null };
const page = (...ids: string[]) =>
  `Page: shop\nInteractive elements (${ids.length}):\n${ids.map((id) => `  [${id}] a "${id}"`).join('\n')}`;
const past = (action: SessionAction): PastStep => ({ observation: page(), action, rationale: null });

function session(id: string, actions: SessionAction[]): Session {
  return {
    id,
    user: 'u',
    split: 'train',
    purchased: false,
    steps: actions.map((action, index) => ({
      index,
      actionId: `${id}${index}`,
      timestamp: index,
      url: null,
      observation: '',
      action,
      rationale: null,
      products: [],
    })),
  };
}

const train = [
  session('a', [
    input('nav_bar.search_input', 'desk lamp'),
    click('nav_bar.search_button', 'search'),
    click('search_results.lamp_1.product_name', 'product_link'),
    terminate,
  ]),
  session('b', [
    input('nav_bar.search_input', 'desk lamp'),
    click('nav_bar.search_button', 'search'),
    click('search_results.mug_2.product_name', 'product_link'),
    click('buy_now', 'purchase'),
  ]),
  session('c', [input('nav_bar.search_input', 'mug'), click('nav_bar.search_button', 'search'), terminate]),
];

describe('markov action model', () => {
  it('names classes and shapes', () => {
    expect(classOf(click('x', 'search'))).toBe('click:search');
    expect(classOf(terminate)).toBe('terminate');
    expect(shapeOf('search_results.lamp_1.product_name')).toBe('search_results.*.product_name');
    expect(shapeOf('nav_bar.search_input')).toBe('nav_bar.search_input');
  });

  it('predicts the most frequent next class after the previous one, with the most used element and text', () => {
    const m = new ActionModel(train);
    // Start: always an input into the search box, with the most typed text (2 × "desk lamp" vs 1 × "mug").
    expect(m.predict([], page('nav_bar.search_input', 'nav_bar.search_button')).action).toEqual(
      input('nav_bar.search_input', 'desk lamp'),
    );
    // After an input: the search click.
    expect(
      m.predict([past(input('nav_bar.search_input', 'x'))], page('nav_bar.search_input', 'nav_bar.search_button'))
        .action,
    ).toEqual(click('nav_bar.search_button', 'search'));
    // After a search: product_link (2) beats terminate (1); the product on this page is new, so it is found by shape.
    const after = m.predict(
      [past(click('nav_bar.search_button', 'search'))],
      page('nav_bar.search_input', 'search_results.chair_7.product_name', 'search_results.chair_8.product_name'),
    );
    expect(after.action).toEqual(click('search_results.chair_7.product_name', 'product_link'));
  });

  it('skips a class the page does not allow, and ends the session when nothing fits', () => {
    const m = new ActionModel(train);
    // After a search with no product on the page: the next most frequent class, terminate.
    expect(m.predict([past(click('nav_bar.search_button', 'search'))], page('nav_bar.cart_button')).action).toEqual(
      terminate,
    );
    // After a product_link: terminate and purchase tie (1 each); ties go by class name, and "click:purchase" < "terminate".
    expect(
      m.predict([past(click('search_results.lamp_1.product_name', 'product_link'))], page('buy_now')).action,
    ).toEqual(click('buy_now', 'purchase'));
    expect(
      m.predict([past(click('search_results.lamp_1.product_name', 'product_link'))], page('other')).action,
    ).toEqual(terminate);
  });

  it('is deterministic and fitted only on sessions', async () => {
    const sim = await markov.create({} as never, {
      seed: 1,
      configDir: '.',
      log: { info() {}, warn() {} },
      prompts: {},
    });
    const ctx = { rng: undefined as never, llm: null, signal: new AbortController().signal };
    const step = {
      persona: { id: 'u', attributes: {}, persona: '' },
      sessionId: 's',
      stepIndex: 0,
      history: [],
      observation: page('nav_bar.search_input'),
    };
    await expect(sim.nextAction?.(step, ctx)).rejects.toMatchObject({
      kind: 'method',
      message: expect.stringMatching(/sessions dataset/),
    });
    await sim.fitSessions?.({ datasetName: 'x', users: [], sessions: train }, undefined as never);
    const a = await sim.nextAction?.(step, ctx);
    expect(a?.action).toEqual(input('nav_bar.search_input', 'desk lamp'));
    expect(await sim.nextAction?.(step, ctx)).toEqual(a);
  });
});
