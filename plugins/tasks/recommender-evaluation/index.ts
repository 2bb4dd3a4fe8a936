import {
  Type,
  IMPLICIT_RATING_SCALE,
  UnitError,
  defineTask,
  kendallTauB,
  offlineEval,
  type BrowseOutcome,
  type BrowsePage,
  type MetricSpec,
  type MetricValue,
  type RatingScale,
  type TaskUnit,
  thresholdIssues,
} from '../../../harness/plugin-api.js';
import { heldOutByUser } from '../shared/held-out.js';

const Options = Type.Object(
  {
    recommenders: Type.Union(
      [Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }), Type.Null()],
      {
        default: null,
        description: 'Ids of the configured recommenders to evaluate, in column order; null: all of them.',
      },
    ),
    pageSize: Type.Integer({ minimum: 1, default: 4, description: 'Items per page (Agent4Rec: 4).' }),
    maxPages: Type.Integer({ minimum: 1, default: 5, description: 'Pages offered before the visit ends anyway.' }),
    users: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: null,
      description: 'Evaluate at most this many users (first by id); null: all.',
    }),
    k: Type.Integer({
      minimum: 1,
      default: 10,
      description: 'Cut-off of the offline NDCG@k each recommender is ranked by.',
    }),
    likeThreshold: Type.Union([Type.Number(), Type.Null()], {
      default: null,
      description:
        'A watched item counts as liked at this rating or above; null: three quarters up the scale (4 of 1–5).',
    }),
    likedCount: Type.Union([Type.Literal('agent4rec'), Type.Literal('rated')], {
      default: 'agent4rec',
      description:
        "agent4rec: liked = per user, the mean over the pages seen of the items the user says fit their taste (Agent4Rec's ALIGN yes, arena.py:321-325,500-503), or, for a method that reports no such judgement, of the watched items rated at or above likeThreshold; rated: the watched items rated at or above likeThreshold over the whole visit.",
    }),
  },
  { additionalProperties: false },
);

interface Gold {
  readonly recommender: string;
  /** The recommender's offline NDCG@k on the evaluated users' held-out items (same in every unit of it). */
  readonly ndcg: number;
  readonly likeThreshold: number;
  /** Units built by buildUnits always say; absent (hand-made units of version 1) counts as rated. */
  readonly likedCount?: 'agent4rec' | 'rated';
  readonly pageSize: number;
}

function defaultThreshold(scale: RatingScale): number {
  return scale.min + 0.75 * (scale.max - scale.min);
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Recommender evaluation by simulated users: each user browses
 * the pages of each recommender's ranking (their training items excluded),
 * watching, rating and leaving. Per recommender: liked items, mean rating,
 * pages seen and satisfaction; per method, Kendall's τ between the ranking of
 * the recommenders by liked items and by their offline NDCG@k. Units are
 * (user, recommender) pairs.
 */
export const recommenderEvaluation = defineTask({
  name: 'recommender-evaluation',
  description:
    'Simulated users browse pages of each recommender: liked items, rating, pages seen, satisfaction; Kendall τ of that ranking against offline NDCG@k.',
  version: 2,
  needs: {
    data: 'ratings',
    capabilities: ['browse'],
    refs: [{ option: 'recommenders', list: 'recommenders', many: true }],
  },
  options: Options,
  checkDataset: (options, dataset) =>
    dataset.kind === 'ratings'
      ? thresholdIssues(
          'likeThreshold',
          options.likeThreshold,
          dataset.scale ?? IMPLICIT_RATING_SCALE,
          dataset.scale ? dataset.name : `${dataset.name} (browsed on the implicit 1–5 scale)`,
          'as liked',
        )
      : [],
  choices: [
    "recommender-evaluation: the pages are fixed in advance from the recommender's top pageSize × maxPages (training items excluded); the recommender does not react to the visit",
    "recommender-evaluation: liked (likedCount: agent4rec) = per user, the mean over pages of the items judged to fit the user's taste, or for methods without that judgement of the watched items rated at or above likeThreshold (default three quarters up the scale); datasets without stars are browsed on 1–5",
    "recommender-evaluation: the simulated ranking of recommenders is by mean liked items per user; τ is Kendall's τ-b against offline NDCG@k on the same users, without an interval",
  ],
  metrics(options): MetricSpec[] {
    const ids = options.recommenders ?? [];
    return [
      ...ids.flatMap((r) => [
        {
          key: `liked@${r}`,
          label: `Liked ${r}`,
          direction: 'higher' as const,
          unitScore: 'liked',
          group: `recommender ${r}`,
          unit:
            options.likedCount === 'agent4rec'
              ? `items per user and page judged to fit their taste (or watched and rated at or above ${options.likeThreshold ?? 'three quarters up the scale'}), averaged over the pages seen`
              : `items per user watched and rated at or above the like threshold (${options.likeThreshold ?? 'three quarters up the scale'})`,
        },
        {
          key: `rating@${r}`,
          label: `Rating ${r}`,
          direction: 'higher' as const,
          unitScore: 'meanRating',
          group: `recommender ${r}`,
          unit: 'mean rating of the watched items, pooled over users',
        },
        {
          key: `pages@${r}`,
          label: `Pages ${r}`,
          direction: 'higher' as const,
          unitScore: 'pages',
          group: `recommender ${r}`,
          unit: `pages seen per user before leaving (at most ${options.maxPages})`,
        },
        {
          key: `satisfaction@${r}`,
          label: `Sat ${r}`,
          direction: 'higher' as const,
          unitScore: 'satisfaction',
          group: `recommender ${r}`,
          unit: 'exit-interview satisfaction, 1–10, for simulators that hold one',
        },
      ]),
      {
        key: 'tau',
        label: `τ vs NDCG@${options.k}`,
        direction: 'higher' as const,
        unitScore: 'none (one value per method)',
        unit: `Kendall's τ-b between the recommenders ranked by liked items and by offline NDCG@${options.k}`,
      },
    ];
  },
  noUnits(dataset) {
    return `no user of ${dataset.name} has a held-out interaction in the split ${dataset.split.name}, so the recommenders cannot be scored offline`;
  },
  buildUnits(dataset, options, _rng, env) {
    const wanted = options.recommenders ?? [];
    const fitted = (env?.recommenders ?? []).filter((r) => wanted.includes(r.id));
    if (fitted.length === 0) return null;
    const held = heldOutByUser(dataset);
    const users = [...held.keys()].slice(0, options.users ?? undefined);
    const chosen = new Set(users);
    const train = dataset.split.train;
    const seen = new Map<string, Set<string>>();
    for (const x of train)
      if (chosen.has(x.user)) (seen.get(x.user) ?? seen.set(x.user, new Set()).get(x.user))?.add(x.item);
    const heldOut = users.flatMap((u) => (held.get(u) ?? []).map((x) => ({ user: u, item: x.item })));
    const likeThreshold = options.likeThreshold ?? defaultThreshold(dataset.scale ?? IMPLICIT_RATING_SCALE);
    const units: TaskUnit<Gold>[] = [];
    // Column order is the option's order; within a recommender, users by id.
    for (const id of wanted) {
      const r = fitted.find((f) => f.id === id);
      if (!r) continue;
      const ndcg = offlineEval({
        recommendation: r.recommendation,
        train: train.filter((x) => chosen.has(x.user)),
        heldOut,
        k: options.k,
      }).meanNdcg;
      for (const user of users) {
        const items = r.recommendation.recommend(
          user,
          options.pageSize * options.maxPages,
          seen.get(user) ?? new Set(),
        );
        if (items.length === 0) continue;
        units.push({
          key: `${user}|${id}`,
          user,
          items,
          gold: { recommender: id, ndcg, likeThreshold, likedCount: options.likedCount, pageSize: options.pageSize },
        });
      }
    }
    return units;
  },
  async run(sim, user, items, ctx, unit): Promise<BrowseOutcome> {
    if (!sim.browse) throw new UnitError('method', 'method has no browse capability');
    if (!unit) throw new Error('recommender-evaluation: run needs its unit (the page size travels in it)');
    const pageSize = unit.gold.pageSize;
    const pages: BrowsePage[] = [];
    for (let k = 0; k < items.length; k += pageSize)
      pages.push({ number: pages.length + 1, items: items.slice(k, k + pageSize) });
    const outcome = await sim.browse(user, pages, ctx);
    checkOutcome(outcome, pages, user.scale ?? IMPLICIT_RATING_SCALE);
    return outcome;
  },
  score(unit, answer) {
    const watched = answer.pages.flatMap((p) => p.watched);
    const ratings = watched.flatMap((w) => (w.rating === null ? [] : [w.rating]));
    const likedOn = (p: BrowseOutcome['pages'][number]) =>
      p.watched.filter((w) => w.rating !== null && w.rating >= unit.gold.likeThreshold).length;
    return {
      pages: answer.pages.length,
      watched: watched.length,
      liked:
        unit.gold.likedCount === 'agent4rec'
          ? mean(answer.pages.map((p) => p.liked?.length ?? likedOn(p)))
          : answer.pages.reduce((a, p) => a + likedOn(p), 0),
      rated: ratings.length,
      meanRating: mean(ratings),
      satisfaction: typeof answer.satisfaction === 'number' ? answer.satisfaction : Number.NaN,
    };
  },
  aggregate(done, options) {
    const out: Record<string, MetricValue> = {};
    const likedMeans: number[] = [];
    const ndcgs: number[] = [];
    const ndcgOf: Record<string, number> = {};
    for (const r of options.recommenders ?? []) {
      const mine = done.filter((d) => d.unit.gold.recommender === r);
      const ids = mine.map((d) => d.id);
      const s = (k: string) => mine.map((d) => d.scores[k] as number);
      const plain = (k: string): MetricValue => {
        const xs = s(k).filter(Number.isFinite);
        return { value: mean(xs), n: xs.length, estimator: 'mean', unitIds: ids, unitScores: s(k) };
      };
      const rated = s('rated');
      const sumRated = rated.reduce((a, b) => a + b, 0);
      out[`liked@${r}`] = plain('liked');
      out[`pages@${r}`] = plain('pages');
      out[`satisfaction@${r}`] = plain('satisfaction');
      // Mean rating over every rated item (units weighted by how many they rated).
      out[`rating@${r}`] = {
        value:
          sumRated === 0
            ? Number.NaN
            : mine.reduce((a, d) => a + (d.scores['rated'] as number) * ((d.scores['meanRating'] as number) || 0), 0) /
              sumRated,
        n: rated.filter((x) => x > 0).length,
        estimator: 'weighted-mean',
        unitIds: ids,
        unitScores: s('meanRating'),
        unitWeights: rated,
      };
      const liked = out[`liked@${r}`]?.value as number;
      const ndcg = mine[0]?.unit.gold.ndcg;
      ndcgOf[`ndcg@${r}`] = ndcg ?? Number.NaN;
      if (Number.isFinite(liked) && ndcg !== undefined) {
        likedMeans.push(liked);
        ndcgs.push(ndcg);
      }
    }
    // τ ranks every evaluated recommender or none: with one missing (all its units failed) it would silently rank fewer.
    const all = likedMeans.length === (options.recommenders ?? []).length;
    out['tau'] = {
      value: all && likedMeans.length >= 2 ? kendallTauB(likedMeans, ndcgs) : Number.NaN,
      n: likedMeans.length,
      estimator: 'point',
      unitIds: [],
      unitScores: [],
      extra: ndcgOf,
    };
    return out;
  },
});

/** An outcome the scorer can read, or a UnitError that says what was wrong. */
function checkOutcome(o: BrowseOutcome, pages: readonly BrowsePage[], scale: RatingScale): void {
  if (!o || !Array.isArray(o.pages) || o.pages.length === 0)
    throw new UnitError('answer', 'the visit has no pages: a simulated user sees at least the first page');
  if (o.pages.length > pages.length)
    throw new UnitError('answer', `the visit reports ${o.pages.length} pages but only ${pages.length} were offered`);
  o.pages.forEach((p, k) => {
    const offered = new Set((pages[k] as BrowsePage).items.map((i) => i.id));
    const seenHere = new Set<string>();
    for (const item of p.liked ?? [])
      if (!offered.has(item)) throw new UnitError('answer', `page ${k + 1}: liked item "${item}" was not on that page`);
    for (const w of p.watched) {
      if (!offered.has(w.item))
        throw new UnitError('answer', `page ${k + 1}: watched item "${w.item}" was not on that page`);
      if (seenHere.has(w.item)) throw new UnitError('answer', `page ${k + 1}: item "${w.item}" is watched twice`);
      seenHere.add(w.item);
      if (w.rating !== null && (!Number.isFinite(w.rating) || w.rating < scale.min || w.rating > scale.max)) {
        throw new UnitError(
          'answer',
          `page ${k + 1}: rating ${w.rating} of "${w.item}" is outside the scale ${scale.min}–${scale.max}`,
        );
      }
    }
    if (p.exit && k < o.pages.length - 1)
      throw new UnitError('answer', `the user left after page ${k + 1} but the visit goes on to page ${k + 2}`);
  });
  const s = o.satisfaction;
  if (s !== undefined && s !== null && (!Number.isFinite(s) || s < 1 || s > 10))
    throw new UnitError('answer', `satisfaction ${s} is outside 1–10`);
}

export default recommenderEvaluation;
