import {
  IMPLICIT_RATING_SCALE,
  renderTemplate,
  UnitError,
  type BrowseOutcome,
  type BrowsePage,
  type Item,
  type Llm,
  type RatingScale,
  type UserView,
} from '../../../harness/plugin-api.js';
import { keyedObject } from '../shared/structured-calls.js';
import { bullet, preferencesText, type Brain, type Preferences } from './decision.js';
import type { RatingsGraph } from './knowledge-graph.js';
import { EpisodicMemory } from './memory.js';
import { personaText, type MatchedPersona } from './persona.js';
import { scaleText } from './rating-scale.js';
import { ratingSchema, snapRating } from '../shared/structured-calls.js';

export type PageDecision = 'next' | 'exit';

export interface BrowsePrompts {
  readonly system: string;
  readonly page: string;
  readonly refinePage: string;
  readonly exitInterview: string;
}

export interface BrowseOptions {
  /** Causal refinement calls per page (the same option as for the static tasks). */
  readonly refinementRounds: number;
  readonly temperature: number;
  readonly maxTokens: number;
}

/** What the user did with one item of a page. */
export interface ItemChoice {
  readonly code: string;
  readonly item: Item;
  /** The item-evaluation thought, written before the choice. */
  readonly thought: string;
  /** After causal refinement. */
  readonly watch: boolean;
  /** On the scale when watched, null when passed over. */
  readonly rating: number | null;
  /** Before causal refinement (item evaluation + action selection). */
  readonly initial: { readonly watch: boolean; readonly rating: number | null };
}

export interface PageChoice {
  /** The page's number as the task gave it (1-based). */
  readonly number: number;
  readonly items: readonly ItemChoice[];
  /** How the page left the user feeling, in their words. */
  readonly feeling: string;
  /** After causal refinement. */
  readonly decision: PageDecision;
  readonly initialDecision: PageDecision;
}

export interface VisitInput {
  readonly user: UserView;
  readonly persona: MatchedPersona;
  /** What the persona looks for, when already elicited (per-user state); elicited here otherwise. */
  readonly preferences?: Preferences;
  /** The user's episodic memory: read for per-item retrieval and notes; written only when `persist`. */
  readonly memory: EpisodicMemory;
  readonly graph: RatingsGraph;
  readonly pages: readonly BrowsePage[];
  readonly llm: Llm;
  /** Append the visit's decisions and its reflection to the user's memory for later units (crossUnitMemory). */
  readonly persist: boolean;
}

export interface VisitRecord {
  /** What the task scores. */
  readonly outcome: BrowseOutcome;
  readonly pages: readonly PageChoice[];
  /** The visit's episodic memory: one 'page' entry per page seen, in order. */
  readonly session: EpisodicMemory;
  /** The post-interaction reflection written at the exit interview. */
  readonly reflection: string;
}

interface RawChoice {
  readonly thought?: string;
  readonly watch: boolean;
  readonly rating: number | null;
}

interface PageReply {
  readonly items: Record<string, RawChoice>;
  readonly feeling: string;
  readonly decision: PageDecision;
}

interface RefineReply {
  readonly check: string;
  readonly final: Record<string, RawChoice>;
  readonly decision: PageDecision;
}

/**
 * One item's choice: watched with a rating on the scale, or passed over with
 * none. A union, so a watched item without a rating (or a rating of an item
 * not watched) is a validation error that gets a repair turn.
 */
export function choiceSchema(scale: RatingScale, withThought: boolean): Record<string, unknown> {
  const thought = withThought ? { thought: { type: 'string' } } : {};
  const required = withThought ? ['thought', 'watch', 'rating'] : ['watch', 'rating'];
  return {
    anyOf: [
      {
        type: 'object',
        properties: { ...thought, watch: { const: true }, rating: ratingSchema(scale) },
        required,
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { ...thought, watch: { const: false }, rating: { type: 'null' } },
        required,
        additionalProperties: false,
      },
    ],
  };
}

const DECISION = { type: 'string', enum: ['next', 'exit'] } as const;

/** Item evaluation + action selection on one page: a choice per item code of the page, the page's feeling, next or exit. */
export function pageSchema(codes: readonly string[], scale: RatingScale): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      items: keyedObject(codes, choiceSchema(scale, true)),
      feeling: { type: 'string' },
      decision: DECISION,
    },
    required: ['items', 'feeling', 'decision'],
    additionalProperties: false,
  };
}

/** Causal refinement of a page: the final choice per item code of the page and the final next or exit. */
export function refinePageSchema(codes: readonly string[], scale: RatingScale): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      check: { type: 'string' },
      final: keyedObject(codes, choiceSchema(scale, false)),
      decision: DECISION,
    },
    required: ['check', 'final', 'decision'],
    additionalProperties: false,
  };
}

export const EXIT_SCHEMA = {
  type: 'object',
  properties: { reflection: { type: 'string' }, satisfaction: { type: 'integer', minimum: 1, maximum: 10 } },
  required: ['reflection', 'satisfaction'],
  additionalProperties: false,
} as const;

function sentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '') return '(no words for it).';
  return /[.!?…]["')\]]?$/.test(t) ? t : `${t}.`;
}

const quoted = (xs: readonly ItemChoice[]) => xs.map((x) => `"${x.item.title}"`).join(', ');

/** The page as the visit's episodic memory keeps it: what was shown, what was watched and rated, the feeling, the move. */
export function pageEntry(c: PageChoice, scale: RatingScale): string {
  const watched = c.items.filter((i) => i.watch);
  const passed = c.items.filter((i) => !i.watch);
  const did =
    watched.length === 0
      ? 'You watched none of them.'
      : `You watched ${watched.map((w) => `"${w.item.title}" (rated ${w.rating} out of ${scale.max})`).join(', ')}${passed.length > 0 ? ` and passed over ${quoted(passed)}` : ''}.`;
  const move = c.decision === 'exit' ? 'You decided to leave.' : 'You went on to the next page.';
  return `Page ${c.number} showed ${quoted(c.items)}. ${did} How it left you feeling: ${sentence(c.feeling)} ${move}`;
}

function choiceLine(watch: boolean, rating: number | null, scale: RatingScale): string {
  return watch ? `you watch it and rate it ${rating} (${scaleText(scale)})` : 'you pass it over';
}

/**
 * SimUSER's brain loop over the pages of a recommender (recommender
 * evaluation). Per page: item evaluation + action selection in one call
 * (a thought, watch or pass, a rating for what is watched, the page's
 * feeling, next page or exit), then `refinementRounds` causal refinement
 * calls that may revise any of it. Each page enters the visit's own episodic
 * memory, which every later page and the exit interview show in full. At the
 * end, one exit interview: the post-interaction reflection and a 1–10
 * satisfaction rating. Persona, preferences, per-item memories and
 * knowledge-graph paths come from the same modules as the static tasks.
 *
 * LLM calls (repair turns not counted): (1 + refinementRounds) per page seen
 * + 1 per visit, once the user's persona and preferences exist.
 */
export class Browser {
  constructor(
    private readonly prompts: BrowsePrompts,
    private readonly opts: BrowseOptions,
    private readonly brain: Brain,
    private readonly describe: (item: Item) => string,
  ) {}

  callsPerPage(): number {
    return 1 + this.opts.refinementRounds;
  }

  callsPerVisit(pagesSeen: number): number {
    return pagesSeen * this.callsPerPage() + 1;
  }

  async visit(input: VisitInput): Promise<VisitRecord> {
    const { user, persona, memory, pages, llm } = input;
    if (pages.length === 0) throw new UnitError('method', 'simuser: a visit needs at least one page');
    const scale = user.scale ?? IMPLICIT_RATING_SCALE;
    const prefs = input.preferences ?? (await this.brain.elicit(user, persona, llm));
    const fixed = {
      persona: personaText(persona.persona),
      preferences: preferencesText(prefs),
      notes: this.brain.notesText(memory),
      scale: scaleText(scale),
    };
    // A fresh memory per visit: nothing from another unit's visit can reach it.
    const session = new EpisodicMemory(user.id);
    const seen: PageChoice[] = [];
    // Codes run across the visit (i1 … iN), so an item keeps its code from page to page.
    let next = 1;
    for (const page of pages) {
      const coded = page.items.map((item) => [`i${next++}`, item] as const);
      const visit = bullet(
        session.all().map((e) => e.text),
        '(nothing yet: this is the first page you see)',
      );
      const choice = await this.page(input, page.number, coded, scale, { ...fixed, visit });
      seen.push(choice);
      session.add('page', pageEntry(choice, scale));
      if (choice.decision === 'exit') break;
    }

    const last = seen.at(-1) as PageChoice;
    const ending =
      last.decision === 'exit'
        ? `You chose to leave after page ${last.number}.`
        : `You wanted to see more after page ${last.number}, but the service had nothing more to show you.`;
    const exit = await llm.json<{ reflection: string; satisfaction: number }>({
      messages: [
        { role: 'system', content: this.prompts.system },
        {
          role: 'user',
          content: renderTemplate(this.prompts.exitInterview, {
            persona: fixed.persona,
            preferences: fixed.preferences,
            visit: bullet(session.all().map((e) => e.text)),
            pages: seen.length,
            ending,
          }),
        },
      ],
      schema: EXIT_SCHEMA as unknown as Record<string, unknown>,
      schemaName: 'exit_interview',
      temperature: this.opts.temperature,
      maxTokens: this.opts.maxTokens,
    });
    const reflection = exit.reflection.trim();

    if (input.persist) {
      for (const p of seen) {
        for (const c of p.items) {
          memory.add(
            'decision',
            `Earlier decision — on a recommendation page ${c.watch ? `you watched and rated ${c.rating} (${scaleText(scale)})` : 'you passed over'}: ${this.describe(c.item)}`,
          );
        }
      }
      memory.add('reflection', reflection);
    }

    const outcome: BrowseOutcome = {
      pages: seen.map((p) => ({
        watched: p.items.filter((c) => c.watch).map((c) => ({ item: c.item.id, rating: c.rating })),
        exit: p.decision === 'exit',
      })),
      satisfaction: exit.satisfaction,
    };
    return { outcome, pages: seen, session, reflection };
  }

  /** One page: item evaluation + action selection, then the causal refinement rounds. */
  private async page(
    input: VisitInput,
    number: number,
    coded: readonly (readonly [string, Item])[],
    scale: RatingScale,
    vars: { persona: string; preferences: string; notes: string; scale: string; visit: string },
  ): Promise<PageChoice> {
    const { user, memory, graph, llm } = input;
    const codes = coded.map(([c]) => c);
    const fix = (raw: RawChoice | undefined) => {
      const watch = raw?.watch === true;
      return { watch, rating: watch && typeof raw?.rating === 'number' ? snapRating(raw.rating, scale) : null };
    };
    const reply = await llm.json<PageReply>({
      messages: [
        { role: 'system', content: this.prompts.system },
        {
          role: 'user',
          content: renderTemplate(this.prompts.page, {
            ...vars,
            page: number,
            count: coded.length,
            items: this.brain.itemBlocks(user, memory, graph, coded),
          }),
        },
      ],
      schema: pageSchema(codes, scale),
      schemaName: 'browse_page',
      temperature: this.opts.temperature,
      maxTokens: this.opts.maxTokens,
    });
    const thoughts = codes.map((c) => (reply.items[c]?.thought ?? '').trim());
    const initial = codes.map((c) => fix(reply.items[c]));
    const feeling = reply.feeling.trim();

    // Causal refinement: check each choice and the move against their causes; keep or revise.
    let current = initial;
    let decision = reply.decision;
    for (let round = 0; round < this.opts.refinementRounds; round++) {
      const decisions = coded.map(([code, item], k) => {
        const c = current[k] as { watch: boolean; rating: number | null };
        return `${code}: ${this.describe(item)}\n  First thought: ${thoughts[k]}\n  Current choice: ${choiceLine(c.watch, c.rating, scale)}`;
      });
      const refined = await llm.json<RefineReply>({
        messages: [
          { role: 'system', content: this.prompts.system },
          {
            role: 'user',
            content: renderTemplate(this.prompts.refinePage, {
              persona: vars.persona,
              preferences: vars.preferences,
              visit: vars.visit,
              page: number,
              count: coded.length,
              decisions: decisions.join('\n\n'),
              feeling: sentence(feeling),
              decision: decision === 'exit' ? 'leave after this page' : 'go on to the next page',
              scale: vars.scale,
            }),
          },
        ],
        schema: refinePageSchema(codes, scale),
        schemaName: 'refined_page',
        temperature: this.opts.temperature,
        maxTokens: this.opts.maxTokens,
      });
      current = codes.map((c) => fix(refined.final[c]));
      decision = refined.decision;
    }

    const items: ItemChoice[] = coded.map(([code, item], k) => {
      const c = current[k] as { watch: boolean; rating: number | null };
      return {
        code,
        item,
        thought: thoughts[k] as string,
        watch: c.watch,
        rating: c.rating,
        initial: initial[k] as { watch: boolean; rating: number | null },
      };
    });
    return { number, items, feeling, decision, initialDecision: reply.decision };
  }
}
