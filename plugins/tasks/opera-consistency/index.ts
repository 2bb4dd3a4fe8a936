import {
  Type,
  Rng,
  actionText,
  SHOP_CHOICES,
  TextShop,
  UnitError,
  catalogOf,
  countPages,
  defineSessionTask,
  renderTemplate,
  testSessionsOf,
  type Llm,
  type MetricValue,
  type PastStep,
  type PersonaRecord,
  type PredictedAction,
  type Session,
  type SessionAction,
  type SessionsDataset,
  type ShopItem,
  type ShopRanker,
} from '../../../harness/plugin-api.js';
import { askHumanLikeness } from '../shared/human-likeness-judge.js';

const Options = Type.Object(
  {
    sessions: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: null,
      description: 'Simulate at most this many test sessions (in dataset order); null: all.',
    }),
    maxSteps: Type.Integer({
      minimum: 1,
      default: 20,
      description: 'Actions a simulated session may take before it is cut off.',
    }),
    resultsPerPage: Type.Integer({ minimum: 1, default: 6, description: 'Products on a search results page.' }),
    recommender: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description:
        'Id of a configured recommender that orders the search results for each shopper (fitted on the train sessions as implicit feedback); null: the BM25 order.',
    }),
    humanLikeness: Type.Boolean({
      default: false,
      description:
        'Also ask the judge, once more per session, how human the session log looks (1-5, the human-likeness question on sessions); the Human (OPeRA) row is then judged too, in that column only.',
    }),
  },
  { additionalProperties: false },
);

interface Gold {
  /** What the simulated shopper is asked to shop for: the human session's first search (ours). */
  readonly intent: string;
  /** Means over the dataset's test sessions (the same in every unit). */
  readonly humanPages: number;
  readonly humanPurchaseRate: number;
  /** The task's options a unit needs at run time. */
  readonly maxSteps: number;
  readonly resultsPerPage: number;
  readonly recommender: string | null;
  /** Present (true) only with the option on, so that units without it are unchanged. */
  readonly humanLikeness?: true;
}

interface SimStep {
  readonly page: string;
  readonly action: SessionAction;
  readonly rationale: string;
  /** The shop ignored the action (no such element on the page). */
  readonly ignored: boolean;
}

interface Answer {
  readonly steps: readonly SimStep[];
  readonly pages: number;
  readonly purchased: boolean;
  /** null for the humans' own session (the reference row): the paper judges only simulated sessions. */
  readonly judge: {
    readonly supports: readonly (boolean | null)[];
    readonly personaFit: boolean;
    readonly reason: string;
  } | null;
  /** The human-likeness judge's 1-5 rating of the session log (option humanLikeness), for simulated and human sessions. */
  readonly humanLike?: number;
}

const isPurchase = (a: SessionAction) => a.type === 'click' && a.clickType === 'purchase';
const isFirstSearch = (a: SessionAction) => a.type === 'input' && !!a.text && /search/i.test(a.target ?? '');
/** Stand for the shop-confirmed purchase click, and any other step, when a simulated session's pages are counted. */
const BUY: SessionAction = { type: 'click', clickType: 'purchase', target: null, text: null };
const BROWSE: SessionAction = { type: 'click', clickType: 'other', target: null, text: null };

/**
 * Pages a session visited until its first purchase click (or its end): the
 * distinct consecutive pages among those its actions were taken on. The same
 * rule counts human and simulated sessions.
 */
function pagesUntilPurchase(
  steps: readonly { readonly observation: string; readonly action: SessionAction }[],
): number {
  const k = steps.findIndex((st) => isPurchase(st.action));
  return countPages((k < 0 ? steps : steps.slice(0, k + 1)).map((st) => st.observation));
}

/** The session's first search: text typed into a search box (never a product the human went on to buy). */
function intentOf(s: Session): string | null {
  const a = s.steps.find((st) => isFirstSearch(st.action))?.action;
  return a?.text?.trim() || null;
}

/** The catalog of a dataset's products, built once per loaded dataset. */
const catalogs = new WeakMap<SessionsDataset, ShopItem[]>();
function catalogFor(d: SessionsDataset): ShopItem[] {
  let c = catalogs.get(d);
  if (!c) catalogs.set(d, (c = catalogOf(d.sessions)));
  return c;
}

const pageTitle = (observation: string) => (observation.split('\n', 1)[0] ?? '').replace(/^Page:\s*/, '');

/**
 * OPeRA consistency: closed-loop sessions in a text shop built
 * from the dataset's products. The simulated shopper starts on the results of
 * the human session's first search and acts through `nextAction` until it
 * terminates, places an order or reaches maxSteps. An LLM judge (the config's
 * `judge:`, the same for every method) says for each step whether the stated
 * reason supports the action, and whether the whole session fits the persona.
 * Pages per session and the purchase rate are compared with the human test
 * sessions of the same dataset. Units are sessions.
 */
export const operaConsistency = defineSessionTask({
  name: 'opera-consistency',
  description:
    "Closed-loop shopping in a text shop from the dataset's products; an LLM judge scores thought-action and persona-behaviour consistency; pages and purchases against the human sessions.",
  version: 2,
  needs: {
    data: 'sessions',
    capabilities: ['nextAction'],
    judge: true,
    refs: [{ option: 'recommender', list: 'recommenders', many: false }],
  },
  options: Options,
  prompts: {
    judgeSystem: new URL('./prompts/opera-judge-system.md', import.meta.url),
    judge: new URL('./prompts/opera-judge.md', import.meta.url),
    humanLikeSystem: new URL('./prompts/human-likeness-system.md', import.meta.url),
    humanLike: new URL('./prompts/human-likeness.md', import.meta.url),
  },
  choices: [
    "opera-consistency: the simulated shopper starts on the search results of the human session's first search (its intent), with that search in its history; test sessions without a search are not simulated (they still count in the human means)",
    'opera-consistency: pages per session = distinct consecutive pages acted on until the first purchase click or the end, for simulated and human sessions alike; a session purchases when it makes a purchase click (as the opera loader decides for humans)',
    'opera-consistency: one judge call per session scores every step (the reason supports the action) and the persona fit; an action the shop ignored (no such element) still counts as a step',
    "opera-consistency: the Human (OPeRA) reference row is the human test sessions that are units, unjudged (— in the judged columns, as in the paper); in the Pages gap and Purchase gap columns it shows the humans' own pages per session and purchase rate (%), the reference the gaps are measured from (which also counts the test sessions without a search)",
    "opera-consistency (ours), option humanLikeness: one more judge call per session rates its log 1-5 from most like an AI to most like a human (AlignUSER llm_evaluator.py question); the log is each step's page title and action (typed text, clicked element), from the first search on, without the stated reasons, which human sessions mostly lack; a human test session is cut at 2 + maxSteps steps, the window a simulated session has",
    'opera-consistency: search results are the top BM25 candidates over product titles, ordered by the recommender the task names (fitted on the train sessions, one interaction per shopper and product acted on) or, without one, in BM25 order',
    ...SHOP_CHOICES,
  ],
  metrics(options) {
    return [
      {
        key: 'thought-action',
        label: 'Thought-action %',
        direction: 'higher' as const,
        unitScore: 'share of steps judged consistent (%)',
        unit: 'per cent of the steps with a stated reason that the judge finds consistent with the action',
        judged: true,
      },
      {
        key: 'persona-behaviour',
        label: 'Persona-behaviour %',
        direction: 'higher' as const,
        unitScore: 'session judged to fit the persona (0/100)',
        unit: 'per cent of the sessions the judge finds consistent with the persona',
        judged: true,
      },
      {
        key: 'pages-gap',
        label: 'Pages gap',
        direction: 'lower' as const,
        unitScore: 'pages of the session',
        unit: '|simulated − human| mean pages per session until the first purchase click',
      },
      {
        key: 'purchase-gap',
        label: 'Purchase gap (pts)',
        direction: 'lower' as const,
        unitScore: 'session purchased (0/1)',
        unit: '|simulated − human| purchase rate, in percentage points',
      },
      ...(options.humanLikeness
        ? [
            {
              key: 'human-likeness',
              label: 'Human-like (1-5)',
              direction: 'higher' as const,
              unitScore: 'rating',
              unit: '1-5, judged on the session log',
              judged: true,
            },
          ]
        : []),
    ];
  },
  noUnits(dataset) {
    return testSessionsOf(dataset).length === 0
      ? `${dataset.name} has no test session with at least one step`
      : `none of the test sessions of ${dataset.name} starts from a search (a simulated session starts from the human's first search)`;
  },
  buildUnits(dataset, options) {
    const test = testSessionsOf(dataset);
    if (test.length === 0) return [];
    // The human means are over every test session; only sessions that start from a search become units.
    const humanMeanPages = test.reduce((a, s) => a + pagesUntilPurchase(s.steps), 0) / test.length;
    const humanPurchaseRate = test.filter((s) => s.purchased).length / test.length;
    const units = test.flatMap((s) => {
      const intent = intentOf(s);
      return intent
        ? [
            {
              key: s.id,
              user: s.user,
              items: [],
              gold: {
                intent,
                humanPages: humanMeanPages,
                humanPurchaseRate,
                maxSteps: options.maxSteps,
                resultsPerPage: options.resultsPerPage,
                recommender: options.recommender,
                ...(options.humanLikeness ? { humanLikeness: true } : {}),
              } as Gold,
            },
          ]
        : [];
    });
    return units.length === 0 ? null : units.slice(0, options.sessions ?? undefined);
  },
  async run(sim, persona, _session, ctx, unit, dataset): Promise<Answer> {
    const predict = sim.nextAction?.bind(sim);
    if (!predict) throw new UnitError('method', 'method has no nextAction capability');
    if (!unit || !dataset) throw new Error('opera-consistency: run needs its unit and dataset');
    if (!ctx.judge) throw new UnitError('method', 'opera-consistency needs an LLM judge (config judge: or llm:)');
    const { maxSteps, resultsPerPage, recommender } = unit.gold;
    const catalog = catalogFor(dataset);
    let rank: ShopRanker | undefined;
    if (recommender) {
      const fitted = ctx.env?.recommenders.find((r) => r.id === recommender);
      if (!fitted) throw new Error(`opera-consistency: recommender "${recommender}" was not fitted on this dataset`);
      // The shopper's whole ranking of the catalog, once per unit; candidates it leaves out go last, in BM25 order.
      let position: Map<string, number> | null = null;
      rank = (_query, candidates) => {
        position ??= new Map(
          fitted.recommendation.recommend(unit.user, catalog.length, new Set()).map((id, k) => [id, k]),
        );
        const at = (it: ShopItem) => position?.get(it.asin) ?? Number.MAX_SAFE_INTEGER;
        return candidates
          .map((it, k) => ({ it, k }))
          .sort((a, b) => at(a.it) - at(b.it) || a.k - b.k)
          .map((x) => x.it);
      };
    }
    const shop = new TextShop(catalog, { resultsPerPage, ...(rank ? { rank } : {}) });
    const history: PastStep[] = [];
    // The given start: the human's first search, typed and sent (in the history, as the shopper's own steps).
    const intent = unit.gold.intent;
    for (const action of [
      { type: 'input', clickType: null, target: 'nav_bar.search_input', text: intent },
      { type: 'click', clickType: 'search', target: 'nav_bar.search_button', text: null },
    ] as const satisfies readonly SessionAction[]) {
      const observation = shop.observation();
      shop.apply(action);
      history.push({ observation, action, rationale: `I want to buy ${intent}.` });
    }
    const simCtx = { rng: ctx.rng, llm: ctx.llm, signal: ctx.signal, ...(ctx.perUser ? { perUser: ctx.perUser } : {}) };
    const steps: SimStep[] = [];
    const seedBase = ctx.rng.nextUint32();
    let firstPurchase = -1;
    while (!shop.ended && steps.length < maxSteps) {
      const observation = shop.observation();
      const p: PredictedAction = await predict(
        { persona, sessionId: `${unit.key}#simulated`, stepIndex: history.length, history: [...history], observation },
        { ...simCtx, rng: Rng.derive(seedBase, 'step', steps.length) },
      );
      if (!p?.action || typeof p.action !== 'object')
        throw new UnitError('answer', `step ${steps.length + 1}: no action in the answer`);
      const before = shop.purchaseClicks;
      const r = shop.apply(p.action);
      if (firstPurchase < 0 && shop.purchaseClicks > before) firstPurchase = history.length;
      steps.push({ page: pageTitle(observation), action: p.action, rationale: p.rationale ?? '', ignored: !r.valid });
      history.push({ observation, action: p.action, rationale: p.rationale ?? null });
      if (p.action.type === 'terminate') break;
    }
    const judge = await judgeSession(ctx.judge, ctx.prompts ?? {}, persona, intent, steps);
    // The shop's view, not the simulator's claims: only the step where the shop counted a purchase is one.
    const acted = history.map((h, k) => ({ observation: h.observation, action: k === firstPurchase ? BUY : BROWSE }));
    const answer: Answer = { steps, pages: pagesUntilPurchase(acted), purchased: shop.purchaseClicks > 0, judge };
    if (!unit.gold.humanLikeness) return answer;
    // The history begins with the given start, which the shop never ignores.
    const given = history.length - steps.length;
    const log = history.map((h, k) => ({
      observation: h.observation,
      action: h.action,
      ignored: steps[k - given]?.ignored === true,
    }));
    return { ...answer, humanLike: await judgeHumanLike(ctx.judge, ctx.prompts ?? {}, log) };
  },
  reference: {
    label: 'Human (OPeRA)',
    async run(unit, dataset, ctx): Promise<Answer> {
      const s = dataset.sessions.find((x) => x.id === unit.key);
      if (!s) throw new Error(`opera-consistency: test session ${unit.key} is not in ${dataset.name}`);
      const answer: Answer = { steps: [], pages: pagesUntilPurchase(s.steps), purchased: s.purchased, judge: null };
      if (!unit.gold.humanLikeness) return answer;
      if (!ctx.judge) throw new UnitError('method', 'humanLikeness needs an LLM judge (config judge: or llm:)');
      const start = Math.max(
        0,
        s.steps.findIndex((st) => isFirstSearch(st.action)),
      );
      const log = s.steps
        .slice(start, start + 2 + unit.gold.maxSteps)
        .map((st) => ({ observation: st.observation, action: st.action, ignored: false }));
      return { ...answer, humanLike: await judgeHumanLike(ctx.judge, ctx.prompts ?? {}, log) };
    },
  },
  score(_unit, answer) {
    const judged = answer.judge?.supports.filter((x): x is boolean => x !== null) ?? [];
    return {
      ...(answer.humanLike !== undefined ? { humanLike: answer.humanLike } : {}),
      steps: answer.steps.length,
      judged: judged.length,
      thoughtAction: judged.length === 0 ? Number.NaN : (100 * judged.filter(Boolean).length) / judged.length,
      personaFit: answer.judge === null ? Number.NaN : answer.judge.personaFit ? 100 : 0,
      pages: answer.pages,
      purchased: answer.purchased ? 1 : 0,
    };
  },
  aggregate(done, options) {
    const ids = done.map((d) => d.id);
    const s = (k: string) => done.map((d) => d.scores[k] as number);
    const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
    const humanLike: Record<string, MetricValue> = options.humanLikeness
      ? {
          'human-likeness': {
            value: mean(s('humanLike')),
            n: done.length,
            estimator: 'mean',
            unitIds: ids,
            unitScores: s('humanLike'),
          },
        }
      : {};
    if (done.length > 0 && done.every((d) => d.answer.judge === null)) return { ...humanRow(done), ...humanLike };
    const judged = s('judged');
    const totalJudged = judged.reduce((a, b) => a + b, 0);
    const gold = done[0]?.unit.gold;
    const humanPages = gold?.humanPages ?? Number.NaN;
    const humanRate = gold?.humanPurchaseRate ?? Number.NaN;
    const pages = mean(s('pages'));
    const rate = mean(s('purchased'));
    const thoughtAction: MetricValue = {
      value:
        totalJudged === 0
          ? Number.NaN
          : done.reduce(
              (a, d) => a + ((d.scores['thoughtAction'] as number) || 0) * (d.scores['judged'] as number),
              0,
            ) / totalJudged,
      n: done.length,
      estimator: 'weighted-mean',
      unitIds: ids,
      unitScores: s('thoughtAction'),
      unitWeights: judged,
      extra: { steps: totalJudged },
    };
    return {
      'thought-action': thoughtAction,
      'persona-behaviour': {
        value: mean(s('personaFit')),
        n: done.length,
        estimator: 'mean',
        unitIds: ids,
        unitScores: s('personaFit'),
      },
      'pages-gap': {
        value: Math.abs(pages - humanPages),
        n: done.length,
        estimator: 'gap',
        unitIds: ids,
        unitScores: s('pages'),
        gap: { reference: humanPages, scale: 1 },
        extra: { simulated: pages, human: humanPages },
      },
      'purchase-gap': {
        value: 100 * Math.abs(rate - humanRate),
        n: done.length,
        estimator: 'gap',
        unitIds: ids,
        unitScores: s('purchased'),
        gap: { reference: humanRate, scale: 100 },
        extra: { simulated: 100 * rate, human: 100 * humanRate },
      },
      ...humanLike,
    };
  },
});

/**
 * The humans' own sessions (the reference row): nothing judged; the gap
 * columns show what the gaps are measured from, pages per session and the
 * purchase rate (%), with intervals over the sessions.
 */
function humanRow(done: ReadonlyArray<{ id: string; scores: Readonly<Record<string, number>> }>) {
  const ids = done.map((d) => d.id);
  const pages = done.map((d) => d.scores['pages'] as number);
  const bought = done.map((d) => 100 * (d.scores['purchased'] as number));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const none: MetricValue = { value: Number.NaN, n: 0, estimator: 'mean', unitIds: [], unitScores: [] };
  return {
    'thought-action': none,
    'persona-behaviour': none,
    'pages-gap': { value: mean(pages), n: done.length, estimator: 'mean', unitIds: ids, unitScores: pages },
    'purchase-gap': { value: mean(bought), n: done.length, estimator: 'mean', unitIds: ids, unitScores: bought },
  } satisfies Record<string, MetricValue>;
}

interface JudgeReply {
  readonly steps: readonly { readonly supports: boolean }[];
  readonly personaFit: boolean;
  readonly reason: string;
}

/** One judge call per session: per-step support and the persona fit. Steps without a stated reason are not judged (null). */
async function judgeSession(
  judge: Llm,
  prompts: Readonly<Record<string, string>>,
  persona: PersonaRecord,
  intent: string,
  steps: readonly SimStep[],
): Promise<NonNullable<Answer['judge']>> {
  const lines = steps.map(
    (st, k) =>
      `${k + 1}. on "${st.page}": ${actionText(st.action)}${st.ignored ? ' (the page had no such element; nothing happened)' : ''} — reason: ${st.rationale.trim() || '(none given)'}`,
  );
  const content = renderTemplate(prompts['judge'] ?? '', {
    persona: persona.persona.trim() || '(no survey answers)',
    intent,
    steps: lines.length > 0 ? lines.join('\n') : '(no steps)',
  });
  const reply = await judge.json<JudgeReply>({
    messages: [
      { role: 'system', content: prompts['judgeSystem'] ?? '' },
      { role: 'user', content },
    ],
    schema: {
      type: 'object',
      properties: {
        steps: {
          type: 'array',
          minItems: steps.length,
          maxItems: steps.length,
          items: {
            type: 'object',
            properties: { supports: { type: 'boolean' } },
            required: ['supports'],
            additionalProperties: false,
          },
        },
        personaFit: { type: 'boolean' },
        reason: { type: 'string' },
      },
      required: ['steps', 'personaFit', 'reason'],
      additionalProperties: false,
    },
    schemaName: 'session_judgement',
    temperature: 0,
    maxTokens: 400 + 20 * steps.length,
  });
  return {
    supports: steps.map((st, k) => (st.rationale.trim() === '' ? null : (reply.steps[k]?.supports ?? null))),
    personaFit: reply.personaFit,
    reason: reply.reason,
  };
}

/** One human-likeness judge call on a session log (the same for simulated and human sessions; never the method's name). */
async function judgeHumanLike(
  judge: Llm,
  prompts: Readonly<Record<string, string>>,
  log: readonly { readonly observation: string; readonly action: SessionAction; readonly ignored: boolean }[],
): Promise<number> {
  const lines = log.map(
    (st, k) =>
      `${k + 1}. on "${pageTitle(st.observation)}": ${actionText(st.action)}${st.ignored ? ' (the page had no such element; nothing happened)' : ''}`,
  );
  const reply = await askHumanLikeness(
    judge,
    prompts['humanLikeSystem'] ?? '',
    renderTemplate(prompts['humanLike'] ?? '', { log: lines.length > 0 ? lines.join('\n') : '(no steps)' }),
  );
  return reply.rating;
}

export default operaConsistency;
