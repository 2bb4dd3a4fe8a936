import {
  defineMethod,
  fitItems,
  IMPLICIT_RATING_SCALE,
  renderTemplate,
  Type,
  UnitError,
  UserViews,
  type PageOutcome,
  type RatingScale,
  type UnitContext,
  type UserView,
} from '../../../harness/plugin-api.js';
import { perUser } from '../shared/per-user.js';
import { codeItems, needLlm } from '../shared/structured-calls.js';
import { judgeForcedList, type ForcedListDeps } from './forced-list.js';
import type { Agent4RecPrompts, CallSettings } from './llm-call.js';
import type { PageItem } from './page.js';
import { profileText, type Agent4RecProfile, type Taste } from './profile.js';
import { BrowsingSession, type SessionDeps } from './session.js';
import { SHOP_CHOICES, ShopAgent } from './shop-session.js';
import { tasteArtifactKey, writeTaste, type TasteDeps } from './taste.js';
import { Agent4RecUsers } from './user-state.js';

const Options = Type.Object(
  {
    pageSize: Type.Integer({ minimum: 1, default: 4, description: 'Items per recommendation page (paper: 4).' }),
    retrieveK: Type.Integer({
      minimum: 0,
      default: 5,
      description: 'Memories retrieved per page (paper: 5); also the entries a reflection reads.',
    }),
    reflectionThreshold: Type.Number({
      minimum: 0,
      default: 3,
      description: 'Reflect when the accumulated importance (1 per memory) exceeds this (paper: 3).',
    }),
    tasteLiked: Type.Integer({
      minimum: 0,
      default: 100,
      description:
        'Most recent liked (rating ≥ 4) training items the taste summary reads (the released generator: up to 100 per rating level).',
    }),
    tasteDisliked: Type.Integer({
      minimum: 0,
      default: 100,
      description:
        'Most recent disliked (rating ≤ 2) training items the taste summary reads (the released generator: up to 100 per rating level).',
    }),
    historicalRatings: Type.Boolean({
      default: true,
      description:
        "Show each item's historical rating, as the released code does (the conformity trait refers to it): the dataset's published mean rating where it has one (agent4rec-ml1m), else the mean training rating. With distractors from the training items (preference-discrimination's default) every candidate has one.",
    }),
    profiles: Type.Union([Type.Literal('released'), Type.Literal('derived')], {
      default: 'released',
      description:
        "released: the traits and taste the dataset publishes for a user (agent4rec-ml1m: Agent4Rec's own user_statistic.csv and all_personas_like.csv), where it has them, else derived; derived: traits computed from the training split and a taste summary the LLM writes (one call per user).",
    }),
    profileStage: Type.Union([Type.Literal('lazy'), Type.Literal('fit')], {
      default: 'lazy',
      description:
        "lazy: write a user's taste summary on their first unit; fit: write every training user's in fit and keep them as fit artifacts.",
    }),
    littleTiredAfter: Type.Integer({
      minimum: 0,
      default: 2,
      description: 'From the page after this one the agent is told it is a little tired.',
    }),
    veryTiredAfter: Type.Integer({
      minimum: 0,
      default: 4,
      description: 'From the page after this one the agent is told it is very tired.',
    }),
    temperature: Type.Number({
      minimum: 0,
      maximum: 2,
      default: 0,
      description: 'Sampling temperature of every call.',
    }),
    maxTokens: Type.Integer({ minimum: 16, default: 1500, description: 'Reply budget of every call.' }),
  },
  { additionalProperties: false },
);

/**
 * Agent4Rec (Zhang et al., SIGIR 2024): traits from data, an LLM taste
 * summary, factual/emotional memory with reflection, page-by-page browsing
 * with fatigue and exit, and a satisfaction interview. See README.md.
 */
export default defineMethod({
  name: 'agent4rec',
  version: 2,
  description:
    'Agent4Rec: activity/diversity/conformity traits + taste (released or LLM-written); discrimination in one stateless watch yes/no call over the list; rating and browsing page by page with align/watch/rate/feel, factual and emotional memory, reflection, fatigue and exit.',
  options: Options,
  check(o) {
    if (o.littleTiredAfter <= o.veryTiredAfter) return [];
    return [
      {
        path: ['littleTiredAfter'],
        message: `littleTiredAfter (${o.littleTiredAfter}) is after veryTiredAfter (${o.veryTiredAfter}): the agent would go from fresh to very tired and never be a little tired; make littleTiredAfter at most ${o.veryTiredAfter}`,
      },
    ];
  },
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'browse', 'nextAction'],
  prompts: {
    system: new URL('./prompts/system.md', import.meta.url),
    taste: new URL('./prompts/taste.md', import.meta.url),
    page: new URL('./prompts/page.md', import.meta.url),
    ratePage: new URL('./prompts/rate-page.md', import.meta.url),
    reflection: new URL('./prompts/reflection.md', import.meta.url),
    interview: new URL('./prompts/interview.md', import.meta.url),
    discriminateSystem: new URL('./prompts/discriminate-system.md', import.meta.url),
    discriminate: new URL('./prompts/discriminate.md', import.meta.url),
    shopSystem: new URL('./prompts/shop-system.md', import.meta.url),
    shopTaste: new URL('./prompts/shop-taste.md', import.meta.url),
    shopStep: new URL('./prompts/shop-step.md', import.meta.url),
    shopReflection: new URL('./prompts/shop-reflection.md', import.meta.url),
  },
  choices: [
    "agent4rec: profiles: released uses the dataset's released traits and taste where it has them; otherwise traits are computed on the training split only (the original: all of MovieLens-1M); users without ratings get conformity level 2, users with no genre within 80% diversity level 1",
    'agent4rec: a derived taste summary reads the 100 most recent liked (≥4) and 100 most recent disliked (≤2) training items (the original: up to 100 random titles per rating level), one call per user',
    'agent4rec: memory retrieval by BM25 (top 5, topped up with the most recent entries) instead of embeddings',
    'agent4rec: a due reflection runs before the next page (or interview), not when it falls due',
    "agent4rec: a page's reaction and the next/exit decision are one call; discrimination shows every page even after the agent chose to leave (the exit page is kept in the session)",
    'agent4rec: discrimination = one stateless call over every candidate, the taste alone in the system prompt, watch yes/no per item (as the original); rating task = the items watched page by page with a rating and a feeling each',
    'agent4rec: each unit is a fresh session whose memory starts empty',
    "agent4rec: recommender evaluation = the paper's loop: pages of the recommender's ranking judged align/watch/rate with fatigue until the agent exits, then the 1–10 satisfaction interview",
    "agent4rec: an item's historical rating is the dataset's published mean (agent4rec-ml1m: over all of MovieLens-1M, as the original) or else the mean training rating",
    ...SHOP_CHOICES,
  ],
  async create(o, ctx) {
    const p = ctx.prompts;
    const prompts: Agent4RecPrompts = {
      system: p['system'] as string,
      taste: p['taste'] as string,
      page: p['page'] as string,
      ratePage: p['ratePage'] as string,
      reflection: p['reflection'] as string,
      interview: p['interview'] as string,
    };
    const settings: CallSettings = { temperature: o.temperature, maxTokens: o.maxTokens };
    const tasteDeps: TasteDeps = { prompts, settings, maxLiked: o.tasteLiked, maxDisliked: o.tasteDisliked };
    const users = new Agent4RecUsers(tasteDeps, o.profiles);
    const meanOf = o.historicalRatings ? users.meanOf : null;
    const forcedDeps = (scale: RatingScale | null): ForcedListDeps => ({
      prompts: { system: p['discriminateSystem'] as string, list: p['discriminate'] as string },
      settings,
      meanOf,
      scale: scale ?? IMPLICIT_RATING_SCALE,
    });

    const session = (profile: Agent4RecProfile, scale: RatingScale | null): BrowsingSession => {
      const deps: SessionDeps = {
        prompts,
        settings,
        system: renderTemplate(prompts.system, { profile: profileText(profile) }),
        memory: { retrieveK: o.retrieveK, reflectionThreshold: o.reflectionThreshold },
        meanOf,
        scale: scale ?? IMPLICIT_RATING_SCALE,
        littleTiredAfter: o.littleTiredAfter,
        veryTiredAfter: o.veryTiredAfter,
      };
      return new BrowsingSession(deps);
    };
    const pagesOf = (items: Parameters<typeof codeItems>[0]): PageItem[][] => {
      const coded = [...codeItems(items)].map(([code, item]) => ({ code, item }));
      const pages: PageItem[][] = [];
      for (let k = 0; k < coded.length; k += o.pageSize) pages.push(coded.slice(k, k + o.pageSize));
      return pages;
    };
    /** The user's taste: released, or written once per user through the runner's per-user record. */
    const tasteOf = (user: UserView, unit: UnitContext): Promise<Taste> => {
      const released = users.releasedTaste(user);
      if (released) return Promise.resolve(released);
      return perUser(unit, user.id, 'taste', (l) => users.taste(user, needLlm(l, 'agent4rec')));
    };
    const start = async (user: UserView, unit: UnitContext) =>
      session(users.profile(user, await tasteOf(user, unit)), user.scale);
    // Shopping sessions (next-action, opera-consistency): see shop-session.ts and the README.
    const shop = new ShopAgent(
      {
        shopSystem: p['shopSystem'] as string,
        shopTaste: p['shopTaste'] as string,
        shopStep: p['shopStep'] as string,
        shopReflection: p['shopReflection'] as string,
      },
      {
        memory: { retrieveK: o.retrieveK, reflectionThreshold: o.reflectionThreshold },
        littleTiredAfter: o.littleTiredAfter,
        veryTiredAfter: o.veryTiredAfter,
        settings,
      },
    );

    return {
      async fitSessions(train) {
        shop.fit(train);
      },
      nextAction: (step, unit) => shop.nextAction(step, unit),
      async fit(train, fitCtx) {
        users.fit(train);
        if (o.profileStage !== 'fit') return;
        const llm = fitCtx.llm;
        if (!llm) throw new Error('agent4rec: profileStage "fit" needs an LLM in fit');
        const views = new UserViews(train);
        // Users whose taste the dataset released need no summary.
        const ids = [...new Set(train.interactions.map((x) => x.user))]
          .sort()
          .filter((id) => !users.releasedTaste(views.view(id)));
        // A summary whose call still fails is recorded and left out; that user's first unit tries again.
        const made = await fitItems(
          'agent4rec: taste summaries',
          ids,
          (id) => id,
          async (id) => {
            const view = views.view(id);
            const taste = await fitCtx.artifacts.memo(tasteArtifactKey(view, llm, tasteDeps), () =>
              writeTaste(view, llm, tasteDeps),
            );
            users.setTaste(id, taste);
            return id;
          },
          // Every summary may fail: the units write their own then.
          { concurrency: ids.length, optional: true },
        );
        const failed = made.filter((m) => m === null).length;
        if (failed > 0)
          fitCtx.log.warn(
            `agent4rec: ${failed} of ${ids.length} taste summaries failed in fit; they will be retried lazily`,
          );
      },
      async discriminate(user, items, unit) {
        const llm = needLlm(unit.llm, 'agent4rec');
        const taste = await tasteOf(user, unit);
        // The released taste as a list of the user's sentences, as the original's system prompt lists them.
        const text = taste.sentences ? taste.sentences.map((t) => `- ${t}`).join('\n') : taste.taste;
        const judged = await judgeForcedList(text, items, llm, forcedDeps(user.scale));
        return judged.map((j) => ({ item: j.item, like: j.watch, reason: j.reason }));
      },
      async rate(user, items, unit) {
        if (!user.scale) throw new UnitError('method', 'agent4rec: the dataset has no rating scale');
        const llm = needLlm(unit.llm, 'agent4rec');
        const s = await start(user, unit);
        const out = [];
        for (const page of pagesOf(items)) {
          const r = await s.rate(page, llm);
          for (const { code, item } of page) {
            const it = r.items.get(code);
            if (it) out.push({ item: item.id, rating: it.rating });
          }
        }
        return out;
      },
      async browse(user, pages, unit) {
        const llm = needLlm(unit.llm, 'agent4rec');
        const s = await start(user, unit);
        // Codes run across the whole visit (i1 … iN), so memories of earlier pages stay unambiguous.
        const coded = [...codeItems(pages.flatMap((p) => p.items))].map(([code, item]) => ({ code, item }));
        const visit: PageOutcome[] = [];
        let at = 0;
        for (const page of pages) {
          const items = coded.slice(at, at + page.items.length);
          at += page.items.length;
          const r = await s.browse(items, llm);
          const watched = items.flatMap(({ code, item }) => {
            const it = r.items.get(code);
            return it?.watch ? [{ item: item.id, rating: it.rating }] : [];
          });
          const exit = r.decision === 'exit';
          // Agent4Rec counts a page's likes as its ALIGN-yes items (arena.py:321-325).
          const liked = items.flatMap(({ code, item }) => (r.items.get(code)?.align ? [item.id] : []));
          visit.push({ watched, liked, exit });
          if (exit) break;
        }
        // The paper's exit interview: satisfaction 1–10 with the whole visit in memory.
        const answer = await s.interview(llm);
        return { pages: visit, satisfaction: answer.satisfaction };
      },
    };
  },
});
