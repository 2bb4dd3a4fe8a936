import {
  actionText,
  CLICK_TYPES,
  renderTemplate,
  type Llm,
  type PastStep,
  type PersonaRecord,
  type PredictedAction,
  type SessionsTrainData,
  type StepContext,
  type UnitContext,
} from '../../../harness/plugin-api.js';
import { perUserOnce } from '../shared/per-user.js';
import { actionFromReply, actionSchema, type ActionReply } from '../shared/session-actions.js';
import { pageHead, pageTitle, surveyText } from '../shared/session-page.js';
import { askJson, needLlm, type CallSettings } from '../shared/structured-calls.js';
import { Agent4RecMemory, type MemoryEntry, type MemoryOptions } from './memory.js';
import { shopTraitLines, shopTraits, type ShopTraits } from './shop-traits.js';

/** What the session adaptation decides that no Agent4Rec paper or release does (all ours), for the manifest. */
export const SHOP_CHOICES = [
  "agent4rec: sessions: traits from the shopper's training sessions (activity = mean steps per session, diversity = kinds of step covering 80% of their steps, conformity = squared gap between their mix of kinds of step and the crowd's), the paper's percentile cuts; a shopper without training sessions has none and is told so",
  'agent4rec: sessions: taste and shopping habit written once per shopper from the persona text and the survey answers (per-user state)',
  "agent4rec: sessions: memory = one factual entry per earlier step (page, action) and one emotional entry per stated reason, BM25 top retrieveK with the page and last action as query; the last step is always shown; a due satisfaction reflection is made before the next step and shared by the session's later steps (made once per session, within its unit)",
  'agent4rec: sessions: one call per step in the page-reaction format (products that align with the taste, feeling) followed by the move (click, input, or terminate for exit); fatigue grows with the pages seen (a new page title), fresh up to littleTiredAfter, very tired after veryTiredAfter',
] as const;

/** The templates of Agent4Rec on shopping sessions (declared in index.ts, hashed into the manifest). */
export interface ShopPrompts {
  readonly shopSystem: string;
  readonly shopTaste: string;
  readonly shopStep: string;
  readonly shopReflection: string;
}

export interface ShopOptions {
  readonly memory: MemoryOptions;
  readonly littleTiredAfter: number;
  readonly veryTiredAfter: number;
  readonly settings: CallSettings;
}

/** The taste half of a shopper's profile, written by the LLM from the persona and the survey. */
export interface ShopTaste {
  readonly taste: string;
  readonly shoppingHabit: string;
}

interface ShopReflection {
  readonly verdict: 'satisfied' | 'unsatisfied';
  readonly reason: string;
}

/** The decision of one step: Agent4Rec's page reaction (what aligns with the taste, the feeling) and the move. */
interface StepReply extends ActionReply {
  readonly aligned: readonly string[];
  readonly feeling: string;
}

const TASTE_SCHEMA = {
  type: 'object',
  properties: { taste: { type: 'string', minLength: 1 }, shoppingHabit: { type: 'string', minLength: 1 } },
  required: ['taste', 'shoppingHabit'],
  additionalProperties: false,
};

const REFLECTION_SCHEMA = {
  type: 'object',
  properties: {
    verdict: { type: 'string', enum: ['satisfied', 'unsatisfied'] },
    reason: { type: 'string', minLength: 1 },
  },
  required: ['verdict', 'reason'],
  additionalProperties: false,
};

/** `actionSchema(step)` preceded by the page reaction, so that a model judges the page before it moves. */
export function stepSchema(step: StepContext): Record<string, unknown> {
  const s = actionSchema(step) as { properties: Record<string, unknown>; required: string[] };
  return {
    type: 'object',
    properties: { aligned: { type: 'array', items: { type: 'string' } }, feeling: { type: 'string' }, ...s.properties },
    required: ['aligned', 'feeling', ...s.required],
    additionalProperties: false,
  };
}

/** Pages seen so far, counting a new page whenever the page title changes (a typed search is the same page). */
export function pagesSeen(step: StepContext): number {
  const titles = [...step.history.map((h) => h.observation), step.observation].map(pageTitle);
  return titles.filter((t, k) => k === 0 || t !== titles[k - 1]).length;
}

function fatigue(page: number, o: ShopOptions): string {
  const before = page - 1;
  if (page <= o.littleTiredAfter)
    return before === 0
      ? 'You have just arrived at the shop and feel fresh.'
      : `You have looked at ${before} page${before === 1 ? '' : 's'} of the shop and still feel fresh.`;
  if (page <= o.veryTiredAfter)
    return `You have been shopping for a while (${before} pages so far) and feel a little tired.`;
  return `You have already looked at ${before} pages of the shop and feel very tired.`;
}

/** The memories one earlier step leaves: a factual one (where, what) and, when a reason was given, an emotional one. */
function remember(memory: Agent4RecMemory, h: PastStep, n: number): void {
  memory.add('factual', `Step ${n}, on "${pageTitle(h.observation)}": you did ${actionText(h.action)}.`);
  const why = h.rationale?.trim();
  if (why) memory.add('emotional', `Step ${n}: you thought "${why}"`);
}

const listed = (entries: readonly MemoryEntry[]) =>
  entries.length === 0
    ? '(nothing yet: this is the start of your session)'
    : entries.map((e) => `- ${e.text}`).join('\n');

/**
 * Agent4Rec as a web shopper, one step at a time: traits from the shopper's
 * training sessions (none for a shopper without any), a taste from the persona
 * and survey (one call per shopper, per-user state), a memory of the session's
 * steps with factual and emotional entries and the satisfaction reflection
 * when due, and the decision format of a page (which products align with the
 * taste, the feeling, then the move: a click, an input or leaving).
 * LLM calls: one per step, plus one per due reflection (made once per
 * session by the unit that predicts it), plus the taste once per shopper.
 */
export class ShopAgent {
  private traits = new Map<string, ShopTraits>();
  /** Per-user state outside the runner (unit tests): built once here. */
  private readonly local = new Map<string, Promise<unknown>>();
  /**
   * Reflections of a session, shared by the steps of the unit that predicts
   * it (keyed by the unit's own metered LLM, so a unit pays for its session's
   * reflections itself, once, however its steps interleave, and a retried
   * unit pays again). Not per-user state: that would charge a simulated
   * session's reflections to whichever cell first holds the shopper.
   */
  private readonly reflections = new WeakMap<Llm, Map<string, Promise<ShopReflection>>>();

  constructor(
    private readonly prompts: ShopPrompts,
    private readonly o: ShopOptions,
  ) {}

  fit(train: SessionsTrainData): void {
    this.traits = shopTraits(train);
  }

  private state<T>(unit: UnitContext, user: string, name: string, build: (llm: Llm | null) => Promise<T>): Promise<T> {
    return perUserOnce(this.local, unit, user, name, build);
  }

  /** The profile the system prompt carries: traits (or that none are known), taste and shopping habit. */
  profile(persona: PersonaRecord, taste: ShopTaste): string {
    const t = this.traits.get(persona.id);
    const traits = t
      ? [
          `Your social traits, from your ${t.sessions} earlier shopping session${t.sessions === 1 ? '' : 's'}:`,
          shopTraitLines(t.traits),
          '(Here activity is how many steps you usually take before you are done; conformity is how closely you shop like most shoppers and go by the star ratings and popularity shown; diversity is how many different kinds of things you do on a shop: search, filter, read reviews, choose options, use the cart.)',
        ].join('\n')
      : 'No earlier shopping sessions of yours are known, so you have no traits from data: go by your persona and taste.';
    return [
      'About you:',
      persona.persona.trim() || '(no persona text)',
      traits,
      `Your tastes: ${taste.taste}`,
      `Your shopping habit: ${taste.shoppingHabit}`,
    ].join('\n');
  }

  private taste(persona: PersonaRecord, unit: UnitContext): Promise<ShopTaste> {
    return this.state(unit, persona.id, 'shop-taste', async (l) => {
      const reply = await askJson<ShopTaste>(
        needLlm(l, 'agent4rec'),
        this.o.settings,
        '',
        renderTemplate(this.prompts.shopTaste, {
          persona: persona.persona.trim() || '(no persona text)',
          survey: surveyText(persona),
        }),
        TASTE_SCHEMA,
        'shop_taste',
      );
      return { taste: reply.taste.trim(), shoppingHabit: reply.shoppingHabit.trim() };
    });
  }

  /**
   * The session's memory up to this step: every earlier step remembered in
   * order, and each reflection that fell due made before the next step, as
   * the browsing session does. A reflection depends only on the steps before
   * it, so every step of the session reads the same one.
   */
  async memory(step: StepContext, system: string, llm: Llm): Promise<Agent4RecMemory> {
    let made = this.reflections.get(llm);
    if (!made) this.reflections.set(llm, (made = new Map()));
    const m = new Agent4RecMemory(this.o.memory);
    for (let k = 0; k <= step.history.length; k++) {
      if (m.reflectionDue) {
        const content = renderTemplate(this.prompts.shopReflection, {
          memories: listed(m.recent(this.o.memory.retrieveK).reverse()),
        });
        const key = `${step.sessionId}@${k}`;
        let p = made.get(key);
        if (!p) {
          p = askJson<ShopReflection>(llm, this.o.settings, system, content, REFLECTION_SCHEMA, 'shop_reflection');
          made.set(key, p);
        }
        const r = await p;
        m.addReflection(`Looking back on this shopping session so far, I am ${r.verdict}: ${r.reason.trim()}`);
      }
      const h = step.history[k];
      if (h) remember(m, h, k + 1);
    }
    return m;
  }

  async nextAction(step: StepContext, unit: UnitContext): Promise<PredictedAction> {
    const llm = needLlm(unit.llm, 'agent4rec');
    const taste = await this.taste(step.persona, unit);
    const system = renderTemplate(this.prompts.shopSystem, { profile: this.profile(step.persona, taste) });
    const memory = await this.memory(step, system, llm);
    const last = step.history.at(-1);
    const query = `${pageHead(step.observation)}\n${last ? actionText(last.action) : ''}`;
    const recalled = memory.retrieve(query).sort((a, b) => a.step - b.step);
    const reply = await askJson<StepReply>(
      llm,
      this.o.settings,
      system,
      renderTemplate(this.prompts.shopStep, {
        memories: listed(recalled),
        lastStep: last
          ? `On "${pageTitle(last.observation)}" you did ${actionText(last.action)}.`
          : 'None: this is the first step of your session.',
        fatigue: fatigue(pagesSeen(step), this.o),
        observation: step.observation,
        clickTypes: CLICK_TYPES.join(', '),
      }),
      stepSchema(step),
      'shop_step',
    );
    return actionFromReply(reply);
  }
}
