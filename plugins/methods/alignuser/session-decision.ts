import {
  actionText as stepActionText,
  CLICK_TYPES,
  renderTemplate,
  type SessionAction,
  type StepContext,
} from '../../../harness/plugin-api.js';
import { actionSchema, historyBlock, type ActionReply } from '../shared/session-actions.js';
import type { Blocks, DecisionSettings, JsonRequest } from './decision.js';
import { personaText } from './session-steps.js';

/** The templates of next-action inference; fit renders the same ones so that SFT examples match inference prompts exactly. */
export interface SessionDecisionPrompts {
  readonly sessionSystem: string;
  readonly sessionState: string;
  readonly sessionSelect: string;
}

/** Action selection: step-by-step reasoning, then the rationale and the action. */
export interface ActionSelection extends ActionReply {
  readonly reasoning: string;
}

export interface SessionStateBudget {
  readonly maxHistorySteps: number;
}

export const CLICK_TYPE_LIST = CLICK_TYPES.join(', ');

/** The state of a step as every session prompt shows it: persona, the session so far, the current page. */
export function renderSessionState(template: string, step: StepContext, budget: SessionStateBudget): string {
  return renderTemplate(template, {
    persona: personaText(step.persona),
    history: historyBlock(step.history, budget.maxHistorySteps),
    observation: step.observation,
  }).trimEnd();
}

/** The `action` part of `actionSchema(step)`: a union that admits only actions on elements the page lists. */
export function actionUnion(step: StepContext): Record<string, unknown> {
  const s = actionSchema(step) as { properties: { action: Record<string, unknown> } };
  return s.properties.action;
}

/** `actionSchema(step)` with the step-by-step reasoning first, so that a model writes it before choosing. */
export function selectionSchema(step: StepContext): Record<string, unknown> {
  const s = actionSchema(step) as { properties: Record<string, unknown>; required: string[] };
  return {
    type: 'object',
    properties: { reasoning: { type: 'string' }, ...s.properties },
    required: ['reasoning', ...s.required],
    additionalProperties: false,
  };
}

/** Numbered actions for a prompt ("1. click [id] (search)"). */
export function numberedActions(actions: readonly SessionAction[]): string {
  return actions.map((a, k) => `${k + 1}. ${stepActionText(a)}`).join('\n');
}

/**
 * The next-action selection request. Fit builds its SFT examples with this
 * same function (without retrieved blocks), so a trained model sees at
 * inference exactly the prompts it was trained on.
 */
export class SessionRequests {
  constructor(
    private readonly prompts: SessionDecisionPrompts,
    private readonly settings: DecisionSettings & SessionStateBudget,
  ) {}

  state(step: StepContext): string {
    return renderSessionState(this.prompts.sessionState, step, this.settings);
  }

  select(step: StepContext, blocks: Blocks): JsonRequest {
    const content = renderTemplate(this.prompts.sessionSelect, {
      state: this.state(step),
      worldModel: blocks.worldModel,
      experience: blocks.experience,
      evidence: blocks.evidence,
      clickTypes: CLICK_TYPE_LIST,
    });
    return {
      messages: [
        { role: 'system', content: this.prompts.sessionSystem.trim() },
        { role: 'user', content },
      ],
      schema: selectionSchema(step),
      schemaName: 'next_action_selection',
      temperature: this.settings.temperature,
      maxTokens: this.settings.maxTokens,
    };
  }
}
