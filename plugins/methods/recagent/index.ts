import { defineMethod, IMPLICIT_RATING_SCALE, Type } from '../../../harness/plugin-api.js';
import { browseVisit } from './browse.js';
import { discriminate, rate, type DecisionDeps } from './decision.js';
import { codeItems, needLlm } from '../shared/structured-calls.js';
import type { CallSettings, RecAgentPrompts } from './llm-call.js';
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
      default: 20,
      description:
        'Reflect when the importance accumulated in long-term memory since the last reflection exceeds this.',
    }),
    reflectionMaxEntries: Type.Integer({
      minimum: 1,
      default: 15,
      description: 'Most long-term entries shown to a reflection (most important first).',
    }),
    relevanceWeight: Type.Number({
      minimum: 0,
      default: 1,
      description: 'Retrieval weight of BM25 relevance (normalised by the best hit).',
    }),
    importanceWeight: Type.Number({ minimum: 0, default: 1, description: 'Retrieval weight of importance / 10.' }),
    recencyWeight: Type.Number({
      minimum: 0,
      default: 1,
      description: 'Retrieval weight of recency decay^(steps since creation).',
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
 * browsing (watch / next page / leave) on a per-visit fork of the memory.
 * See README.md.
 */
export default defineMethod({
  name: 'recagent',
  version: 1,
  description:
    'RecAgent: profile + sensory/short-term/long-term memory (importance, reinforcement, insights, reflection) seeded from training history; page decisions from retrieved memories; browse: watch one item / next page / leave, rating and feeling per watch, pages written to a per-visit fork of memory.',
  options: Options,
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'browse'],
  prompts: {
    system: new URL('./prompts/system.md', import.meta.url),
    importance: new URL('./prompts/importance.md', import.meta.url),
    insight: new URL('./prompts/insight.md', import.meta.url),
    reflection: new URL('./prompts/reflection.md', import.meta.url),
    discriminate: new URL('./prompts/discriminate.md', import.meta.url),
    rate: new URL('./prompts/rate.md', import.meta.url),
    page: new URL('./prompts/page.md', import.meta.url),
    watch: new URL('./prompts/watch.md', import.meta.url),
  },
  choices: [
    'recagent: profile from attributes, top genres of liked training items and mean training rating, no LLM call',
    "recagent: memory seeded with the user's most recent training interactions (seedObservations), chronological, as first-person observations",
    'recagent: importance of observations scored in batches (importanceBatchSize per call); insights of one consolidation step in one call',
    'recagent: short-term reinforcement by a fixed threshold on relative BM25 similarity instead of sampled embedding similarity',
    'recagent: recency decays by steps since creation, not hours since last access; retrieval does not update memory',
    'recagent: at most one reflection per consolidation step',
    'recagent: discrimination shows all candidates as one page and asks watch / pass per item (watch = like); rating asks all items in one call',
    'recagent: memories retrieved per candidate item (memoriesPerItem), pooled up to maxMemories',
    'recagent: browse offers watch one item / next page / leave per decision (no search: the task has no search engine); after a watch the agent chooses again on the same page, each item at most once',
    'recagent: browse asks the rating and the feeling of a watched item in one call after the watch decision; datasets without stars are rated on 1-5',
    "recagent: browse writes a page to a per-visit fork of the user's memory in one consolidation step when the agent moves on (each watched item, then the page and what was done on it); nothing is written after the last page seen",
    'recagent: browse prompts show the memories written during the visit in full, besides the memories the page recalls',
    'recagent: browse item codes restart at i1 on every page; the agent is told the page number, not how many pages there are',
    'recagent: browse has no satisfaction interview (the paper has none)',
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
    };
    const settings: CallSettings = { temperature: o.temperature, maxTokens: o.maxTokens };
    const users = new RecAgentUsers(
      {
        seedObservations: o.seedObservations,
        interestGenres: o.interestGenres,
        memory: {
          importanceBatchSize: o.importanceBatchSize,
          stmCapacity: o.stmCapacity,
          reinforceThreshold: o.reinforceThreshold,
          reinforcementsToPromote: o.reinforcementsToPromote,
          reflectionThreshold: o.reflectionThreshold,
          reflectionMaxEntries: o.reflectionMaxEntries,
          weights: {
            relevance: o.relevanceWeight,
            importance: o.importanceWeight,
            recency: o.recencyWeight,
            decay: o.recencyDecay,
          },
        },
      },
      { prompts, settings },
    );
    const decision: DecisionDeps = {
      prompts,
      settings,
      memoriesPerItem: o.memoriesPerItem,
      maxMemories: o.maxMemories,
    };
    return {
      async discriminate(user, items, unit) {
        const llm = needLlm(unit.llm, 'recagent');
        const state = await users.get(user, llm);
        return discriminate(state, codeItems(items), llm, decision);
      },
      async rate(user, items, unit) {
        const llm = needLlm(unit.llm, 'recagent');
        const state = await users.get(user, llm);
        return rate(state, codeItems(items), user.scale, llm, decision);
      },
      async browse(user, pages, unit) {
        const llm = needLlm(unit.llm, 'recagent');
        const state = await users.get(user, llm);
        return browseVisit(state, pages, user.scale ?? IMPLICIT_RATING_SCALE, llm, decision);
      },
    };
  },
});
