import {
  Type,
  ACTION_TYPES,
  CLICK_TYPES,
  Rng,
  UnitError,
  classCounts,
  defineSessionTask,
  pooledF1,
  testSessionsOf,
  type MetricValue,
  type PastStep,
  type PredictedAction,
  type ScoredUnit,
  type SessionAction,
} from '../../../harness/plugin-api.js';

const Options = Type.Object(
  {
    sessions: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: null,
      description: 'Evaluate at most this many test sessions (in dataset order); null: all.',
    }),
  },
  { additionalProperties: false },
);

interface Gold {
  readonly actions: readonly SessionAction[];
  readonly purchased: boolean;
}

interface Answer {
  readonly steps: readonly PredictedAction[];
}

/** Input text compared as OPeRA's evaluation does in spirit: case, spacing and surrounding punctuation do not count (ours). */
export function normaliseInput(text: string | null): string {
  return (text ?? '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'.,!?]+|[\s"'.,!?]+$/g, '');
}

/** Exact match of the action type and the attributes that identify it. */
export function sameAction(p: SessionAction, g: SessionAction): boolean {
  if (p.type !== g.type) return false;
  if (g.type === 'click') return p.target === g.target;
  if (g.type === 'input') return p.target === g.target && normaliseInput(p.text) === normaliseInput(g.text);
  return true;
}

const isPurchase = (a: SessionAction) => a.type === 'click' && a.clickType === 'purchase';
/**
 * The predicted outcome (ours): the simulator clicks a purchase button at a
 * step before the human's first purchase click, or at that step. Later steps
 * do not count: their history already shows the human buying.
 */
export function predictsPurchase(steps: readonly PredictedAction[], gold: readonly SessionAction[]): boolean {
  const first = gold.findIndex(isPurchase);
  const upTo = first < 0 ? steps.length : first + 1;
  return steps.slice(0, upTo).some((s) => isPurchase(s.action));
}

const NO_CLICK = '(not a click)';

/** Per-unit class counts of the three F1 metrics, from the gold and the answer. */
function countsOf(gold: Gold, answer: Answer): { type: number[]; click: number[]; outcome: number[] } {
  const predicted = answer.steps.map((s) => s.action);
  const type = classCounts(
    predicted.map((a) => a.type),
    gold.actions.map((a) => a.type),
    ACTION_TYPES,
  );
  const clickSteps = gold.actions.flatMap((a, i) => (a.type === 'click' ? [i] : []));
  const click = classCounts(
    clickSteps.map((i) => {
      const p = predicted[i] as SessionAction;
      return p.type === 'click' ? (p.clickType ?? 'other') : NO_CLICK;
    }),
    clickSteps.map((i) => gold.actions[i]?.clickType ?? 'other'),
    CLICK_TYPES as readonly string[],
  );
  const outcome = classCounts([predictsPurchase(answer.steps, gold.actions)], [gold.purchased], [true]);
  return { type, click, outcome };
}

/**
 * Next-action prediction on web-shopping sessions (OPeRA). For
 * every step of a test session the simulator sees the persona, the human's
 * earlier steps (observation, action, rationale) and the current page, and
 * predicts the next action. Units are sessions.
 */
export const nextAction = defineSessionTask({
  name: 'next-action',
  description:
    'Predict each next action of test shopping sessions (OPeRA): action accuracy, action-type F1, click-type F1, session-outcome F1.',
  version: 1,
  needs: { data: 'sessions', capabilities: ['nextAction'] },
  options: Options,
  choices: [
    'next-action: every step is predicted from the human history up to it (teacher forcing), so steps are independent predictions',
    'next-action: input text matches after lower-casing, collapsing spaces and trimming surrounding quotes and punctuation',
    "next-action: the predicted session outcome is a purchase when the simulator clicks a purchase button at or before the step of the human's first purchase click (later steps already show the human buying)",
    'next-action: F1 values pool the steps of all sessions (macro over the classes present: {click, input, terminate}; the 13 click types on gold-click steps; binary purchase); the bootstrap resamples sessions',
  ],
  metrics() {
    return [
      { key: 'action-accuracy', label: 'Action acc', direction: 'higher' as const, unitScore: 'accuracy' },
      { key: 'action-type-f1', label: 'Type F1', direction: 'higher' as const, unitScore: 'typeAccuracy' },
      { key: 'click-type-f1', label: 'Click F1', direction: 'higher' as const, unitScore: 'clickTypeAccuracy' },
      { key: 'outcome-f1', label: 'Outcome F1', direction: 'higher' as const, unitScore: 'outcomeCorrect' },
    ];
  },
  noUnits(dataset) {
    return `${dataset.name} has no test session with at least one step (its ${dataset.sessions.length} sessions are all train sessions or empty)`;
  },
  buildUnits(dataset, options) {
    const test = testSessionsOf(dataset);
    return test.slice(0, options.sessions ?? undefined).map((s) => ({
      key: s.id,
      user: s.user,
      items: s.steps.map((st) => st.actionId),
      gold: { actions: s.steps.map((st) => st.action), purchased: s.purchased } as Gold,
    }));
  },
  async run(sim, persona, session, ctx): Promise<Answer> {
    const predict = sim.nextAction?.bind(sim);
    if (!predict) throw new UnitError('method', 'method has no nextAction capability');
    const past: PastStep[] = session.steps.map((st) => ({
      observation: st.observation,
      action: st.action,
      rationale: st.rationale,
    }));
    // One seed per step, drawn in order before the calls start: the answers do not depend on which call finishes first.
    const seeds = session.steps.map(() => ctx.rng.nextUint32());
    const steps = await Promise.all(
      session.steps.map((st, i) =>
        predict(
          { persona, sessionId: session.id, stepIndex: i, history: past.slice(0, i), observation: st.observation },
          { ...ctx, rng: Rng.derive(seeds[i] as number, 'step', i) },
        ),
      ),
    );
    steps.forEach((s, i) => checkAction(s, i));
    return { steps };
  },
  score(unit, answer) {
    const gold = unit.gold;
    let correct = 0;
    let typeRight = 0;
    let clicks = 0;
    let clickRight = 0;
    gold.actions.forEach((g, i) => {
      const p = (answer.steps[i] as PredictedAction).action;
      if (sameAction(p, g)) correct++;
      if (p.type === g.type) typeRight++;
      if (g.type === 'click') {
        clicks++;
        // As in the F1 counts: a click without a type is an "other" click.
        if (p.type === 'click' && (p.clickType ?? 'other') === (g.clickType ?? 'other')) clickRight++;
      }
    });
    const n = gold.actions.length;
    return {
      steps: n,
      accuracy: correct / n,
      typeAccuracy: typeRight / n,
      clicks,
      clickTypeAccuracy: clicks === 0 ? Number.NaN : clickRight / clicks,
      outcomeCorrect: predictsPurchase(answer.steps, gold.actions) === gold.purchased ? 1 : 0,
    };
  },
  aggregate(done) {
    const ids = done.map((d) => d.id);
    const score = (k: string) => done.map((d) => d.scores[k] as number);
    const counts = done.map((d) => countsOf(d.unit.gold, d.answer));
    const steps = score('steps');
    const totalSteps = steps.reduce((a, b) => a + b, 0);
    const pooled = (key: 'type' | 'click' | 'outcome', unitScores: number[]): MetricValue => {
      const c = counts.map((x) => x[key]);
      return {
        value: done.length === 0 ? Number.NaN : pooledF1(c),
        n: done.length,
        estimator: 'pooled-f1',
        unitIds: ids,
        unitScores,
        pooledF1: c,
      };
    };
    const accuracy: MetricValue = {
      value:
        totalSteps === 0
          ? Number.NaN
          : done.reduce((s, d) => s + (d.scores['accuracy'] as number) * (d.scores['steps'] as number), 0) / totalSteps,
      n: done.length,
      estimator: 'weighted-mean',
      unitIds: ids,
      unitScores: score('accuracy'),
      unitWeights: steps,
      extra: { steps: totalSteps },
    };
    return {
      'action-accuracy': accuracy,
      'action-type-f1': pooled('type', score('typeAccuracy')),
      'click-type-f1': pooled('click', score('clickTypeAccuracy')),
      'outcome-f1': pooled('outcome', score('outcomeCorrect')),
    };
  },
  distributions(done: ReadonlyArray<ScoredUnit<Gold, Answer>>) {
    const truth: Record<string, number> = {};
    const predicted: Record<string, number> = {};
    const label = (a: SessionAction) => (a.type === 'click' ? `click:${a.clickType ?? 'other'}` : a.type);
    for (const d of done) {
      for (const a of d.unit.gold.actions) truth[label(a)] = (truth[label(a)] ?? 0) + 1;
      for (const s of d.answer.steps) predicted[label(s.action)] = (predicted[label(s.action)] ?? 0) + 1;
    }
    return { true: truth, predicted };
  },
});

/** A predicted action the scorer can read, or a UnitError that says what was wrong. */
function checkAction(p: PredictedAction | undefined, i: number): void {
  const a = p?.action;
  const where = `step ${i + 1}`;
  if (!a || typeof a !== 'object') throw new UnitError('answer', `${where}: no action in the answer`);
  if (!(ACTION_TYPES as readonly string[]).includes(a.type))
    throw new UnitError('answer', `${where}: action type "${String(a.type)}" is not one of ${ACTION_TYPES.join(', ')}`);
  if (a.type === 'click' && a.clickType !== null && !(CLICK_TYPES as readonly string[]).includes(a.clickType)) {
    throw new UnitError(
      'answer',
      `${where}: click type "${String(a.clickType)}" is not one of the 13 OPeRA click types`,
    );
  }
  if (a.type !== 'terminate' && (typeof a.target !== 'string' || a.target === ''))
    throw new UnitError('answer', `${where}: a ${a.type} needs the semantic id of its target element`);
  if (a.type === 'input' && typeof a.text !== 'string')
    throw new UnitError('answer', `${where}: an input needs the text typed`);
}

export default nextAction;
