import {
  defineMethod,
  Type,
  UnitError,
  type Item,
  type UnitContext,
  type UserView,
} from '../../../harness/plugin-api.js';
import { perUser } from '../shared/per-user.js';
import { needLlm } from '../shared/structured-calls.js';
import { Browser } from './browse.js';
import { Brain, type Decision, type Mode } from './decision.js';
import { RatingsGraph } from './knowledge-graph.js';
import { MemoryBank } from './memory.js';
import { perceive } from './perception.js';
import { PersonaMatcher, TrainPopulation } from './persona.js';
import { SHOP_CHOICES, ShopBrain } from './shop-session.js';

const Options = Type.Object(
  {
    historyItems: Type.Integer({
      minimum: 1,
      default: 50,
      description:
        'Training items drawn at random (seeded by the run seed and the user) that the LLM summarises for persona matching (paper: a random selection of 50).',
    }),
    personaCandidates: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 5,
      description: 'Candidate personas proposed per user (paper: 5); 1 skips the scoring calls.',
    }),
    personaScoring: Type.Union([Type.Literal('mae-contrast'), Type.Literal('rating-gap')], {
      default: 'mae-contrast',
      description:
        "How candidates are scored from the ratings they predict: mae-contrast = −MAE(own training ratings) + λ·MAE(other users' ratings) (ours); rating-gap = mean predicted rating of own items − of other users' items (the paper's formula as summarised).",
    }),
    scoringOwnItems: Type.Integer({
      minimum: 1,
      default: 6,
      description: "The user's own training items each candidate persona rates when scored.",
    }),
    scoringOtherItems: Type.Integer({
      minimum: 0,
      default: 6,
      description:
        "Other users' training ratings (on items this user has not rated) each candidate rates, for the contrast term; 0: no contrast.",
    }),
    contrastWeight: Type.Number({
      minimum: 0,
      default: 0.5,
      description: 'λ in score = −MAE(own) + λ·MAE(other): how much a persona is rewarded for not fitting strangers.',
    }),
    likedShown: Type.Integer({
      minimum: 0,
      default: 10,
      description: 'Most recent liked training items shown at preference elicitation (rating ≥ 4).',
    }),
    dislikedShown: Type.Integer({
      minimum: 0,
      default: 5,
      description: 'Most recent disliked training items shown at preference elicitation (rating ≤ 2).',
    }),
    memoryTopK: Type.Integer({
      minimum: 0,
      default: 2,
      description: 'Episodic memories retrieved (BM25) per offered item.',
    }),
    kgTopK: Type.Integer({
      minimum: 0,
      default: 3,
      description:
        'Knowledge-graph paths (user → rated item → shared genre / shared raters → candidate) shown per offered item.',
    }),
    collaborativePaths: Type.Boolean({
      default: true,
      description: 'Also link items through other users who rated both (training data); false: genre paths only.',
    }),
    reflectionsShown: Type.Integer({
      minimum: 0,
      default: 2,
      description: 'Most recent reflection notes shown at item evaluation.',
    }),
    refinementRounds: Type.Integer({
      minimum: 0,
      maximum: 3,
      default: 1,
      description:
        'Causal refinement calls per unit, and per page when browsing (self-check that may revise the choices).',
    }),
    crossUnitMemory: Type.Boolean({
      default: false,
      description:
        "Keep each unit's decisions and reflection in the user's episodic memory for the user's later units (units of one user then run one after another); false: every unit sees only the training history and no reflection call is made (a browsing visit still reflects in its exit interview, but nothing is kept).",
    }),
    maxDescriptionChars: Type.Integer({
      minimum: 0,
      default: 200,
      description: 'Item descriptions are cut to this many characters in every prompt.',
    }),
    temperature: Type.Number({
      minimum: 0,
      maximum: 2,
      default: 0,
      description: 'Sampling temperature of every call.',
    }),
    maxTokens: Type.Integer({ minimum: 16, default: 3000, description: 'Reply budget of every call.' }),
  },
  { additionalProperties: false },
);

function prompt(prompts: Readonly<Record<string, string>>, name: string): string {
  const p = prompts[name];
  if (p === undefined) throw new Error(`simuser: prompt template "${name}" was not loaded`);
  return p;
}

/**
 * SimUSER (Bougie & Watanabe, ACL 2025 Industry): persona matching, episodic
 * and knowledge-graph memory, text perception, and a brain loop of preference
 * elicitation, item evaluation, action selection, causal refinement and
 * reflection; in recommender evaluation, the same loop page by page (watch,
 * rate, next page or exit) with an exit interview. See README.md for what is
 * the paper's and what is ours.
 */
export default defineMethod({
  name: 'simuser',
  version: 2,
  description:
    'SimUSER: matched persona, episodic + knowledge-graph memory, and a brain loop (elicit, evaluate, select, refine, reflect); browses pages with watch/rate/next/exit and a satisfaction interview.',
  options: Options,
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'browse', 'nextAction'],
  prompts: {
    system: new URL('./prompts/system.md', import.meta.url),
    summarise: new URL('./prompts/summarise.md', import.meta.url),
    propose: new URL('./prompts/propose.md', import.meta.url),
    score: new URL('./prompts/score.md', import.meta.url),
    elicit: new URL('./prompts/elicit.md', import.meta.url),
    evaluate: new URL('./prompts/evaluate.md', import.meta.url),
    refine: new URL('./prompts/refine.md', import.meta.url),
    reflect: new URL('./prompts/reflect.md', import.meta.url),
    askLike: new URL('./prompts/ask-like.md', import.meta.url),
    askRate: new URL('./prompts/ask-rate.md', import.meta.url),
    page: new URL('./prompts/page.md', import.meta.url),
    refinePage: new URL('./prompts/refine-page.md', import.meta.url),
    exitInterview: new URL('./prompts/exit-interview.md', import.meta.url),
    shopSystem: new URL('./prompts/shop-system.md', import.meta.url),
    shopSummarise: new URL('./prompts/shop-summarise.md', import.meta.url),
    shopPropose: new URL('./prompts/shop-propose.md', import.meta.url),
    shopScore: new URL('./prompts/shop-score.md', import.meta.url),
    shopElicit: new URL('./prompts/shop-elicit.md', import.meta.url),
    shopSelect: new URL('./prompts/shop-select.md', import.meta.url),
    shopRefine: new URL('./prompts/shop-refine.md', import.meta.url),
  },
  choices: [
    'simuser: persona score (personaScoring: mae-contrast) = −MAE(own training ratings) + λ·MAE(other users’ training ratings), λ = contrastWeight (0.5); rating-gap (the paper’s Σ r̂(own) − Σ r̂(other)) uses means; ties go to the first proposed persona',
    'simuser: persona candidates rate one seeded sample of scoringOwnItems own and scoringOtherItems other-user items (6 + 6), one call per candidate (the paper samples several subsets)',
    'simuser: perception is item text only (title, genres, description); the paper captions thumbnails, our datasets have no images',
    'simuser: knowledge graph = user →rated(r)→ item →has_genre→ genre from training interactions; evidence = 3-hop paths ranked by PathSim (item–genre–item + item–user–item, equal weights)',
    'simuser: per-item work batched into one structured call per step: evaluation+selection, refinementRounds (1) causal refinements, one reflection',
    'simuser: units of a user are independent by default (crossUnitMemory: false), so a resumed or replayed run gives the same answers; crossUnitMemory: true carries decisions and reflections between them',
    "simuser: browse = per page one evaluation+selection call (thought, watch or pass, a rating on the dataset scale for each watched item, the page's feeling, next or exit) and refinementRounds (1) causal refinements that may revise choices, ratings and the move; datasets without stars are rated 1–5",
    "simuser: browse keeps a per-visit episodic memory (one entry per page: items shown, watched with ratings, feeling, move) shown in full to every later page and to the exit interview; per-item memories and graph paths come from training (and, with crossUnitMemory, earlier units) only, and the graph never gains the visit's ratings",
    'simuser: browse fatigue is not a coded state: the page number and the pages so far are in the prompt and the LLM decides when to leave; the user is not told which page is the last',
    "simuser: browse ends with one exit-interview call: a post-interaction reflection and satisfaction on 1–10; the reflection is kept in the user's memory only with crossUnitMemory",
    ...SHOP_CHOICES,
  ],
  async create(o, ctx) {
    const describe = (item: Item) => perceive(item, o.maxDescriptionChars);
    let population: TrainPopulation | null = null;
    // Without fit (e.g. a unit test), the graph only holds the users seen so far.
    let graph = new RatingsGraph();
    const bank = new MemoryBank(describe);
    const personas = new PersonaMatcher(
      {
        system: prompt(ctx.prompts, 'system'),
        summarise: prompt(ctx.prompts, 'summarise'),
        propose: prompt(ctx.prompts, 'propose'),
        score: prompt(ctx.prompts, 'score'),
      },
      {
        historyItems: o.historyItems,
        candidates: o.personaCandidates,
        scoring: o.personaScoring,
        ownItems: o.scoringOwnItems,
        otherItems: o.scoringOtherItems,
        contrastWeight: o.contrastWeight,
        temperature: o.temperature,
        maxTokens: o.maxTokens,
      },
      ctx.seed,
      describe,
      () => population,
    );
    const brain = new Brain(
      {
        system: prompt(ctx.prompts, 'system'),
        elicit: prompt(ctx.prompts, 'elicit'),
        evaluate: prompt(ctx.prompts, 'evaluate'),
        refine: prompt(ctx.prompts, 'refine'),
        reflect: prompt(ctx.prompts, 'reflect'),
        askLike: prompt(ctx.prompts, 'askLike'),
        askRate: prompt(ctx.prompts, 'askRate'),
      },
      {
        likedShown: o.likedShown,
        dislikedShown: o.dislikedShown,
        memoryTopK: o.memoryTopK,
        kgTopK: o.kgTopK,
        collaborativePaths: o.collaborativePaths,
        reflectionsShown: o.reflectionsShown,
        refinementRounds: o.refinementRounds,
        temperature: o.temperature,
        maxTokens: o.maxTokens,
      },
      describe,
    );

    const browser = new Browser(
      {
        system: prompt(ctx.prompts, 'system'),
        page: prompt(ctx.prompts, 'page'),
        refinePage: prompt(ctx.prompts, 'refinePage'),
        exitInterview: prompt(ctx.prompts, 'exitInterview'),
      },
      { refinementRounds: o.refinementRounds, temperature: o.temperature, maxTokens: o.maxTokens },
      brain,
      describe,
    );

    // Shopping sessions (next-action, opera-consistency): see shop-session.ts and the README.
    const shop = new ShopBrain(
      {
        shopSystem: prompt(ctx.prompts, 'shopSystem'),
        shopSummarise: prompt(ctx.prompts, 'shopSummarise'),
        shopPropose: prompt(ctx.prompts, 'shopPropose'),
        shopScore: prompt(ctx.prompts, 'shopScore'),
        shopElicit: prompt(ctx.prompts, 'shopElicit'),
        shopSelect: prompt(ctx.prompts, 'shopSelect'),
        shopRefine: prompt(ctx.prompts, 'shopRefine'),
      },
      {
        candidates: o.personaCandidates,
        ownItems: o.scoringOwnItems,
        otherItems: o.scoringOtherItems,
        memoryTopK: o.memoryTopK,
        refinementRounds: o.refinementRounds,
        temperature: o.temperature,
        maxTokens: o.maxTokens,
      },
      ctx.seed,
    );

    /** Runs a unit of `user`; with crossUnitMemory, after the user's earlier units (the queue position is taken here, synchronously, so they keep the runner's order). */
    const forUser = <T>(user: UserView, fn: () => Promise<T>): Promise<T> =>
      o.crossUnitMemory ? bank.exclusive(user.id, fn) : fn();

    /** The user's matched persona and what it looks for: per-user state, built and charged once. */
    const stateOf = async (user: UserView, unit: UnitContext) => {
      const persona = await perUser(unit, user.id, 'persona', (l) => personas.get(user, needLlm(l, 'simuser')));
      const preferences = await perUser(unit, user.id, 'preferences', (l) =>
        brain.elicit(user, persona, needLlm(l, 'simuser')),
      );
      return { persona, preferences };
    };

    const act = (user: UserView, items: readonly Item[], unit: UnitContext, mode: Mode): Promise<Decision[]> =>
      forUser(user, async () => {
        const llm = needLlm(unit.llm, 'simuser');
        const { persona, preferences } = await stateOf(user, unit);
        return brain.run({
          user,
          persona,
          preferences,
          memory: bank.of(user),
          graph,
          items,
          mode,
          llm,
          persist: o.crossUnitMemory,
        });
      });

    return {
      async fitSessions(train) {
        shop.fit(train);
      },
      nextAction: (step, unit) => shop.nextAction(step, unit),
      async fit(train) {
        population = new TrainPopulation(train);
        graph = RatingsGraph.fromTrain(train);
      },
      async discriminate(user, items, unit) {
        const decisions = await act(user, items, unit, { kind: 'like' });
        return decisions.map((d) => ({ item: d.item.id, like: d.value === true, reason: d.thought }));
      },
      async rate(user, items, unit) {
        const scale = user.scale;
        if (!scale) throw new UnitError('method', 'the dataset has no rating scale');
        const decisions = await act(user, items, unit, { kind: 'rate', scale });
        return decisions.map((d) => ({ item: d.item.id, rating: d.value as number, reason: d.thought }));
      },
      async browse(user, pages, unit) {
        const visit = await forUser(user, async () => {
          const llm = needLlm(unit.llm, 'simuser');
          const { persona, preferences } = await stateOf(user, unit);
          return browser.visit({
            user,
            persona,
            preferences,
            memory: bank.of(user),
            graph,
            pages,
            llm,
            persist: o.crossUnitMemory,
          });
        });
        return visit.outcome;
      },
    };
  },
});
