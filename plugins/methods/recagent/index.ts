import { defineMethod, IMPLICIT_RATING_SCALE, Rng, Type } from '../../../harness/plugin-api.js';
import { browseVisit } from './browse.js';
import { discriminate, rate, type DecisionDeps } from './decision.js';
import { codeItems, needLlm } from '../shared/structured-calls.js';
import type { CallSettings, RecAgentPrompts } from './llm-call.js';
import type { MemoryOptions } from './memory.js';
import { sessionAction } from './session.js';
import { RecAgentUsers } from './user-state.js';

const Options = Type.Object(
  {
    seedObservations: Type.Integer({
      minimum: 0,
      default: 20,
      description: 'Most recent training interactions turned into seed observations of the memory (chronological).',
    }),
    importanceBatchSize: Type.Integer({
      minimum: 1,
      default: 20,
      description: 'Observations scored for importance per LLM call.',
    }),
    sensoryThreshold: Type.Number({
      minimum: 0,
      maximum: 0.9,
      default: 0.62,
      description:
        'Sensory cut on the original importance scale (score / 10 × 0.9): observations at or below it are dropped, never stored (YuLan-Rec: 0.62, i.e. scores of 7 and up are kept; 0 keeps everything).',
    }),
    interestGenres: Type.Integer({
      minimum: 0,
      default: 3,
      description: 'Profile interests: this many most frequent genres of the liked training items.',
    }),
    stmCapacity: Type.Integer({
      minimum: 1,
      default: 10,
      description: 'Short-term memory capacity; beyond it the least important entry is forgotten (released code: 10).',
    }),
    reinforceThreshold: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.15,
      description:
        "A new observation reinforces a short-term entry when their BM25 similarity (relative to the observation's score against itself) reaches this.",
    }),
    reinforcementsToPromote: Type.Integer({
      minimum: 1,
      default: 3,
      description: 'Reinforcements that promote a short-term entry to long-term memory (paper: 3).',
    }),
    reflectionThreshold: Type.Number({
      minimum: 0,
      default: 10,
      description:
        'Reflect when the importance (original scale: score / 10 × 0.9) accumulated in long-term memory since the last reflection exceeds this (YuLan-Rec: 10).',
    }),
    reflectionMaxEntries: Type.Integer({
      minimum: 1,
      default: 15,
      description: 'Most long-term entries shown to a reflection (most important first).',
    }),
    forgetAfter: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
      default: 24,
      description:
        "Long-term memories untouched (not created, promoted or retrieved) for more than this many steps (one per observation) may be forgotten, with the released code's probability; null never forgets (YuLan-Rec: 24 hours).",
    }),
    relevanceWeight: Type.Number({
      minimum: 0,
      default: 1,
      description: 'Retrieval weight of BM25 relevance (normalised by the best hit).',
    }),
    importanceWeight: Type.Number({
      minimum: 0,
      default: 1,
      description: 'Retrieval weight of importance on the original scale (score / 10 × 0.9).',
    }),
    recencyWeight: Type.Number({
      minimum: 0,
      default: 1,
      description: 'Retrieval weight of recency decay^(steps since last access).',
    }),
    recencyDecay: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.99,
      description: 'Recency decay per step (one step per observation).',
    }),
    memoriesPerItem: Type.Integer({ minimum: 0, default: 2, description: 'Memories retrieved per candidate item.' }),
    maxMemories: Type.Integer({
      minimum: 0,
      default: 10,
      description: 'Most retrieved memories in a decision prompt.',
    }),
    keepBrowsing: Type.Boolean({
      default: false,
      description:
        'Browse: after a watch, choose again on the same page (ours). Off: a watch ends the visit, as in YuLan-Rec.',
    }),
    sessionRecentSteps: Type.Integer({
      minimum: 0,
      default: 5,
      description:
        "nextAction: the session's last steps shown verbatim beside the retrieved memories (as the original shows recently watched items).",
    }),
    temperature: Type.Number({
      minimum: 0,
      maximum: 2,
      default: 0,
      description: 'Sampling temperature of every call.',
    }),
    maxTokens: Type.Integer({
      minimum: 16,
      default: 2000,
      description: 'Reply budget of every call (a page of 20 items with reasons needs about 800).',
    }),
  },
  { additionalProperties: false },
);

/**
 * RecAgent (Wang et al., TOIS): profile, three-stage memory (sensory,
 * short-term, long-term with insights and reflection) and decisions made on a
 * recommendation page from the profile and retrieved memories; closed-loop
 * browsing (watch / next page / leave) on the unit's own copy of the memory;
 * shopping sessions (nextAction) with the memory built over the session's
 * earlier steps. See README.md.
 */
export default defineMethod({
  name: 'recagent',
  version: 2,
  description:
    'RecAgent (YuLan-Rec): profile + sensory (importance cut)/short-term/long-term memory (reinforcement, insights, reflection, forgetting) seeded from training history; page decisions from retrieved memories; browse: watch one item (ends the visit) / next page / leave; nextAction: memory over the session so far, one action per step.',
  options: Options,
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'browse', 'nextAction'],
  prompts: {
    system: new URL('./prompts/system.md', import.meta.url),
    importance: new URL('./prompts/importance.md', import.meta.url),
    insight: new URL('./prompts/insight.md', import.meta.url),
    reflection: new URL('./prompts/reflection.md', import.meta.url),
    discriminate: new URL('./prompts/discriminate.md', import.meta.url),
    rate: new URL('./prompts/rate.md', import.meta.url),
    page: new URL('./prompts/page.md', import.meta.url),
    watch: new URL('./prompts/watch.md', import.meta.url),
    shopperSystem: new URL('./prompts/shopper-system.md', import.meta.url),
    sessionAction: new URL('./prompts/session-action.md', import.meta.url),
  },
  choices: [
    'recagent: profile from attributes, top genres of liked training items and mean training rating, no LLM call',
    "recagent: memory seeded with the user's most recent training interactions (seedObservations), chronological, as first-person observations",
    'recagent: importance of observations scored in batches (importanceBatchSize per call); insights of one consolidation step in one call',
    'recagent: short-term reinforcement by a fixed threshold on relative BM25 similarity instead of sampled embedding similarity',
    'recagent: time is counted in steps (one per observation) instead of hours: recency decays by steps since last access, forgetting waits forgetAfter steps (the original: 24 hours)',
    'recagent: at most one reflection per consolidation step; insights inherit the importance of the promoted memory (the original scores them with the LLM)',
    'recagent: the forgetting passes of a consolidation step run after its long-term additions, one per kept observation at its time',
    'recagent: discrimination shows all candidates as one page and asks watch / pass per item (watch = like); rating asks all items in one call',
    'recagent: memories retrieved per candidate item (memoriesPerItem), pooled up to maxMemories',
    'recagent: browse offers watch one item / next page / leave per decision (no search: the task has no search engine); a watch ends the visit as in YuLan-Rec, unless keepBrowsing (then the agent chooses again on the same page, each item at most once)',
    'recagent: browse asks the rating and the feeling of a watched item in one call after the watch decision; datasets without stars are rated on 1-5',
    "recagent: browse writes a page to the unit's own copy of the user's memory in one consolidation step when the agent moves on (each watched item, then the page and what was done on it); nothing is written after the last page seen",
    'recagent: browse prompts show the memories written during the visit in full, besides the memories the page recalls',
    'recagent: browse item codes restart at i1 on every page; the agent is told the page number, not how many pages there are',
    'recagent: browse has no satisfaction interview (the paper has none)',
    "recagent: nextAction (no session module in YuLan-Rec): profile from the survey persona; each earlier step of the session is a memory observation (page, action, rationale), consolidated in one step; memories retrieved for the current page and the last sessionRecentSteps steps in the action prompt; one action per step over the page's elements",
  ],
  async create(o, ctx) {
    const p = ctx.prompts;
    const prompts: RecAgentPrompts = {
      system: p['system'] as string,
      importance: p['importance'] as string,
      insight: p['insight'] as string,
      reflection: p['reflection'] as string,
      discriminate: p['discriminate'] as string,
      rate: p['rate'] as string,
      page: p['page'] as string,
      watch: p['watch'] as string,
      shopperSystem: p['shopperSystem'] as string,
      sessionAction: p['sessionAction'] as string,
    };
    const settings: CallSettings = { temperature: o.temperature, maxTokens: o.maxTokens };
    const memory: MemoryOptions = {
      importanceBatchSize: o.importanceBatchSize,
      sensoryThreshold: o.sensoryThreshold,
      stmCapacity: o.stmCapacity,
      reinforceThreshold: o.reinforceThreshold,
      reinforcementsToPromote: o.reinforcementsToPromote,
      reflectionThreshold: o.reflectionThreshold,
      reflectionMaxEntries: o.reflectionMaxEntries,
      forgetAfter: o.forgetAfter,
      weights: {
        relevance: o.relevanceWeight,
        importance: o.importanceWeight,
        recency: o.recencyWeight,
        decay: o.recencyDecay,
      },
    };
    const users = new RecAgentUsers(
      { seedObservations: o.seedObservations, interestGenres: o.interestGenres, memory },
      { prompts, settings },
      ctx.seed,
    );
    const decision: DecisionDeps = {
      prompts,
      settings,
      memoriesPerItem: o.memoriesPerItem,
      maxMemories: o.maxMemories,
      keepBrowsing: o.keepBrowsing,
    };
    return {
      async discriminate(user, items, unit) {
        const llm = needLlm(unit.llm, 'recagent');
        const state = await users.forUnit(user, unit);
        return discriminate(state, codeItems(items), llm, decision);
      },
      async rate(user, items, unit) {
        const llm = needLlm(unit.llm, 'recagent');
        const state = await users.forUnit(user, unit);
        return rate(state, codeItems(items), user.scale, llm, decision);
      },
      async browse(user, pages, unit) {
        const llm = needLlm(unit.llm, 'recagent');
        const state = await users.forUnit(user, unit);
        return browseVisit(state, pages, user.scale ?? IMPLICIT_RATING_SCALE, llm, decision);
      },
      async nextAction(step, unit) {
        const llm = needLlm(unit.llm, 'recagent');
        return sessionAction(step, llm, new Rng(unit.rng.nextUint32()), {
          prompts,
          settings,
          memory,
          maxMemories: o.maxMemories,
          recentSteps: o.sessionRecentSteps,
        });
      },
    };
  },
});
