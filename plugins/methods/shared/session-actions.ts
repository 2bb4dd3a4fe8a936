import {
  actionText,
  CLICK_TYPES,
  observationTargets,
  type PastStep,
  type PredictedAction,
  type SessionAction,
  type StepContext,
} from '../../../harness/plugin-api.js';

/**
 * What every LLM simulator needs to predict a shopping action: the session so
 * far as text, a JSON Schema that only admits actions on the current page, and
 * the reply turned back into an action. Shared so that simulators differ in
 * their logic and prompts, not in how an action is written down.
 */

/** The page title line of an observation (its first line), to recall earlier pages briefly. */
function pageLine(observation: string): string {
  const first = observation.split('\n', 1)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

/**
 * The human's earlier steps, newest last: older pages by their title only
 * (full pages would not fit a prompt), each with its action and the reason
 * the person gave, when any.
 */
export function historyBlock(history: readonly PastStep[], maxSteps: number): string {
  if (history.length === 0) return '(this is the first step of the session)';
  const shown = history.slice(-maxSteps);
  const lines = shown.map((h, k) => {
    const n = history.length - shown.length + k + 1;
    return `${n}. on ${pageLine(h.observation)} → ${actionText(h.action)}${h.rationale ? ` — because: ${h.rationale}` : ''}`;
  });
  if (shown.length < history.length) lines.unshift(`(${history.length - shown.length} earlier steps left out)`);
  return lines.join('\n');
}

export interface ActionReply {
  readonly rationale: string;
  readonly action:
    | { readonly type: 'terminate' }
    | { readonly type: 'click'; readonly clickType: (typeof CLICK_TYPES)[number]; readonly target: string }
    | { readonly type: 'input'; readonly target: string; readonly text: string };
}

/**
 * A schema that admits only well-formed actions on elements the page lists: a
 * reply cannot click nothing or name an element that is not there. (One object
 * at the root, as OpenAI's structured outputs require; the action is a union.)
 */
export function actionSchema(step: StepContext): Record<string, unknown> {
  const targets = observationTargets(step.observation);
  const alternatives: Record<string, unknown>[] = [
    { type: 'object', properties: { type: { const: 'terminate' } }, required: ['type'], additionalProperties: false },
  ];
  if (targets.length > 0) {
    alternatives.push(
      {
        type: 'object',
        properties: {
          type: { const: 'click' },
          clickType: { type: 'string', enum: [...CLICK_TYPES] },
          target: { type: 'string', enum: targets },
        },
        required: ['type', 'clickType', 'target'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { type: { const: 'input' }, target: { type: 'string', enum: targets }, text: { type: 'string' } },
        required: ['type', 'target', 'text'],
        additionalProperties: false,
      },
    );
  }
  return {
    type: 'object',
    properties: { rationale: { type: 'string' }, action: { anyOf: alternatives } },
    required: ['rationale', 'action'],
    additionalProperties: false,
  };
}

/** The validated reply as an action. */
export function actionFromReply(r: ActionReply): PredictedAction {
  const a = r.action;
  const action: SessionAction =
    a.type === 'terminate'
      ? { type: 'terminate', clickType: null, target: null, text: null }
      : a.type === 'input'
        ? { type: 'input', clickType: null, target: a.target, text: a.text }
        : { type: 'click', clickType: a.clickType, target: a.target, text: null };
  return { action, rationale: r.rationale };
}
