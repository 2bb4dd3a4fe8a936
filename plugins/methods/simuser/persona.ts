import {
  attributesText,
  renderTemplate,
  Rng,
  type Item,
  type Llm,
  type RatingScale,
  type TrainData,
  type UserView,
  IMPLICIT_RATING_SCALE,
} from '../../../harness/plugin-api.js';
import { once } from './once.js';
import { scaleText } from './rating-scale.js';
import { ratingSchema, snapRating } from '../shared/structured-calls.js';

export const LEVELS = ['low', 'moderate', 'high'] as const;
export type Level = (typeof LEVELS)[number];
export const BIG_FIVE = ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'] as const;

export interface Persona {
  readonly age: number;
  readonly occupation: string;
  readonly openness: Level;
  readonly conscientiousness: Level;
  readonly extraversion: Level;
  readonly agreeableness: Level;
  readonly neuroticism: Level;
  /** How hard the person is to please. */
  readonly pickiness: Level;
  readonly habits: string;
  readonly tastes: string;
}

export const PERSONA_SCHEMA = {
  type: 'object',
  properties: {
    age: { type: 'integer', minimum: 10, maximum: 100 },
    occupation: { type: 'string' },
    ...Object.fromEntries(BIG_FIVE.map((t) => [t, { type: 'string', enum: [...LEVELS] }])),
    pickiness: { type: 'string', enum: [...LEVELS] },
    habits: { type: 'string' },
    tastes: { type: 'string' },
  },
  required: ['age', 'occupation', ...BIG_FIVE, 'pickiness', 'habits', 'tastes'],
  additionalProperties: false,
} as const;

const PICKINESS: Record<Level, string> = {
  low: 'easy to please, enjoys most of what they pick',
  moderate: 'likes a fair share of what they pick and dislikes some',
  high: 'hard to please, rarely impressed',
};

export function personaText(p: Persona): string {
  return [
    `Age ${p.age}; occupation: ${p.occupation}.`,
    `Personality (Big Five): ${BIG_FIVE.map((t) => `${t} ${p[t]}`).join(', ')}.`,
    `Pickiness: ${p.pickiness} (${PICKINESS[p.pickiness]}).`,
    `Habits: ${p.habits}`,
    `Tastes: ${p.tastes}`,
  ].join('\n');
}

export interface RatedItem {
  readonly item: Item;
  readonly rating: number;
}

/** Ratings of other users, for the contrast term of persona matching. */
export interface Population {
  /** Up to n ratings by users other than `userId`, on distinct items outside `exclude`. */
  sampleOthers(userId: string, exclude: ReadonlySet<string>, n: number, rng: Rng): RatedItem[];
}

/** The training split as a population: other users' training ratings only. */
export class TrainPopulation implements Population {
  private readonly rated: { user: string; item: Item; rating: number }[] = [];

  constructor(train: TrainData) {
    const items = new Map(train.items.map((i) => [i.id, i]));
    for (const x of train.interactions) {
      const item = items.get(x.item);
      if (item && x.rating !== null) this.rated.push({ user: x.user, item, rating: x.rating });
    }
  }

  sampleOthers(userId: string, exclude: ReadonlySet<string>, n: number, rng: Rng): RatedItem[] {
    const out: RatedItem[] = [];
    const used = new Set<string>();
    // Rejection sampling: cheap on large splits, bounded on tiny ones.
    for (let tries = 0; out.length < n && tries < 50 * n && this.rated.length > 0; tries++) {
      const x = this.rated[rng.int(this.rated.length)] as { user: string; item: Item; rating: number };
      if (x.user === userId || exclude.has(x.item.id) || used.has(x.item.id)) continue;
      used.add(x.item.id);
      out.push({ item: x.item, rating: x.rating });
    }
    return out;
  }
}

/**
 * How candidate personas are scored from the ratings they predict.
 * - mae-contrast **(ours)**: −MAE(own) + λ·MAE(other), against the real
 *   training ratings: a persona must reproduce the user's own ratings, and
 *   among equally good ones the one that would *not* also reproduce strangers'
 *   ratings is more specific to this user.
 * - rating-gap: mean predicted rating of the user's own items minus that of
 *   other users' items, the paper's s(p, u) = Σ r̂(own) − Σ r̂(other) as a
 *   third-party summary of the paper gives it; means instead of sums
 *   **(ours)** so unequal sample sizes do not tilt it. It needs no real
 *   ratings, so it also works on implicit feedback.
 */
export type PersonaScoring = 'mae-contrast' | 'rating-gap';

export interface PersonaOptions {
  readonly historyItems: number;
  readonly candidates: number;
  readonly scoring: PersonaScoring;
  readonly ownItems: number;
  readonly otherItems: number;
  readonly contrastWeight: number;
  readonly temperature: number;
  readonly maxTokens: number;
}

export interface PersonaPrompts {
  readonly system: string;
  readonly summarise: string;
  readonly propose: string;
  readonly score: string;
}

export interface ScoredCandidate {
  readonly persona: Persona;
  /** Mean predicted rating of the user's own sampled items. */
  readonly ownMean: number | null;
  /** Mean predicted rating of the other users' sampled items (null without a contrast sample). */
  readonly otherMean: number | null;
  /** Mean absolute error against the user's own training ratings (mae-contrast only). */
  readonly ownMae: number | null;
  /** Mean absolute error against the other users' training ratings (mae-contrast only). */
  readonly otherMae: number | null;
  readonly score: number | null;
}

export interface MatchedPersona {
  readonly userId: string;
  readonly summary: string;
  readonly candidates: readonly ScoredCandidate[];
  readonly chosen: number;
  readonly persona: Persona;
}

/** One rated sample item: `rating` is the real training rating (null for implicit feedback). */
interface Probe {
  readonly item: Item;
  readonly rating: number | null;
  readonly own: boolean;
}

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

function mae(pred: readonly number[], gold: readonly (number | null)[]): number | null {
  const diffs: number[] = [];
  gold.forEach((g, k) => {
    if (g !== null) diffs.push(Math.abs((pred[k] as number) - g));
  });
  return mean(diffs);
}

/** Scores one candidate from its predictions on the probes (same order). */
export function scoreCandidate(
  persona: Persona,
  probes: readonly Probe[],
  pred: readonly number[],
  scoring: PersonaScoring,
  contrastWeight: number,
): ScoredCandidate {
  const part = (own: boolean) => {
    const p: number[] = [];
    const g: (number | null)[] = [];
    probes.forEach((x, k) => {
      if (x.own === own) {
        p.push(pred[k] as number);
        g.push(x.rating);
      }
    });
    return { mean: mean(p), mae: mae(p, g) };
  };
  const own = part(true);
  const other = part(false);
  if (scoring === 'rating-gap') {
    const score = own.mean === null ? null : own.mean - (other.mean ?? 0);
    return { persona, ownMean: own.mean, otherMean: other.mean, ownMae: null, otherMae: null, score };
  }
  const score = own.mae === null ? null : -own.mae + (other.mae === null ? 0 : contrastWeight * other.mae);
  return { persona, ownMean: own.mean, otherMean: other.mean, ownMae: own.mae, otherMae: other.mae, score };
}

/** Highest score wins; ties go to the earlier candidate (the LLM's own order). */
export function bestCandidate(candidates: readonly ScoredCandidate[]): number {
  let best = 0;
  for (let k = 1; k < candidates.length; k++) {
    const s = candidates[k]?.score ?? null;
    const b = candidates[best]?.score ?? null;
    if (s !== null && (b === null || s > b)) best = k;
  }
  return best;
}

/**
 * SimUSER's persona matching, per user and once: summarise a sample of the
 * history, propose K candidate personas, score each by the ratings it
 * predicts, keep the best. Samples are drawn from a generator seeded by the
 * run seed and the user id, never by the unit, so the persona does not depend
 * on which unit of the user happens to build it.
 */
export class PersonaMatcher {
  private readonly built = new Map<string, Promise<MatchedPersona>>();

  constructor(
    private readonly prompts: PersonaPrompts,
    private readonly opts: PersonaOptions,
    private readonly seed: number,
    private readonly describe: (item: Item) => string,
    private readonly population: () => Population | null,
  ) {}

  get(user: UserView, llm: Llm): Promise<MatchedPersona> {
    return once(this.built, user.id, () => this.build(user, llm));
  }

  /** LLM calls a fresh match makes for this user (repair turns not counted). */
  callsFor(user: UserView): number {
    return 2 + (this.scoringScale(user) === null ? 0 : this.opts.candidates);
  }

  /** Null when candidates are not scored: one candidate, nothing to score against, or no scale for MAE. */
  private scoringScale(user: UserView): RatingScale | null {
    if (this.opts.candidates <= 1) return null;
    if (this.opts.scoring === 'mae-contrast') {
      return user.scale !== null && user.history.some((h) => h.rating !== null) ? user.scale : null;
    }
    return user.history.length > 0 ? (user.scale ?? IMPLICIT_RATING_SCALE) : null;
  }

  private async build(user: UserView, llm: Llm): Promise<MatchedPersona> {
    const system = { role: 'system' as const, content: this.prompts.system };
    // The paper summarises a random selection of 50 history items; shown oldest first.
    const picked = Rng.derive(this.seed, 'simuser-summary', user.id).sample(user.history, this.opts.historyItems);
    const chosen = [...picked].sort(
      (a, b) => a.timestamp - b.timestamp || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0),
    );
    const history =
      chosen.length === 0
        ? '(no history)'
        : chosen.map((h) => `- ${h.rating !== null ? `rated ${h.rating}: ` : ''}${this.describe(h.item)}`).join('\n');
    const attributes = attributesText(user);
    const { summary } = await llm.json<{ summary: string }>({
      messages: [
        system,
        {
          role: 'user',
          content: renderTemplate(this.prompts.summarise, {
            attributes,
            count: chosen.length,
            history,
            scale: user.scale ? scaleText(user.scale) : 'no ratings (implicit feedback)',
          }),
        },
      ],
      schema: {
        type: 'object',
        properties: { summary: { type: 'string' } },
        required: ['summary'],
        additionalProperties: false,
      },
      schemaName: 'history_summary',
      temperature: this.opts.temperature,
      maxTokens: this.opts.maxTokens,
    });

    const k = this.opts.candidates;
    const { personas } = await llm.json<{ personas: Persona[] }>({
      messages: [system, { role: 'user', content: renderTemplate(this.prompts.propose, { attributes, summary, k }) }],
      schema: {
        type: 'object',
        properties: { personas: { type: 'array', minItems: k, maxItems: k, items: PERSONA_SCHEMA } },
        required: ['personas'],
        additionalProperties: false,
      },
      schemaName: 'persona_candidates',
      temperature: this.opts.temperature,
      maxTokens: this.opts.maxTokens,
    });

    const scale = this.scoringScale(user);
    if (scale === null) {
      const candidates = personas.map((persona) => ({
        persona,
        ownMean: null,
        otherMean: null,
        ownMae: null,
        otherMae: null,
        score: null,
      }));
      return { userId: user.id, summary, candidates, chosen: 0, persona: personas[0] as Persona };
    }
    const candidates = await this.score(user, scale, personas, llm);
    const best = bestCandidate(candidates);
    return {
      userId: user.id,
      summary,
      candidates,
      chosen: best,
      persona: (candidates[best] as ScoredCandidate).persona,
    };
  }

  /** One call per candidate; every candidate rates the same shuffled mix of own and other items. */
  private async score(
    user: UserView,
    scale: RatingScale,
    personas: readonly Persona[],
    llm: Llm,
  ): Promise<ScoredCandidate[]> {
    const rng = Rng.derive(this.seed, 'simuser-persona-sample', user.id);
    const ownPool = this.opts.scoring === 'mae-contrast' ? user.history.filter((h) => h.rating !== null) : user.history;
    const own: Probe[] = rng
      .sample(ownPool, this.opts.ownItems)
      .map((h) => ({ item: h.item, rating: h.rating, own: true }));
    const seen = new Set(user.history.map((h) => h.item.id));
    const others: Probe[] = (this.population()?.sampleOthers(user.id, seen, this.opts.otherItems, rng) ?? []).map(
      (x) => ({ ...x, own: false }),
    );
    const probes = rng.shuffle([...own, ...others]);
    const codes = probes.map((_, i) => `r${i + 1}`);
    const items = probes.map((x, i) => `${codes[i]}: ${this.describe(x.item)}`).join('\n');
    const schema = {
      type: 'object',
      properties: Object.fromEntries(codes.map((c) => [c, ratingSchema(scale)])),
      required: codes,
      additionalProperties: false,
    };
    return Promise.all(
      personas.map(async (persona) => {
        const reply = await llm.json<Record<string, number>>({
          messages: [
            { role: 'system', content: this.prompts.system },
            {
              role: 'user',
              content: renderTemplate(this.prompts.score, {
                persona: personaText(persona),
                count: probes.length,
                items,
                scale: scaleText(scale),
              }),
            },
          ],
          schema,
          schemaName: 'persona_ratings',
          temperature: this.opts.temperature,
          maxTokens: this.opts.maxTokens,
        });
        const pred = codes.map((c) => snapRating(reply[c] as number, scale));
        return scoreCandidate(persona, probes, pred, this.opts.scoring, this.opts.contrastWeight);
      }),
    );
  }
}
