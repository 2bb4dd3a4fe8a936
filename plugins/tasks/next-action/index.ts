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
  type F1Average,
  type Static,
} from '../../../harness/plugin-api.js';

const Options = Type.Object(
  {
    sessions: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: null,
      description: 'Evaluate at most this many test sessions (in dataset order); null: all.',
    }),
    inputMatch: Type.Union([Type.Literal('exact'), Type.Literal('normalised')], {
      default: 'exact',
      description:
        'How an input\'s text must match: exact (OPeRA ACL 2026 §4.2.2: "generating exact input text"), or normalised (case, spacing and surrounding quotes/punctuation ignored; ours, the previous default).',
    }),
    accuracy: Type.Union([Type.Literal('micro'), Type.Literal('session-macro')], {
      default: 'micro',
      description:
        'Action accuracy shown: micro over all test steps (OPeRA: one number over the n = 902 instances), or the mean of per-session accuracies; the other is stored in metrics.json as extra.',
    }),
    actionTypeF1: Type.Union([Type.Literal('macro'), Type.Literal('weighted')], {
      default: 'macro',
      description:
        "Action-type F1 shown (click, input, terminate): macro (OPeRA Table 5's headline) or weighted by support (OPeRA Table 8 reports both); the other is stored as extra.",
    }),
    clickTypeF1: Type.Union([Type.Literal('weighted'), Type.Literal('macro')], {
      default: 'weighted',
      description:
        'Click-type F1 shown, on gold-click steps: weighted by support (OPeRA §4.2.2, Table 5) or macro over clickTypeLabels (ours, the previous default); the other is stored as extra.',
    }),
    clickTypeLabels: Type.Union([Type.Literal('all-13'), Type.Literal('present')], {
      default: 'all-13',
      description:
        'Classes a macro click-type F1 averages: all 13 OPeRA click types (one that never occurs counts 0; OPeRA Table 3 defines the 13) or only those present in gold or prediction (the previous default). A weighted F1 is the same either way.',
    }),
    outcome: Type.Union([Type.Literal('terminal-step'), Type.Literal('first-purchase')], {
      default: 'terminal-step',
      description:
        "Session outcome: terminal-step = the prediction at each session's last step, purchase click vs terminate, weighted F1 with accuracy as extra (OPeRA §4.2.2, Tables 5 and 8); first-purchase = binary F1 of a purchase predicted at or before the human's first purchase click (ours, the previous default).",
    }),
  },
  { additionalProperties: false },
);
type Options = Static<typeof Options>;

interface Gold {
  readonly actions: readonly SessionAction[];
  readonly purchased: boolean;
}

interface Answer {
  readonly steps: readonly PredictedAction[];
}

/** Input text compared leniently (inputMatch: normalised): case, spacing and surrounding punctuation do not count (ours). */
export function normaliseInput(text: string | null): string {
  return (text ?? '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'.,!?]+|[\s"'.,!?]+$/g, '');
}

/**
 * Exact match of the action type and the attributes that identify it (OPeRA
 * ACL 2026 §4.2.2): the target for a click (its click type does not count),
 * the target and the text for an input, the type alone for terminate. A gold
 * action without a target (a row the loader kept untargeted) never matches.
 */
export function sameAction(p: SessionAction, g: SessionAction, inputMatch: Options['inputMatch'] = 'exact'): boolean {
  if (p.type !== g.type) return false;
  if (g.type === 'terminate') return true;
  if (g.target === null || p.target !== g.target) return false;
  if (g.type === 'click') return true;
  if (g.text === null) return false;
  return inputMatch === 'exact' ? p.text === g.text : normaliseInput(p.text) === normaliseInput(g.text);
}

const isPurchase = (a: SessionAction) => a.type === 'click' && a.clickType === 'purchase';
/**
 * The predicted outcome under `outcome: first-purchase` (ours): the simulator
 * clicks a purchase button at a step before the human's first purchase click,
 * or at that step. Later steps do not count: their history already shows the
 * human buying.
 */
export function predictsPurchase(steps: readonly PredictedAction[], gold: readonly SessionAction[]): boolean {
  const first = gold.findIndex(isPurchase);
  const upTo = first < 0 ? steps.length : first + 1;
  return steps.slice(0, upTo).some((s) => isPurchase(s.action));
}

/** OPeRA's session outcome classes: a terminal step is a purchase click or a terminate; anything else is "other". */
export const OUTCOME_CLASSES = ['purchase', 'terminate', 'other'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/**
 * The step whose action is the session's outcome: its last step, except that
 * a terminate right after a purchase click leaves the purchase click as the
 * outcome (ours: OPeRA's purchase sessions end at the purchase click, ACL 2026
 * Table 7 has 40 terminates for 90 sessions; sessions that close a purchase
 * with a terminate, as the synthetic ones do, are read the same way).
 */
export function outcomeStep(gold: readonly SessionAction[]): number {
  const last = gold.length - 1;
  const before = gold[last - 1];
  return gold[last]?.type === 'terminate' && before && isPurchase(before) ? last - 1 : last;
}

export function outcomeClass(a: SessionAction | undefined): OutcomeClass {
  if (!a) return 'other';
  if (isPurchase(a)) return 'purchase';
  return a.type === 'terminate' ? 'terminate' : 'other';
}

const NO_CLICK = '(not a click)';
const isTypedClick = (a: SessionAction) => a.type === 'click' && a.clickType !== null;

/** Per-unit class counts of the F1 metrics, from the gold and the answer. */
function countsOf(
  gold: Gold,
  answer: Answer,
): { type: number[]; click: number[]; outcome: number[]; terminal: number[] } {
  const predicted = answer.steps.map((s) => s.action);
  const type = classCounts(
    predicted.map((a) => a.type),
    gold.actions.map((a) => a.type),
    ACTION_TYPES,
  );
  // Gold clicks without a click type (rows the loader kept with a null click_type) have no class to score.
  const clickSteps = gold.actions.flatMap((a, i) => (isTypedClick(a) ? [i] : []));
  const click = classCounts(
    clickSteps.map((i) => {
      const p = predicted[i] as SessionAction;
      return p.type === 'click' ? (p.clickType ?? 'other') : NO_CLICK;
    }),
    clickSteps.map((i) => gold.actions[i]?.clickType as string),
    CLICK_TYPES as readonly string[],
  );
  const outcome = classCounts([predictsPurchase(answer.steps, gold.actions)], [gold.purchased], [true]);
  const last = outcomeStep(gold.actions);
  const terminal = classCounts(
    [outcomeClass(predicted[last])],
    [outcomeClass(gold.actions[last])],
    OUTCOME_CLASSES as readonly OutcomeClass[],
  );
  return { type, click, outcome, terminal };
}

const MACRO_ESTIMATOR: Record<Options['clickTypeLabels'], string> = {
  'all-13': 'pooled-f1-all-classes',
  present: 'pooled-f1',
};
const AVERAGE_OF_ESTIMATOR: Record<string, F1Average> = {
  'pooled-f1': 'macro',
  'pooled-f1-all-classes': 'macro-all',
  'pooled-weighted-f1': 'weighted',
};

/**
 * Next-action prediction on web-shopping sessions (OPeRA). For
 * every step of a test session the simulator sees the persona, the human's
 * earlier steps (observation, action, rationale) and the current page, and
 * predicts the next action. Units are sessions. The scoring options default
 * to the OPeRA paper's definitions (ACL 2026 §4.2.2, Tables 5 and 8); the
 * alternative of each is kept in metrics.json as `extra`.
 */
export const nextAction = defineSessionTask({
  name: 'next-action',
  description:
    'Predict each next action of test shopping sessions (OPeRA): action accuracy, action-type F1, click-type F1, session-outcome F1.',
  version: 2,
  needs: { data: 'sessions', capabilities: ['nextAction'] },
  options: Options,
  choices: [
    'next-action: every step is predicted from the human history up to it (teacher forcing), so steps are independent predictions',
    'next-action: a click matches on its target alone, an input on its target and text (inputMatch: exact by default, as OPeRA; normalised ignores case, spacing and surrounding punctuation), terminate on its type',
    "next-action: F1 values pool the steps of all sessions (action types over {click, input, terminate}; click types on gold clicks that have a click type, a non-click prediction there counting as a miss; outcome over {purchase, terminate, other} at each session's last step, or binary purchase with outcome: first-purchase); the bootstrap resamples sessions",
    "next-action: with outcome: terminal-step, a terminate right after a purchase click leaves the purchase click as the session's outcome step",
    'next-action: the predicted click type is the simulator\'s own clickType; a click without one counts as "other"',
  ],
  metrics(o: Options) {
    return [
      {
        key: 'action-accuracy',
        label: 'Action acc',
        direction: 'higher' as const,
        unitScore: o.inputMatch === 'exact' ? 'accuracy' : 'accuracyNormalised',
      },
      { key: 'action-type-f1', label: 'Type F1', direction: 'higher' as const, unitScore: 'typeAccuracy' },
      { key: 'click-type-f1', label: 'Click F1', direction: 'higher' as const, unitScore: 'clickTypeAccuracy' },
      {
        key: 'outcome-f1',
        label: 'Outcome F1',
        direction: 'higher' as const,
        unitScore: o.outcome === 'terminal-step' ? 'terminalCorrect' : 'outcomeCorrect',
      },
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
  /** Every scoring variant per session (the options pick among them in `metrics` and `aggregate`). */
  score(unit, answer) {
    const gold = unit.gold;
    let exact = 0;
    let lenient = 0;
    let typeRight = 0;
    let clicks = 0;
    let clickRight = 0;
    gold.actions.forEach((g, i) => {
      const p = (answer.steps[i] as PredictedAction).action;
      if (sameAction(p, g, 'exact')) exact++;
      if (sameAction(p, g, 'normalised')) lenient++;
      if (p.type === g.type) typeRight++;
      if (isTypedClick(g)) {
        clicks++;
        // As in the F1 counts: a predicted click without a type is an "other" click.
        if (p.type === 'click' && (p.clickType ?? 'other') === g.clickType) clickRight++;
      }
    });
    const n = gold.actions.length;
    const last = outcomeStep(gold.actions);
    return {
      steps: n,
      accuracy: exact / n,
      accuracyNormalised: lenient / n,
      typeAccuracy: typeRight / n,
      clicks,
      clickTypeAccuracy: clicks === 0 ? Number.NaN : clickRight / clicks,
      outcomeCorrect: predictsPurchase(answer.steps, gold.actions) === gold.purchased ? 1 : 0,
      terminalCorrect:
        outcomeClass((answer.steps[last] as PredictedAction).action) === outcomeClass(gold.actions[last]) ? 1 : 0,
    };
  },
  aggregate(done, o: Options) {
    const ids = done.map((d) => d.id);
    const score = (k: string) => done.map((d) => d.scores[k] as number);
    const counts = done.map((d) => countsOf(d.unit.gold, d.answer));
    const pooled = (
      key: 'type' | 'click' | 'outcome' | 'terminal',
      unitScores: number[],
      estimator: string,
      extra: Record<string, number> = {},
    ): MetricValue => {
      const c = counts.map((x) => x[key]);
      const f1 = (e: string) => (done.length === 0 ? Number.NaN : pooledF1(c, undefined, AVERAGE_OF_ESTIMATOR[e]));
      return {
        value: f1(estimator),
        n: done.length,
        estimator,
        unitIds: ids,
        unitScores,
        pooledF1: c,
        ...(Object.keys(extra).length > 0 ? { extra } : {}),
      };
    };
    const f1Of = (key: 'type' | 'click', average: F1Average) =>
      done.length === 0
        ? Number.NaN
        : pooledF1(
            counts.map((x) => x[key]),
            undefined,
            average,
          );

    const steps = score('steps');
    const totalSteps = steps.reduce((a, b) => a + b, 0);
    const perSession = score(o.inputMatch === 'exact' ? 'accuracy' : 'accuracyNormalised');
    const micro =
      totalSteps === 0 ? Number.NaN : perSession.reduce((s, a, k) => s + a * (steps[k] as number), 0) / totalSteps;
    const macro = done.length === 0 ? Number.NaN : perSession.reduce((s, a) => s + a, 0) / done.length;
    const accuracy: MetricValue =
      o.accuracy === 'micro'
        ? {
            value: micro,
            n: done.length,
            estimator: 'weighted-mean',
            unitIds: ids,
            unitScores: perSession,
            unitWeights: steps,
            extra: { steps: totalSteps, 'session-macro': macro },
          }
        : {
            value: macro,
            n: done.length,
            estimator: 'mean',
            unitIds: ids,
            unitScores: perSession,
            extra: { steps: totalSteps, micro },
          };

    const typeShown = o.actionTypeF1 === 'macro' ? 'pooled-f1' : 'pooled-weighted-f1';
    const typeExtra: Record<string, number> =
      o.actionTypeF1 === 'macro' ? { weighted: f1Of('type', 'weighted') } : { macro: f1Of('type', 'macro') };
    const macroClick = MACRO_ESTIMATOR[o.clickTypeLabels];
    const clickShown = o.clickTypeF1 === 'weighted' ? 'pooled-weighted-f1' : macroClick;
    const clickExtra: Record<string, number> =
      o.clickTypeF1 === 'weighted'
        ? { macro: f1Of('click', AVERAGE_OF_ESTIMATOR[macroClick] as F1Average) }
        : { weighted: f1Of('click', 'weighted') };
    const terminal = score('terminalCorrect');
    const outcome =
      o.outcome === 'terminal-step'
        ? pooled('terminal', terminal, 'pooled-weighted-f1', {
            accuracy: done.length === 0 ? Number.NaN : terminal.reduce((a, b) => a + b, 0) / done.length,
          })
        : pooled('outcome', score('outcomeCorrect'), 'pooled-f1');
    return {
      'action-accuracy': accuracy,
      'action-type-f1': pooled('type', score('typeAccuracy'), typeShown, typeExtra),
      'click-type-f1': pooled('click', score('clickTypeAccuracy'), clickShown, clickExtra),
      'outcome-f1': outcome,
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
