import {
  itemLine,
  renderTemplate,
  type Item,
  type Llm,
  type LlmRequest,
  type RatingScale,
} from '../../../harness/plugin-api.js';
import type { UserState } from './persona.js';
import { scaleText } from './text.js';
import { keyedObject, ratingSchema, snapRating } from '../shared/structured-calls.js';

/** The templates inference renders; fit renders the same ones so that SFT examples match inference prompts exactly. */
export interface DecisionPrompts {
  readonly system: string;
  readonly state: string;
  readonly screen: string;
  readonly selectLike: string;
  readonly selectRate: string;
  /** Closed-loop browsing: after a page, go on or leave. */
  readonly browseContinue: string;
  /** Closed-loop browsing: the post-session satisfaction scorer. */
  readonly satisfaction: string;
  readonly satisfactionSystem: string;
}

export interface DecisionSettings {
  readonly temperature: number;
  readonly maxTokens: number;
}

/**
 * Extra prompt sections, each '' or a block ending in a blank line: the
 * world model's next-state demonstrations (every backend), retrieved
 * transitions and lessons (in-context), memory evidence (alignuser-plus).
 */
export interface Blocks {
  readonly worldModel: string;
  readonly experience: string;
  readonly evidence: string;
}

export const NO_BLOCKS: Blocks = { worldModel: '', experience: '', evidence: '' };

/** A page as the prompts show it: its items by code, and their lines (the release's item format, or plain lines). */
export interface ShownPage {
  readonly coded: ReadonlyMap<string, Item>;
  /** Item id → its line (without the code). */
  readonly lineOf: ReadonlyMap<string, string>;
  readonly text: string;
}

export function shownPage(coded: ReadonlyMap<string, Item>, lineOf: ReadonlyMap<string, string>): ShownPage {
  const text = [...coded].map(([code, item]) => `${code}: ${lineOf.get(item.id) ?? itemLine(item)}`).join('\n');
  return { coded, lineOf, text };
}

/** The same lines for other codes or fewer items (e.g. the watched items of a page). */
export function recoded(page: ShownPage, coded: ReadonlyMap<string, Item>): ShownPage {
  return shownPage(coded, page.lineOf);
}

/** A page in plain item lines (no rating evidence): what a simulator shows before fit built its item evidence. */
export function plainPage(coded: ReadonlyMap<string, Item>): ShownPage {
  return shownPage(coded, new Map());
}

export type Decision = 'watch' | 'skip';
export type Screening = Readonly<Record<string, { readonly decision: Decision; readonly reason: string }>>;

export interface LikeSelection {
  readonly reasoning: string;
  readonly items: Readonly<Record<string, { readonly like: boolean; readonly rationale: string }>>;
}

export interface RateSelection {
  readonly reasoning: string;
  readonly items: Readonly<Record<string, { readonly rating: number; readonly rationale: string }>>;
}

export type JsonRequest = LlmRequest & { schema: Record<string, unknown>; schemaName: string };

const str = { type: 'string' };

export function renderState(prompts: Pick<DecisionPrompts, 'state'>, s: UserState): string {
  return renderTemplate(prompts.state, { persona: s.persona, liked: s.liked, disliked: s.disliked }).trimEnd();
}

export function screeningSchema(codes: readonly string[]): Record<string, unknown> {
  const entry = {
    type: 'object',
    properties: { decision: { type: 'string', enum: ['watch', 'skip'] }, reason: str },
    required: ['decision', 'reason'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { items: keyedObject(codes, entry) },
    required: ['items'],
    additionalProperties: false,
  };
}

export function likeSchema(codes: readonly string[]): Record<string, unknown> {
  const entry = {
    type: 'object',
    properties: { like: { type: 'boolean' }, rationale: str },
    required: ['like', 'rationale'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { reasoning: str, items: keyedObject(codes, entry) },
    required: ['reasoning', 'items'],
    additionalProperties: false,
  };
}

export function rateSchema(codes: readonly string[], scale: RatingScale): Record<string, unknown> {
  const entry = {
    type: 'object',
    properties: { rating: ratingSchema(scale), rationale: str },
    required: ['rating', 'rationale'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { reasoning: str, items: keyedObject(codes, entry) },
    required: ['reasoning', 'items'],
    additionalProperties: false,
  };
}

export function screeningText(coded: ReadonlyMap<string, Item>, screening: Screening): string {
  return [...coded.keys()]
    .map((c) => `${c}: ${screening[c]?.decision ?? 'skip'} (${screening[c]?.reason ?? 'no reason given'})`)
    .join('\n');
}

/**
 * Requests of the two inference steps. Fit builds its SFT examples with these
 * same functions, so a fine-tuned model sees at inference exactly the prompts
 * it was trained on.
 */
export class DecisionRequests {
  constructor(
    private readonly prompts: DecisionPrompts,
    private readonly settings: DecisionSettings,
  ) {}

  private vars(state: UserState, page: ShownPage, blocks: Blocks): Record<string, string | number> {
    return {
      state: renderState(this.prompts, state),
      worldModel: blocks.worldModel,
      experience: blocks.experience,
      evidence: blocks.evidence,
      count: page.coded.size,
      items: page.text,
    };
  }

  private request(user: string, schema: Record<string, unknown>, schemaName: string): JsonRequest {
    return {
      messages: [
        { role: 'system', content: this.prompts.system.trim() },
        { role: 'user', content: user },
      ],
      schema,
      schemaName,
      temperature: this.settings.temperature,
      maxTokens: this.settings.maxTokens,
    };
  }

  screen(state: UserState, page: ShownPage, blocks: Blocks): JsonRequest {
    return this.request(
      renderTemplate(this.prompts.screen, this.vars(state, page, blocks)),
      screeningSchema([...page.coded.keys()]),
      'screening',
    );
  }

  selectLike(state: UserState, page: ShownPage, screening: Screening, blocks: Blocks): JsonRequest {
    const text = renderTemplate(this.prompts.selectLike, {
      ...this.vars(state, page, blocks),
      screening: screeningText(page.coded, screening),
    });
    return this.request(text, likeSchema([...page.coded.keys()]), 'selection_like');
  }

  continueVisit(state: UserState, pageNumber: number, page: ShownPage, outcome: string, blocks: Blocks): JsonRequest {
    const text = renderTemplate(this.prompts.browseContinue, {
      ...this.vars(state, page, blocks),
      page: pageNumber,
      outcome,
    });
    const schema = {
      type: 'object',
      properties: { reasoning: str, decision: { type: 'string', enum: ['next', 'leave'] } },
      required: ['reasoning', 'decision'],
      additionalProperties: false,
    };
    return this.request(text, schema, 'browse_continue');
  }

  selectRate(state: UserState, page: ShownPage, screening: Screening, scale: RatingScale, blocks: Blocks): JsonRequest {
    const text = renderTemplate(this.prompts.selectRate, {
      ...this.vars(state, page, blocks),
      screening: screeningText(page.coded, screening),
      scale: scaleText(scale),
    });
    return this.request(text, rateSchema([...page.coded.keys()], scale), 'selection_rating');
  }

  /**
   * The release's post-session satisfaction scorer (post_interview_satisfaction.py):
   * a third-person judgement of the visit, 1–10, from the persona and a summary of the visit.
   */
  satisfaction(state: UserState, visit: string): JsonRequest {
    const text = renderTemplate(this.prompts.satisfaction, { persona: state.persona, visit });
    const schema = {
      type: 'object',
      properties: { rating: { type: 'integer', minimum: 1, maximum: 10 }, reason: str },
      required: ['rating', 'reason'],
      additionalProperties: false,
    };
    return {
      messages: [
        { role: 'system', content: this.prompts.satisfactionSystem.trim() },
        { role: 'user', content: text },
      ],
      schema,
      schemaName: 'post_interview_satisfaction',
      temperature: this.settings.temperature,
      maxTokens: this.settings.maxTokens,
    };
  }
}

/** Item screening then action selection: two structured calls per unit. */
export class Decider {
  readonly requests: DecisionRequests;

  constructor(prompts: DecisionPrompts, settings: DecisionSettings) {
    this.requests = new DecisionRequests(prompts, settings);
  }

  async screen(llm: Llm, state: UserState, page: ShownPage, blocks: Blocks): Promise<Screening> {
    const reply = await llm.json<{ items: Screening }>(this.requests.screen(state, page, blocks));
    return reply.items;
  }

  async selectLikes(
    llm: Llm,
    state: UserState,
    page: ShownPage,
    screening: Screening,
    blocks: Blocks,
  ): Promise<LikeSelection> {
    return llm.json<LikeSelection>(this.requests.selectLike(state, page, screening, blocks));
  }

  async continueVisit(
    llm: Llm,
    state: UserState,
    pageNumber: number,
    page: ShownPage,
    outcome: string,
    blocks: Blocks,
  ): Promise<VisitDecision> {
    return (
      await llm.json<{ decision: VisitDecision }>(this.requests.continueVisit(state, pageNumber, page, outcome, blocks))
    ).decision;
  }

  async selectRatings(
    llm: Llm,
    state: UserState,
    page: ShownPage,
    screening: Screening,
    scale: RatingScale,
    blocks: Blocks,
  ): Promise<RateSelection> {
    const reply = await llm.json<RateSelection>(this.requests.selectRate(state, page, screening, scale, blocks));
    const items = Object.fromEntries(
      Object.entries(reply.items).map(([c, v]) => [c, { ...v, rating: snapRating(v.rating, scale) }]),
    );
    return { reasoning: reply.reasoning, items };
  }

  async satisfaction(llm: Llm, state: UserState, visit: string): Promise<{ rating: number; reason: string }> {
    return llm.json<{ rating: number; reason: string }>(this.requests.satisfaction(state, visit));
  }
}

export type VisitDecision = 'next' | 'leave';
