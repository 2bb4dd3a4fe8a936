import {
  defineTask,
  IMPLICIT_RATING_SCALE,
  itemLine,
  renderTemplate,
  Rng,
  Type,
  UnitError,
  type BrowseOutcome,
  type BrowsePage,
  type Item,
  type Llm,
  type MetricValue,
  type TaskContext,
  type TaskUnit,
} from '../../../harness/plugin-api.js';
import { heldOutByUser, interactedByUser } from '../shared/held-out.js';
import { SortedIds } from '../shared/sorted-ids.js';
import { askHumanLikeness } from '../shared/human-likeness-judge.js';

const Options = Type.Object(
  {
    users: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: 100,
      description: 'Evaluate at most this many users (first by id); null: all.',
    }),
    heldOutItems: Type.Integer({
      minimum: 1,
      default: 8,
      description: "Held-out items of the user on the visit's pages (their latest, in time order).",
    }),
    pageSize: Type.Integer({ minimum: 1, default: 4, description: 'Items per page.' }),
  },
  { additionalProperties: false },
);

interface Gold {
  /** The visit's pages, item ids in the order shown. */
  readonly pages: readonly (readonly string[])[];
  /** The user's own held-out ratings of the items on the pages, in time order (the human's visit). */
  readonly human: readonly { readonly item: string; readonly rating: number | null }[];
}

interface Answer {
  readonly visit: BrowseOutcome;
  readonly rating: number;
  readonly reason: string;
}

/**
 * Human-likeness (SimUSER; AlignUSER reports 4.58): an LLM judge reads one
 * interaction log at a time and rates 1-5 how likely a human produced it.
 * The log is a browsing visit: the simulated user is shown pages that mix
 * their latest held-out items with as many never-interacted items of the
 * training catalogue, and watches, rates and leaves. The reference row is the
 * humans' own log on the same pages: the held-out items they interacted with,
 * with their ratings, in time order. The judge never sees who made the log.
 */
export const humanLikeness = defineTask({
  name: 'human-likeness',
  description:
    'An LLM judge rates 1-5 how human a browsing log looks (SimUSER, AlignUSER); the humans own log on the same pages is the reference row.',
  version: 1,
  needs: { data: 'ratings', capabilities: ['browse'], judge: true },
  options: Options,
  choices: [
    "human-likeness (ours): a visit's pages mix the user's latest held-out items with as many never-interacted training items, shuffled, pageSize per page; the papers let agents browse a recommender",
    "human-likeness (ours): the humans' log on those pages shows the held-out items they interacted with, in time order, with their ratings, and leaves after the last page",
    'human-likeness: the judge sees the log only (item lines, watches, ratings, exit), never the method; 1 = most like an AI, 5 = most like a human (AlignUSER llm_evaluator.py wording, ours in detail)',
  ],
  prompts: {
    judgeSystem: new URL('./prompts/judge-system.md', import.meta.url),
    judge: new URL('./prompts/judge.md', import.meta.url),
  },
  metrics: () => [
    {
      key: 'human-likeness',
      label: 'Human-like (1-5)',
      direction: 'higher',
      unitScore: 'rating',
      unit: '1-5, judged',
      judged: true,
    },
  ],
  noUnits(dataset) {
    return `no user of ${dataset.name} has a held-out interaction in the split ${dataset.split.name}`;
  },
  buildUnits(dataset, options, rng) {
    const held = heldOutByUser(dataset);
    const seen = interactedByUser(dataset);
    const trainItems = [...new Set(dataset.split.train.map((x) => x.item))];
    const units: TaskUnit<Gold>[] = [];
    for (const user of [...held.keys()].slice(0, options.users ?? undefined)) {
      const latest = [...(held.get(user) ?? [])].sort((a, b) => a.timestamp - b.timestamp).slice(-options.heldOutItems);
      if (latest.length === 0) continue;
      const r = Rng.derive(rng.nextUint32(), user);
      const mine = seen.get(user) ?? new SortedIds([]);
      const distractors: string[] = [];
      // Rejection against the user's items: linear in what is drawn, not in the catalogue.
      for (let tries = 0; distractors.length < latest.length && tries < 50 * latest.length; tries++) {
        const i = trainItems[r.int(trainItems.length)] as string;
        if (!mine.has(i) && !distractors.includes(i)) distractors.push(i);
      }
      const items = r.shuffle([...latest.map((x) => x.item), ...distractors]);
      const pages: string[][] = [];
      for (let k = 0; k < items.length; k += options.pageSize) pages.push(items.slice(k, k + options.pageSize));
      units.push({
        key: user,
        user,
        items,
        gold: { pages, human: latest.map((x) => ({ item: x.item, rating: x.rating })) },
      });
    }
    return units;
  },
  async run(sim, user, items, ctx, unit): Promise<Answer> {
    if (!sim.browse) throw new UnitError('method', 'method has no browse capability');
    if (!unit) throw new Error('human-likeness: run needs its unit (the pages travel in it)');
    const byId = new Map(items.map((i) => [i.id, i]));
    const pages: BrowsePage[] = unit.gold.pages.map((ids, k) => ({
      number: k + 1,
      items: ids.map((id) => byId.get(id) as Item),
    }));
    const visit = await sim.browse(user, pages, {
      rng: ctx.rng,
      llm: ctx.llm,
      signal: ctx.signal,
      ...(ctx.perUser ? { perUser: ctx.perUser } : {}),
    });
    if (!visit || !Array.isArray(visit.pages) || visit.pages.length === 0 || visit.pages.length > pages.length)
      throw new UnitError(
        'answer',
        `the visit reports ${visit?.pages?.length ?? 0} pages; 1 to ${pages.length} were offered`,
      );
    return judgeVisit(visit, pages, user.scale?.max ?? IMPLICIT_RATING_SCALE.max, ctx);
  },
  reference: {
    label: 'Human (held-out ratings)',
    async run(unit, dataset, ctx) {
      const items = new Map(dataset.items.map((i) => [i.id, i]));
      const pages: BrowsePage[] = unit.gold.pages.map((ids, k) => ({
        number: k + 1,
        items: ids.map((id) => items.get(id) as Item),
      }));
      return judgeVisit(humanVisit(unit.gold), pages, dataset.scale?.max ?? IMPLICIT_RATING_SCALE.max, ctx);
    },
  },
  score(_unit, answer) {
    return { rating: answer.rating };
  },
  aggregate(done) {
    const s = done.map((d) => d.scores['rating'] as number);
    const value: MetricValue = {
      value: s.length === 0 ? Number.NaN : s.reduce((a, b) => a + b, 0) / s.length,
      n: s.length,
      estimator: 'mean',
      unitIds: done.map((d) => d.id),
      unitScores: s,
    };
    return { 'human-likeness': value };
  },
  distributions(done) {
    const counts: Record<string, number> = {};
    for (const d of done) counts[String(d.answer.rating)] = (counts[String(d.answer.rating)] ?? 0) + 1;
    return { rating: counts };
  },
});

/** The human's visit on the unit's pages: on each page, the held-out items they interacted with, in time order. */
function humanVisit(gold: Gold): BrowseOutcome {
  const when = new Map(gold.human.map((h, k) => [h.item, k]));
  return {
    pages: gold.pages.map((ids, k) => ({
      watched: ids
        .filter((id) => when.has(id))
        .sort((a, b) => (when.get(a) as number) - (when.get(b) as number))
        .map((id) => ({ item: id, rating: gold.human[when.get(id) as number]?.rating ?? null })),
      exit: k === gold.pages.length - 1,
    })),
  };
}

/** The visit as the judge reads it: pages, items shown, watches with ratings, the exit. */
export function visitLog(visit: BrowseOutcome, pages: readonly BrowsePage[], max: number): string {
  const lines: string[] = [];
  visit.pages.forEach((p, k) => {
    const page = pages[k] as BrowsePage;
    const titles = new Map(page.items.map((i) => [i.id, itemLine(i)]));
    lines.push(`Page ${page.number}: shown ${page.items.map((i) => `"${itemLine(i)}"`).join('; ')}.`);
    if (p.watched.length === 0) lines.push('  Watched nothing on this page.');
    for (const w of p.watched)
      lines.push(
        `  Watched "${titles.get(w.item) ?? w.item}"${w.rating !== null ? `, then rated it ${w.rating} of ${max}` : ''}.`,
      );
    if (p.exit) lines.push(`  Left after page ${page.number}.`);
  });
  if (visit.satisfaction !== undefined && visit.satisfaction !== null)
    lines.push(`Satisfaction with the recommendations at the end: ${visit.satisfaction} of 10.`);
  return lines.join('\n');
}

async function judgeVisit(
  visit: BrowseOutcome,
  pages: readonly BrowsePage[],
  max: number,
  ctx: TaskContext,
): Promise<Answer> {
  const judge: Llm | null | undefined = ctx.judge;
  if (!judge) throw new UnitError('method', 'human-likeness needs an LLM judge: add judge: (or llm:) to the config');
  const prompts = ctx.prompts ?? {};
  const reply = await askHumanLikeness(
    judge,
    prompts['judgeSystem'] ?? '',
    renderTemplate(prompts['judge'] ?? '', { log: visitLog(visit, pages, max) }),
  );
  return { visit, rating: reply.rating, reason: reply.reason };
}

export default humanLikeness;
