import {
  actionText,
  CLICK_TYPES,
  renderTemplate,
  type Llm,
  type PersonaRecord,
  type PredictedAction,
  type Session,
  type SessionsTrainData,
  type StepContext,
  type UnitContext,
} from '../../../harness/plugin-api.js';
import { perUserOnce } from '../shared/per-user.js';
import { actionFromReply, actionSchema, type ActionReply } from '../shared/session-actions.js';
import { pageHead, pageTitle } from '../shared/session-page.js';
import { needLlm } from '../shared/structured-calls.js';
import { EpisodicMemory, type Episode } from './memory.js';
import { personaText } from './persona.js';
import { ShopPersonaMatcher, type MatchedShopPersona, type ShopPersonaOptions } from './shop-persona.js';

/** What the session adaptation decides that the SimUSER paper does not (all ours), for the manifest. */
export const SHOP_CHOICES = [
  "simuser: sessions: persona matching from the shopper's interview (or survey text) and survey answers: a summary, personaCandidates (5) candidates, each scored r̂(own) − r̂(other) by rating 1–5 how well scoringOwnItems (6) of the shopper's survey answers and scoringOtherItems (6) other shoppers' different answers to the same questions describe it (answers over 80 characters are not probed); personaScoring does not apply",
  'simuser: sessions: preference elicitation once per shopper (what makes them buy, what makes them leave); persona and preferences are per-user state',
  'simuser: sessions: episodic memory = one episode per earlier training session of the shopper (searches, products opened, put in the cart, outcome; memoryTopK retrieved by BM25 with the page as query) and one per step of the current session (the last 20 shown in full); no knowledge graph and no post-session reflection on sessions',
  'simuser: sessions: perception is the page text; one action-selection call per step writes perception, reasoning, rationale and the action, then refinementRounds (1) causal refinement calls may revise it',
] as const;

export interface ShopPrompts {
  readonly shopSystem: string;
  readonly shopSummarise: string;
  readonly shopPropose: string;
  readonly shopScore: string;
  readonly shopElicit: string;
  readonly shopSelect: string;
  readonly shopRefine: string;
}

export interface ShopOptions extends ShopPersonaOptions {
  readonly memoryTopK: number;
  readonly refinementRounds: number;
}

export interface ShopPreferences {
  readonly likes: readonly string[];
  readonly dislikes: readonly string[];
  readonly summary: string;
}

interface Selection extends ActionReply {
  readonly perception: string;
  readonly reasoning: string;
}

interface Refinement extends ActionReply {
  readonly check: string;
}

/** Steps of the current session shown in full; older ones are counted. */
const SESSION_STEPS_SHOWN = 20;

/** `actionSchema(step)` with extra text fields first, so that a model writes them before it acts. */
function withFields(step: StepContext, fields: readonly string[]): Record<string, unknown> {
  const s = actionSchema(step) as { properties: Record<string, unknown>; required: string[] };
  return {
    type: 'object',
    properties: { ...Object.fromEntries(fields.map((f) => [f, { type: 'string' }])), ...s.properties },
    required: [...fields, ...s.required],
    additionalProperties: false,
  };
}

/** One episode per earlier session: what a shopper would recall of it, written without an LLM. */
export function sessionEpisode(s: Session, k: number): string {
  const searched = new Set<string>();
  const opened = new Set<string>();
  const carted = new Set<string>();
  for (const st of s.steps) {
    const a = st.action;
    if (a.type === 'input' && a.text) searched.add(`"${a.text}"`);
    for (const p of st.products) {
      if (a.clickType === 'purchase') carted.add(`"${p.title}"`);
      else if (a.clickType === 'product_link') opened.add(`"${p.title}"`);
    }
  }
  const parts = [
    searched.size > 0 ? `you searched for ${[...searched].join(', ')}` : 'you did not search',
    opened.size > 0 ? `opened ${[...opened].join(', ')}` : 'opened no product',
    ...(carted.size > 0 ? [`put ${[...carted].join(', ')} in the cart or bought it`] : []),
  ];
  return `In an earlier shopping session (${k}, ${s.steps.length} steps) ${parts.join('; ')}; it ended ${s.purchased ? 'with a purchase' : 'without a purchase'}.`;
}

const list = (xs: readonly string[]) => (xs.length === 0 ? '(none)' : xs.map((x) => `- ${x}`).join('\n'));

/**
 * SimUSER as a web shopper, one step at a time: the matched persona and its
 * elicited preferences (per-user state, built once per shopper), an episodic
 * memory of the shopper's earlier (training) sessions and of this session's
 * steps, and the brain loop's action selection: perception of the page,
 * reasoning, the action, then causal refinement.
 * LLM calls: 1 + refinementRounds per step; per shopper, the match (2 +
 * personaCandidates) and one elicitation.
 */
export class ShopBrain {
  private population: readonly PersonaRecord[] = [];
  private readonly earlier = new Map<string, Session[]>();
  private readonly matcher: ShopPersonaMatcher;
  /** Per-user state outside the runner (unit tests): built once here. */
  private readonly local = new Map<string, Promise<unknown>>();

  constructor(
    private readonly prompts: ShopPrompts,
    private readonly o: ShopOptions,
    seed: number,
  ) {
    this.matcher = new ShopPersonaMatcher(
      {
        system: prompts.shopSystem,
        summarise: prompts.shopSummarise,
        propose: prompts.shopPropose,
        score: prompts.shopScore,
      },
      o,
      seed,
    );
  }

  fit(train: SessionsTrainData): void {
    this.population = train.users;
    this.earlier.clear();
    for (const s of train.sessions) {
      if (s.steps.length === 0) continue;
      let l = this.earlier.get(s.user);
      if (!l) this.earlier.set(s.user, (l = []));
      l.push(s);
    }
  }

  /** LLM calls the shopper's per-user state makes (the match and the elicitation). */
  stateCallsFor(persona: PersonaRecord): number {
    return this.matcher.callsFor(persona, this.population) + 1;
  }

  private state<T>(unit: UnitContext, user: string, name: string, build: (llm: Llm | null) => Promise<T>): Promise<T> {
    return perUserOnce(this.local, unit, user, name, build);
  }

  private async shopper(persona: PersonaRecord, unit: UnitContext) {
    const matched = await this.state(unit, persona.id, 'shop-persona', (l) =>
      this.matcher.match(persona, this.population, needLlm(l, 'simuser')),
    );
    const preferences = await this.state(unit, persona.id, 'shop-preferences', (l) =>
      this.elicit(matched, needLlm(l, 'simuser')),
    );
    return { matched, preferences };
  }

  private async elicit(m: MatchedShopPersona, llm: Llm): Promise<ShopPreferences> {
    return llm.json<ShopPreferences>({
      messages: [
        { role: 'system', content: this.prompts.shopSystem },
        {
          role: 'user',
          content: renderTemplate(this.prompts.shopElicit, { persona: personaText(m.persona), summary: m.summary }),
        },
      ],
      schema: {
        type: 'object',
        properties: {
          likes: { type: 'array', items: { type: 'string' } },
          dislikes: { type: 'array', items: { type: 'string' } },
          summary: { type: 'string' },
        },
        required: ['likes', 'dislikes', 'summary'],
        additionalProperties: false,
      },
      schemaName: 'shopping_preferences',
      temperature: this.o.temperature,
      maxTokens: this.o.maxTokens,
    });
  }

  /** The episodic memory of a step: the earlier sessions, then this session's steps, in order. */
  memory(step: StepContext): EpisodicMemory {
    const m = new EpisodicMemory(step.persona.id);
    (this.earlier.get(step.persona.id) ?? []).forEach((s, k) => m.add('interaction', sessionEpisode(s, k + 1)));
    step.history.forEach((h, k) =>
      m.add(
        'page',
        `Step ${k + 1}, on "${pageTitle(h.observation)}": you did ${actionText(h.action)}${h.rationale ? ` because ${h.rationale.trim()}` : ''}.`,
      ),
    );
    return m;
  }

  async nextAction(step: StepContext, unit: UnitContext): Promise<PredictedAction> {
    const llm = needLlm(unit.llm, 'simuser');
    const { matched, preferences } = await this.shopper(step.persona, unit);
    const memory = this.memory(step);
    const recalled = memory.retrieve(pageHead(step.observation), this.o.memoryTopK, ['interaction']);
    const session = memory.all().filter((e) => e.kind === 'page');
    const shown = session.slice(-SESSION_STEPS_SHOWN);
    const text = (es: readonly Episode[]) => es.map((e) => e.text);
    const vars = {
      persona: personaText(matched.persona),
      preferences: `${preferences.summary}\nYou look for: ${preferences.likes.join('; ') || '(nothing named)'}\nYou are put off by: ${preferences.dislikes.join('; ') || '(nothing named)'}`,
      earlier: list(text(recalled)),
      session:
        session.length === 0
          ? '(this is the first step of the session)'
          : `${shown.length < session.length ? `(${session.length - shown.length} earlier steps left out)\n` : ''}${list(text(shown))}`,
      observation: step.observation,
      clickTypes: CLICK_TYPES.join(', '),
    };
    const system = { role: 'system' as const, content: this.prompts.shopSystem };
    const settings = { temperature: this.o.temperature, maxTokens: this.o.maxTokens };
    let chosen: ActionReply = await llm.json<Selection>({
      messages: [system, { role: 'user', content: renderTemplate(this.prompts.shopSelect, vars) }],
      schema: withFields(step, ['perception', 'reasoning']),
      schemaName: 'shop_action_selection',
      ...settings,
    });
    for (let round = 0; round < this.o.refinementRounds; round++) {
      chosen = await llm.json<Refinement>({
        messages: [
          system,
          {
            role: 'user',
            content: renderTemplate(this.prompts.shopRefine, {
              ...vars,
              proposed: actionText(actionFromReply(chosen).action),
              because: chosen.rationale,
            }),
          },
        ],
        schema: withFields(step, ['check']),
        schemaName: 'shop_action_refinement',
        ...settings,
      });
    }
    return actionFromReply(chosen);
  }
}
