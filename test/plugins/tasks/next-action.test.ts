import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import {
  nextAction as task,
  normaliseInput,
  outcomeStep,
  predictsPurchase,
  sameAction,
} from '../../../plugins/tasks/next-action/index.ts';
import { TASKS } from '../../support/tasks.ts';
import type {
  PersonaRecord,
  PredictedAction,
  Session,
  SessionAction,
  SessionsDataset,
  Simulator,
  StepContext,
} from '../../../harness/plugin-api.ts';
import { Rng } from '../../../harness/util/rng.ts';
import { unitsFor } from '../../../harness/plan/dataset-kinds.ts';
import { handDataset } from '../../support/hand-dataset.ts';
import { unitContext } from '../../support/hand-dataset.ts';

const click = (target: string, clickType: SessionAction['clickType'] = 'product_link'): SessionAction => ({
  type: 'click',
  clickType,
  target,
  text: null,
});
const input = (target: string, text: string): SessionAction => ({ type: 'input', clickType: null, target, text });
const terminate: SessionAction = { type: 'terminate', clickType: null, target: null, text: null };

function session(id: string, split: 'train' | 'test', actions: SessionAction[], user = 'u1'): Session {
  return {
    id,
    user,
    split,
    purchased: actions.some((a) => a.type === 'click' && a.clickType === 'purchase'),
    steps: actions.map((action, index) => ({
      index,
      actionId: `${id}-a${index}`,
      timestamp: index,
      url: null,
      observation: `Page: ${id} step ${index}\nInteractive elements (1):\n  [el${index}] button "x"`,
      action,
      rationale: index === 0 ? 'first' : null,
      products: [],
    })),
  };
}

type Options = Parameters<typeof task.aggregate>[1];
/** The task's options with its defaults filled in, as a config would give them. */
const opts = (o: Partial<Options> = {}): Options => Value.Default(task.options, { ...o }) as Options;

const persona: PersonaRecord = { id: 'u1', attributes: { Age: '30' }, persona: 'A careful shopper.' };
const bought = session('s1', 'test', [
  input('search', 'Desk Lamp'),
  click('search_btn', 'search'),
  click('p1'),
  click('buy', 'purchase'),
  terminate,
]);
const left = session('s2', 'test', [input('search', 'mug'), click('p2'), terminate]);
const ds: SessionsDataset = {
  kind: 'sessions',
  name: 'hand-sessions',
  users: [persona],
  sessions: [session('t1', 'train', [click('x'), terminate]), bought, left, session('empty', 'test', [])],
  checksums: {},
  choices: [],
};

/** A simulator that answers each step from a table keyed by "session:step", recording what it was shown. */
function scripted(answers: Record<string, SessionAction>, seen: StepContext[] = []): Simulator {
  return {
    async nextAction(step) {
      seen.push(step);
      const a = answers[`${step.sessionId}:${step.stepIndex}`] ?? terminate;
      return { action: a, rationale: 'because' };
    },
  };
}

describe('next-action units', () => {
  it('is registered, reads sessions datasets only, one unit per non-empty test session', () => {
    expect(TASKS['next-action']).toBe(task as unknown);
    const units = unitsFor(TASKS['next-action']!, ds, opts(), new Rng(1)) ?? [];
    expect(units.map((u) => u.key)).toEqual(['s1', 's2']);
    expect(units[0]?.items).toEqual(['s1-a0', 's1-a1', 's1-a2', 's1-a3', 's1-a4']);
    expect(units[0]?.gold).toEqual({ actions: bought.steps.map((s) => s.action), purchased: true });
    expect(unitsFor(TASKS['next-action']!, ds, opts({ sessions: 1 }), new Rng(1))?.map((u) => u.key)).toEqual(['s1']);
    // A ratings dataset has no sessions: n/a, not a crash; and the rating task does not apply to sessions.
    expect(
      unitsFor(TASKS['next-action']!, handDataset({ train: [], valid: [], test: [] }), opts(), new Rng(1)),
    ).toBeNull();
    expect(unitsFor(TASKS['rating']!, ds, { maxItemsPerUser: 20, users: null }, new Rng(1))).toBeNull();
    expect(
      task.buildUnits({ ...ds, sessions: ds.sessions.filter((s) => s.split === 'train') }, opts(), new Rng(1)),
    ).toEqual([]);
  });
});

describe('next-action matching', () => {
  it('matches the target for clicks, target and text for inputs (exact by default, as OPeRA), type alone for terminate', () => {
    expect(sameAction(click('a', 'search'), click('a', 'product_link'))).toBe(true);
    expect(sameAction(click('b'), click('a'))).toBe(false);
    expect(sameAction(input('s', 'desk lamp'), input('s', 'desk lamp'))).toBe(true);
    // OPeRA asks for the exact input text: case and spacing count unless inputMatch is normalised.
    expect(sameAction(input('s', '  "Desk   LAMP." '), input('s', 'desk lamp'))).toBe(false);
    expect(sameAction(input('s', '  "Desk   LAMP." '), input('s', 'desk lamp'), 'normalised')).toBe(true);
    expect(sameAction(input('s', 'desk lamps'), input('s', 'desk lamp'), 'normalised')).toBe(false);
    expect(sameAction(input('t', 'desk lamp'), input('s', 'desk lamp'), 'normalised')).toBe(false);
    expect(sameAction(terminate, terminate)).toBe(true);
    expect(sameAction(click('a'), terminate)).toBe(false);
    expect(normaliseInput(null)).toBe('');
  });

  it('a gold action the loader kept without target or text can never be matched', () => {
    const untargeted: SessionAction = { type: 'click', clickType: 'other', target: null, text: null };
    expect(sameAction({ ...click('x'), target: null }, untargeted)).toBe(false);
    const noText: SessionAction = { type: 'input', clickType: null, target: 's', text: null };
    expect(sameAction({ ...input('s', ''), text: null }, noText, 'normalised')).toBe(false);
  });

  it('the outcome step is the last step, or the purchase click a final terminate follows', () => {
    expect(outcomeStep(bought.steps.map((s) => s.action))).toBe(3);
    expect(outcomeStep(left.steps.map((s) => s.action))).toBe(2);
    expect(outcomeStep([click('a'), click('buy', 'purchase')])).toBe(1);
  });

  it("reads the predicted outcome only up to the human's first purchase click", () => {
    const p = (a: SessionAction): PredictedAction => ({ action: a });
    const gold = bought.steps.map((s) => s.action);
    // Purchase predicted at the step where the human bought: counts.
    expect(
      predictsPurchase([p(terminate), p(terminate), p(terminate), p(click('buy', 'purchase')), p(terminate)], gold),
    ).toBe(true);
    // Purchase predicted only after the human's purchase (history shows it): does not count.
    expect(
      predictsPurchase([p(terminate), p(terminate), p(terminate), p(terminate), p(click('buy', 'purchase'))], gold),
    ).toBe(false);
    // A session without a human purchase: every step counts.
    expect(
      predictsPurchase(
        [p(terminate), p(click('buy', 'purchase')), p(terminate)],
        left.steps.map((s) => s.action),
      ),
    ).toBe(true);
  });
});

describe('next-action run', () => {
  it('shows each step the persona, the human history before it and the page, never the gold action', async () => {
    const seen: StepContext[] = [];
    const answer = await task.run(scripted({}, seen), persona, bought, unitContext());
    expect(answer.steps).toHaveLength(5);
    const byStep = [...seen].sort((a, b) => a.stepIndex - b.stepIndex);
    expect(byStep.map((s) => s.history.length)).toEqual([0, 1, 2, 3, 4]);
    expect(byStep[3]?.history.map((h) => h.action)).toEqual(bought.steps.slice(0, 3).map((s) => s.action));
    expect(byStep[3]?.observation).toBe(bought.steps[3]?.observation);
    expect(byStep[1]?.history[0]?.rationale).toBe('first');
    expect(byStep[0]?.persona).toBe(persona);
    for (const s of seen)
      expect(Object.keys(s).sort()).toEqual(['history', 'observation', 'persona', 'sessionId', 'stepIndex']);
  });

  it('an unusable action is an answer error naming the step; a method without the capability is a method error', async () => {
    const bad = {
      async nextAction() {
        return { action: { type: 'scroll', clickType: null, target: null, text: null } as unknown as SessionAction };
      },
    };
    await expect(task.run(bad, persona, left, unitContext())).rejects.toMatchObject({
      kind: 'answer',
      message: expect.stringMatching(/step 1: action type "scroll"/),
    });
    const noTarget = {
      async nextAction() {
        return { action: { type: 'click', clickType: 'search', target: null, text: null } as SessionAction };
      },
    };
    await expect(task.run(noTarget, persona, left, unitContext())).rejects.toMatchObject({
      kind: 'answer',
      message: expect.stringMatching(/semantic id/),
    });
    const badClick = {
      async nextAction() {
        return { action: { type: 'click', clickType: 'hover', target: 'x', text: null } as unknown as SessionAction };
      },
    };
    await expect(task.run(badClick, persona, left, unitContext())).rejects.toMatchObject({
      kind: 'answer',
      message: expect.stringMatching(/13 OPeRA click types/),
    });
    await expect(task.run({}, persona, left, unitContext())).rejects.toMatchObject({ kind: 'method' });
  });
});

describe('next-action click types', () => {
  it('a predicted click without a type is an "other" click; a gold click without a type is left out of click-type scoring', async () => {
    const typedOther = session('s9', 'test', [click('a', 'other'), terminate]);
    const unit = task.buildUnits({ ...ds, sessions: [typedOther] }, opts(), new Rng(1))![0]!;
    const answer = await task.run(scripted({ 's9:0': click('b', null) }), persona, typedOther, unitContext());
    expect(task.score(unit, answer)['clickTypeAccuracy']).toBe(1);
    expect(
      task.aggregate([{ id: 'x', unit, answer, scores: task.score(unit, answer) }], opts())['click-type-f1']?.value,
    ).toBe(1);

    const untyped = session('s8', 'test', [click('a', null), click('b', 'search'), terminate]);
    const u2 = task.buildUnits({ ...ds, sessions: [untyped] }, opts(), new Rng(1))![0]!;
    const a2 = await task.run(
      scripted({ 's8:0': click('a', 'purchase'), 's8:1': click('b', 'search') }),
      persona,
      untyped,
      unitContext(),
    );
    // Only the typed gold click (search, predicted right) is scored.
    expect(task.score(u2, a2)).toMatchObject({ clicks: 1, clickTypeAccuracy: 1 });
    const counts = task.aggregate([{ id: 'x', unit: u2, answer: a2, scores: task.score(u2, a2) }], opts())[
      'click-type-f1'
    ];
    expect(counts?.value).toBe(1);
    expect(counts?.pooledF1?.[0]?.reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('next-action scores', () => {
  const units = task.buildUnits(ds, opts(), new Rng(1)) ?? [];
  const run = async (sim: Simulator) =>
    Promise.all(
      units.map(async (unit, k) => {
        const s = ds.sessions.find((x) => x.id === unit.key) as Session;
        const answer = await task.run(sim, persona, s, unitContext());
        return { id: `id${k}`, unit, answer, scores: task.score(unit, answer) };
      }),
    );

  it('a simulator that repeats the human gets every metric at 1, under every option', async () => {
    const perfect: Record<string, SessionAction> = {};
    for (const s of [bought, left]) s.steps.forEach((st, i) => (perfect[`${s.id}:${i}`] = st.action));
    const done = await run(scripted(perfect));
    for (const o of [
      opts(),
      opts({ inputMatch: 'normalised', accuracy: 'session-macro', actionTypeF1: 'weighted' }),
      opts({ clickTypeF1: 'macro', clickTypeLabels: 'present', outcome: 'first-purchase' }),
    ]) {
      const m = task.aggregate(done, o);
      expect(m['action-accuracy']?.value).toBe(1);
      expect(m['action-type-f1']?.value).toBe(1);
      expect(m['click-type-f1']?.value).toBe(1);
      expect(m['outcome-f1']?.value).toBe(1);
    }
  });

  // s1 (5 steps): input text differs only in case; the search click right; p9 for p1; terminate for buy; terminate right.
  // s2 (3 steps): a click where the human typed, the right product, terminate.
  const answers: Record<string, SessionAction> = {
    's1:0': input('search', 'desk lamp'),
    's1:1': click('search_btn', 'search'),
    's1:2': click('p9', 'product_link'),
    's1:3': terminate,
    's2:0': click('search', 'search'),
    's2:1': click('p2', 'product_link'),
  };

  it('defaults follow OPeRA (ACL 2026 §4.2.2), worked out by hand', async () => {
    const done = await run(scripted(answers));
    expect(done[0]?.scores).toMatchObject({
      steps: 5,
      accuracy: 2 / 5,
      accuracyNormalised: 3 / 5,
      typeAccuracy: 4 / 5,
      clicks: 3,
      clickTypeAccuracy: 2 / 3,
      outcomeCorrect: 0,
      // Outcome step of s1 is the purchase click (a terminate follows it); predicted terminate.
      terminalCorrect: 0,
    });
    expect(done[1]?.scores).toMatchObject({
      steps: 3,
      accuracy: 2 / 3,
      accuracyNormalised: 2 / 3,
      typeAccuracy: 2 / 3,
      clicks: 1,
      clickTypeAccuracy: 1,
      outcomeCorrect: 1,
      terminalCorrect: 1,
    });
    const m = task.aggregate(done, opts());
    // Exact action accuracy, micro over the 8 pooled steps: (2 + 2) / 8; the session mean is kept as extra.
    expect(m['action-accuracy']?.value).toBeCloseTo(4 / 8, 15);
    expect(m['action-accuracy']?.estimator).toBe('weighted-mean');
    expect(m['action-accuracy']?.unitWeights).toEqual([5, 3]);
    expect(m['action-accuracy']?.extra?.['session-macro']).toBeCloseTo((2 / 5 + 2 / 3) / 2, 15);
    // Type F1 over 8 steps: gold [i c c c t | i c t], predicted [i c c t t | c c t].
    // click: tp 3, fp 1, fn 1 → 6/8 (support 4); input: tp 1, fn 1 → 2/3 (2); terminate: tp 2, fp 1 → 4/5 (2).
    expect(m['action-type-f1']?.value).toBeCloseTo((0.75 + 2 / 3 + 0.8) / 3, 15);
    expect(m['action-type-f1']?.estimator).toBe('pooled-f1');
    expect(m['action-type-f1']?.extra?.['weighted']).toBeCloseTo((4 * 0.75 + 2 * (2 / 3) + 2 * 0.8) / 8, 15);
    // Click types on the 4 gold clicks: search ✓, product_link ✓, purchase → terminate ✗, product_link ✓.
    // search 1 (support 1), product_link 1 (2), purchase 0 (1): weighted 3/4; macro over all 13 types 2/13.
    expect(m['click-type-f1']?.value).toBeCloseTo(3 / 4, 15);
    expect(m['click-type-f1']?.estimator).toBe('pooled-weighted-f1');
    expect(m['click-type-f1']?.extra?.['macro']).toBeCloseTo(2 / 13, 15);
    expect(m['click-type-f1']?.pooledF1?.[0]).toHaveLength(39);
    // Outcome at the outcome steps: s1 gold purchase, predicted terminate; s2 gold terminate, predicted terminate.
    // purchase: fn 1 → 0 (support 1); terminate: tp 1, fp 1 → 2/3 (support 1): weighted 1/3; accuracy 1/2.
    expect(m['outcome-f1']?.value).toBeCloseTo(1 / 3, 15);
    expect(m['outcome-f1']?.estimator).toBe('pooled-weighted-f1');
    expect(m['outcome-f1']?.extra?.['accuracy']).toBe(0.5);
  });

  it('the previous definitions stay available as options', async () => {
    const done = await run(scripted(answers));
    const m = task.aggregate(
      done,
      opts({
        inputMatch: 'normalised',
        accuracy: 'session-macro',
        actionTypeF1: 'weighted',
        clickTypeF1: 'macro',
        clickTypeLabels: 'present',
        outcome: 'first-purchase',
      }),
    );
    expect(m['action-accuracy']?.value).toBeCloseTo((3 / 5 + 2 / 3) / 2, 15);
    expect(m['action-accuracy']?.estimator).toBe('mean');
    expect(m['action-accuracy']?.extra?.['micro']).toBeCloseTo(5 / 8, 15);
    expect(m['action-type-f1']?.value).toBeCloseTo((4 * 0.75 + 2 * (2 / 3) + 2 * 0.8) / 8, 15);
    expect(m['action-type-f1']?.extra?.['macro']).toBeCloseTo((0.75 + 2 / 3 + 0.8) / 3, 15);
    expect(m['click-type-f1']?.value).toBeCloseTo(2 / 3, 15);
    expect(m['click-type-f1']?.estimator).toBe('pooled-f1');
    expect(m['click-type-f1']?.extra?.['weighted']).toBeCloseTo(3 / 4, 15);
    expect(task.aggregate(done, opts({ clickTypeF1: 'macro' }))['click-type-f1']?.estimator).toBe(
      'pooled-f1-all-classes',
    );
    // Outcome (ours): s1 bought, none predicted (fn); s2 not bought, none predicted (tn) → F1 of the positive class 0.
    expect(m['outcome-f1']?.value).toBe(0);
    expect(m['outcome-f1']?.pooledF1).toEqual([
      [0, 0, 1],
      [0, 0, 0],
    ]);
    // The per-unit scores follow the options too.
    const specs = task.metrics(opts({ inputMatch: 'normalised', outcome: 'first-purchase' }));
    expect(specs.map((x) => x.unitScore)).toEqual([
      'accuracyNormalised',
      'typeAccuracy',
      'clickTypeAccuracy',
      'outcomeCorrect',
    ]);
    expect(task.metrics(opts()).map((x) => x.unitScore)).toEqual([
      'accuracy',
      'typeAccuracy',
      'clickTypeAccuracy',
      'terminalCorrect',
    ]);
  });
});
