import {
  actionText as stepActionText,
  type PastStep,
  type PersonaRecord,
  type Rng,
  type Session,
  type SessionAction,
  type SessionsTrainData,
  type StepContext,
} from '../../../harness/plugin-api.js';
import type { ActionReply } from '../shared/session-actions.js';
import { allocate } from './pages.js';

/**
 * One human step of a training session as a world-model transition: the state
 * (persona, the session so far, the page: exactly what a StepContext shows at
 * inference), the human action and what really followed.
 */
export interface SessionTransition {
  /** `${sessionId}#${stepIndex}`, unique within a fit. */
  readonly id: string;
  readonly step: StepContext;
  readonly action: SessionAction;
  /** The reason the person gave, when the dataset has one. */
  readonly rationale: string | null;
  /** The human next state: the page that followed, summarised, or the end of the session. */
  readonly nextState: string;
  /** What the person did after (their next action, how the session ended): the real future outcome. */
  readonly future: string;
  /** Sampled for counterfactuals, a reflection and a policy thought. */
  readonly aligned: boolean;
}

export interface SessionSampleOptions {
  /** null: every training session. */
  readonly fitSessions: number | null;
  /** null: every step, within maxAlignedSteps. */
  readonly stepsPerSession: number | null;
  readonly maxAlignedSteps: number;
}

/** The transitions of a sessions fit, and how many aligned steps the options would allow without the cap. */
export interface SessionSample {
  readonly transitions: SessionTransition[];
  readonly possible: number;
  readonly sessions: number;
}

const byId = <T extends { readonly id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A persona text for prompts; an empty survey says so rather than leaving a blank. */
export function personaText(p: PersonaRecord): string {
  return p.persona.trim() || '(no survey answers)';
}

const NO_PERSONA = (user: string): PersonaRecord => ({ id: user, attributes: {}, persona: '' });

/** The first lines of a page (title, URL, search box, products) and how many elements it lists: a short text of a page, as the world model writes one. */
export function pageSummary(observation: string, maxChars = 700): string {
  const lines = observation.split('\n');
  const k = lines.findIndex((l) => /^Interactive elements \(\d+\):\s*$/.test(l));
  const head = k < 0 ? lines.slice(0, 8) : lines.slice(0, k);
  const count = k < 0 ? null : /\((\d+)\)/.exec(lines[k] as string)?.[1];
  let text = head.join('\n').trim();
  if (text.length > maxChars) text = `${text.slice(0, maxChars - 1)}…`;
  return count === null || count === undefined ? text : `${text}\n(${count} interactive elements)`;
}

/** The first line of an observation: the page's title. */
export function pageTitle(observation: string): string {
  const first = observation.split('\n', 1)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

const endOf = (s: Session) => `this session ${s.purchased ? 'included a purchase' : 'ended without a purchase'}`;

function nextStateOf(s: Session, i: number): string {
  const next = s.steps[i + 1];
  if (next) return pageSummary(next.observation);
  return `The shopper leaves the shop: the session is over (${endOf(s)}).`;
}

function futureOf(s: Session, i: number): string {
  const next = s.steps[i + 1];
  if (!next) return `Nothing: it was the last step, and ${endOf(s)}.`;
  const left = s.steps.length - i - 1;
  return `Next the shopper did: ${stepActionText(next.action)}${next.rationale ? ` (because: ${next.rationale})` : ''}. The session went on for ${left} more step${left === 1 ? '' : 's'}, and ${endOf(s)}.`;
}

/**
 * World-model transitions from the training sessions: `fitSessions` sessions
 * sampled with `rng` (every step of them is a transition; all sessions when
 * null), and in each `stepsPerSession` steps (all when null) drawn with `rng`
 * to be aligned; beyond `maxAlignedSteps`, the aligned steps are allotted
 * round-robin over the sessions (in an order drawn with `rng`). All randomness
 * is drawn here, before any LLM call; sessions and steps keep a fixed order.
 */
export function sampleSessionTransitions(train: SessionsTrainData, o: SessionSampleOptions, rng: Rng): SessionSample {
  const personas = new Map(train.users.map((u) => [u.id, u]));
  const eligible = train.sessions.filter((s) => s.steps.length > 0).sort(byId);
  const chosen = o.fitSessions === null ? eligible : rng.sample(eligible, o.fitSessions).sort(byId);
  const allowed = chosen.map((s) => Math.min(o.stepsPerSession ?? s.steps.length, s.steps.length));
  const possible = allowed.reduce((a, b) => a + b, 0);
  const order = possible > o.maxAlignedSteps ? rng.shuffle(chosen.map((_, k) => k)) : [];
  const take = allocate(allowed, o.maxAlignedSteps, order);
  const out: SessionTransition[] = [];
  chosen.forEach((s, k) => {
    const aligned = new Set(
      rng.sample(
        s.steps.map((_, i) => i),
        take[k] as number,
      ),
    );
    const past: PastStep[] = s.steps.map((st) => ({
      observation: st.observation,
      action: st.action,
      rationale: st.rationale,
    }));
    const persona = personas.get(s.user) ?? NO_PERSONA(s.user);
    s.steps.forEach((st, i) => {
      out.push({
        id: `${s.id}#${i}`,
        step: { persona, sessionId: s.id, stepIndex: i, history: past.slice(0, i), observation: st.observation },
        action: st.action,
        rationale: st.rationale,
        nextState: nextStateOf(s, i),
        future: futureOf(s, i),
        aligned: aligned.has(i),
      });
    });
  });
  return { transitions: out, possible, sessions: chosen.length };
}

export function buildSessionTransitions(
  train: SessionsTrainData,
  o: SessionSampleOptions,
  rng: Rng,
): SessionTransition[] {
  return sampleSessionTransitions(train, o, rng).transitions;
}

const normalise = (t: string | null) => (t ?? '').toLowerCase().replace(/\s+/g, ' ').trim();

/** The same action as the next-action task counts it: type and target (and, for inputs, the text up to case and spacing); the click type does not make a click different. */
export function sameStepAction(a: SessionAction, b: SessionAction): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'terminate') return true;
  if (a.target !== b.target) return false;
  return a.type === 'click' || normalise(a.text) === normalise(b.text);
}

/** An action in the reply shape of `actionSchema` (what SFT answers and the schema use). */
export function replyOf(a: SessionAction): ActionReply['action'] {
  if (a.type === 'terminate') return { type: 'terminate' };
  if (a.type === 'input') return { type: 'input', target: a.target ?? '', text: a.text ?? '' };
  return { type: 'click', clickType: a.clickType ?? 'other', target: a.target ?? '' };
}

/** "click [id] (type) — they said: …": the human action with its stated reason. */
export function humanActionText(t: SessionTransition): string {
  return `${stepActionText(t.action)}${t.rationale ? ` — the shopper said: "${t.rationale}"` : ''}`;
}
