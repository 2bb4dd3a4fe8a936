import {
  Type,
  Rng,
  UnitError,
  binaryPrf,
  defineTask,
  prfFromCounts,
  type MetricSpec,
  type MetricValue,
  type OptionIssue,
} from '../../../harness/plugin-api.js';
import { heldOutByUser, interactedByUser } from '../shared/held-out.js';
import { SortedIds } from '../shared/sorted-ids.js';
import { NegativePool, negativeUniverse } from './negatives.js';

const Options = Type.Object(
  {
    ratios: Type.Array(Type.Integer({ minimum: 1 }), {
      default: [1, 3, 9],
      minItems: 1,
      description: 'Distractors per held-out item (1:m).',
    }),
    itemsPerUser: Type.Integer({
      minimum: 2,
      default: 20,
      description: 'Budget of items per user and ratio (Agent4Rec: 20).',
    }),
    users: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      default: null,
      description: 'Evaluate at most this many users (first by id); null: all.',
    }),
    negativesFrom: Type.Union([Type.Literal('train-items'), Type.Literal('all-items')], {
      default: 'train-items',
      description:
        'Distractors come from the items that occur in the training split (Agent4Rec: every distractor has ratings) or from every item of the dataset; never one the user interacted with.',
    }),
  },
  { additionalProperties: false },
);

interface Gold {
  readonly ratio: number;
  readonly positives: readonly string[];
}

type Answer = Readonly<Record<string, boolean>>;

const ratioLabel = (m: number) => `1:${m}`;

/**
 * Agent4Rec's protocol: for each user and ratio 1:m, held-out
 * items as positives and m times as many never-interacted items of the
 * training item universe as negatives; the simulator says like / not-like per
 * item. docs/protocols.md lists where we follow the original and where not.
 */
export const preferenceDiscrimination = defineTask({
  name: 'preference-discrimination',
  description:
    'Tell held-out items from never-interacted distractors at 1:m ratios; accuracy and F1 per user, averaged.',
  version: 2,
  needs: { data: 'ratings', capabilities: ['discriminate'] },
  options: Options,
  check(options) {
    const issues: OptionIssue[] = [];
    const seen = new Set<number>();
    options.ratios.forEach((m, k) => {
      if (seen.has(m))
        issues.push({
          path: ['ratios', k],
          message: `ratio 1:${m} is listed twice: its units and columns would collide; list each ratio once`,
        });
      seen.add(m);
      // A unit of ratio 1:m holds floor(itemsPerUser / (m + 1)) positives: none means the ratio has no unit at all.
      if (Math.floor(options.itemsPerUser / (m + 1)) === 0)
        issues.push({
          path: ['ratios', k],
          message: `ratio 1:${m} leaves no positive: itemsPerUser (${options.itemsPerUser}) // (${m} + 1) is 0, so its columns would stay empty; raise itemsPerUser to at least ${m + 1} or drop this ratio`,
        });
    });
    return issues;
  },
  choices: [
    "preference-discrimination: a user with no predicted positive has precision and F1 undefined (NaN, as in Agent4Rec); the F1 mean leaves them out and counts them (extra.undefinedUnits), where Agent4Rec's plain np.mean would be NaN",
    'preference-discrimination: a unit whose answer misses an item is an error, not a guess',
    'preference-discrimination: when too few candidate distractors are left for m × positives, the unit takes fewer positives so that the ratio stays 1:m (Agent4Rec would stop with an error)',
  ],
  metrics(options): MetricSpec[] {
    return options.ratios.flatMap((m) => [
      {
        key: `accuracy@${ratioLabel(m)}`,
        label: `Acc ${ratioLabel(m)}`,
        direction: 'higher' as const,
        unitScore: 'accuracy',
      },
      { key: `f1@${ratioLabel(m)}`, label: `F1 ${ratioLabel(m)}`, direction: 'higher' as const, unitScore: 'f1' },
    ]);
  },
  noUnits(dataset, options) {
    const held = dataset.split.valid.length + dataset.split.test.length;
    if (held === 0)
      return `the split ${dataset.split.name} holds no valid or test interaction, so no user has a held-out item`;
    if (options.ratios.every((m) => Math.floor(options.itemsPerUser / (m + 1)) === 0))
      return `every ratio 1:m leaves no positive: itemsPerUser (${options.itemsPerUser}) // (m + 1) is 0 for ratios ${options.ratios.join(', ')}; lower the ratios or raise itemsPerUser`;
    const where = options.negativesFrom === 'train-items' ? 'the items of the training split' : 'the items';
    return `no user has a distractor left: each has interacted with nearly all of ${where}, fewer than the smallest ratio needs; use a dataset with more items${options.negativesFrom === 'train-items' ? ', or negativesFrom: all-items' : ''}`;
  },
  buildUnits(dataset, options, rng) {
    const held = heldOutByUser(dataset);
    const seen = interactedByUser(dataset);
    const pool = new NegativePool(negativeUniverse(dataset, options.negativesFrom));
    const users = [...held.keys()].slice(0, options.users ?? undefined);
    const units = [];
    for (const user of users) {
      const positivesPool = (held.get(user) ?? []).map((x) => x.item);
      const interacted = seen.get(user) ?? new SortedIds([]);
      const available = pool.available(interacted);
      const free: { list?: string[] } = {};
      for (const m of options.ratios) {
        const unitRng = Rng.derive(rng.nextUint32(), user, m);
        const nPos = Math.min(
          positivesPool.length,
          Math.floor(options.itemsPerUser / (m + 1)),
          Math.floor(available / m),
        );
        if (nPos === 0) continue;
        const positives = unitRng.sample(positivesPool, nPos);
        const negatives = pool.draw(m * nPos, interacted, available, unitRng, free);
        units.push({
          key: `${user}|${ratioLabel(m)}`,
          user,
          items: unitRng.shuffle([...positives, ...negatives]),
          gold: { ratio: m, positives } as Gold,
        });
      }
    }
    return units;
  },
  async run(sim, user, items, ctx): Promise<Answer> {
    if (!sim.discriminate) throw new UnitError('method', 'method has no discriminate capability');
    const judgements = await sim.discriminate(user, items, ctx);
    const wanted = new Set(items.map((i) => i.id));
    const answer: Record<string, boolean> = {};
    for (const j of judgements) {
      if (!wanted.has(j.item)) throw new UnitError('answer', `answer names item "${j.item}", which was not offered`);
      answer[j.item] = j.like;
    }
    const missing = items.filter((i) => !(i.id in answer)).map((i) => i.id);
    if (missing.length > 0)
      throw new UnitError(
        'answer',
        `answer misses ${missing.length} of ${items.length} items (${missing.slice(0, 5).join(', ')})`,
      );
    return answer;
  },
  score(unit, answer) {
    const pos = new Set(unit.gold.positives);
    const gold = unit.items.map((i) => pos.has(i));
    const pred = unit.items.map((i) => answer[i] === true);
    const prf = binaryPrf(pred, gold);
    const correct = gold.filter((g, k) => g === pred[k]).length;
    // Agent4Rec (simulation/utils.py) divides 0 by 0 here: precision, and so F1, are undefined.
    const none = prf.tp + prf.fp === 0;
    return {
      accuracy: correct / gold.length,
      precision: none ? Number.NaN : prf.precision,
      recall: prf.recall,
      f1: none ? Number.NaN : prf.f1,
      tp: prf.tp,
      fp: prf.fp,
      fn: prf.fn,
      n: gold.length,
    };
  },
  aggregate(done, options) {
    const out: Record<string, MetricValue> = {};
    for (const m of options.ratios) {
      const rows = done.filter((d) => d.unit.gold.ratio === m);
      const ids = rows.map((r) => r.id);
      const acc = rows.map((r) => r.scores['accuracy'] as number);
      // From the counts: a stored NaN comes back from the prediction file as null.
      const f1 = rows.map((r) => unitF1(r.scores['tp'] as number, r.scores['fp'] as number, r.scores['fn'] as number));
      const defined = f1.filter((x) => !Number.isNaN(x));
      let tp = 0,
        fp = 0,
        fn = 0,
        correct = 0,
        total = 0;
      for (const r of rows) {
        tp += r.scores['tp'] as number;
        fp += r.scores['fp'] as number;
        fn += r.scores['fn'] as number;
        correct += (r.scores['accuracy'] as number) * (r.scores['n'] as number);
        total += r.scores['n'] as number;
      }
      const pooled = prfFromCounts(tp, fp, fn);
      const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
      out[`accuracy@${ratioLabel(m)}`] = {
        value: mean(acc),
        n: rows.length,
        estimator: 'mean',
        unitIds: ids,
        unitScores: acc,
        extra: { micro: total === 0 ? Number.NaN : correct / total },
      };
      // Users with no predicted positive have no F1: left out of the mean (and of intervals and tests), counted.
      out[`f1@${ratioLabel(m)}`] = {
        value: mean(defined),
        n: defined.length,
        estimator: 'mean',
        unitIds: ids,
        unitScores: f1,
        extra: {
          micro: pooled.f1,
          microPrecision: pooled.precision,
          microRecall: pooled.recall,
          undefinedUnits: f1.length - defined.length,
        },
      };
    }
    return out;
  },
});

/** A user's F1 from counts; NaN when nothing was predicted positive (precision 0/0). */
function unitF1(tp: number, fp: number, fn: number): number {
  return tp + fp === 0 ? Number.NaN : prfFromCounts(tp, fp, fn).f1;
}

export default preferenceDiscrimination;
