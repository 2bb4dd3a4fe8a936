import {
  actionText as stepActionText,
  fitItems,
  hashJson,
  renderTemplate,
  sha256,
  type FitContext,
  type Llm,
  type Rng,
  type SessionAction,
  type SessionsTrainData,
} from '../../../harness/plugin-api.js';
import { actionFromReply, type ActionReply } from '../shared/session-actions.js';
import type { FitCallSettings } from './counterfactual.js';
import type { JsonRequest } from './decision.js';
import { sessionDataOptions, type AlignUserOptions } from './options.js';
import { reflectionSchema, type Reflection } from './reflection.js';
import { actionUnion, CLICK_TYPE_LIST, numberedActions, renderSessionState } from './session-decision.js';
import {
  humanActionText,
  sameStepAction,
  sampleSessionTransitions,
  type SessionSample,
  type SessionTransition,
} from './session-steps.js';
import { FIT_CONCURRENCY } from './map-pool.js';

/** Bumped when the shape or meaning of the stored session data changes, so old artifacts are not reused. */
export const SESSION_ALIGNMENT_VERSION = 1;

/** The templates a sessions fit renders; their hashes are part of the artifact key. */
export const SESSION_FIT_PROMPTS = [
  'sessionFitSystem',
  'sessionState',
  'sessionCounterfactual',
  'sessionWorldModel',
  'sessionReflection',
  'sessionPolicy',
] as const;
export type SessionFitPromptName = (typeof SESSION_FIT_PROMPTS)[number];

export interface StepAlternative {
  readonly action: SessionAction;
  readonly reasoning: string;
  /** The next state the world model predicted for it. */
  readonly outcome: string;
}

export interface StepPolicyThought {
  readonly thought: string;
  readonly rationale: string;
}

/** What fit learned from one sampled human step (the transition itself is rebuilt from the training data, by id). */
export interface AlignedStep {
  readonly id: string;
  /** Valid alternatives different from the human action, with their world-model outcomes. */
  readonly alternatives: readonly StepAlternative[];
  /** Proposals dropped because they repeated the human action or an earlier alternative. */
  readonly dropped: number;
  readonly reflection: Reflection | null;
  readonly policy: StepPolicyThought;
}

export interface SessionAlignmentData {
  readonly version: number;
  readonly aligned: readonly AlignedStep[];
}

const str = { type: 'string' };

export function stepCounterfactualSchema(t: SessionTransition, k: number): Record<string, unknown> {
  const alternative = {
    type: 'object',
    properties: { reasoning: str, action: actionUnion(t.step) },
    required: ['reasoning', 'action'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { alternatives: { type: 'array', minItems: k, maxItems: k, items: alternative } },
    required: ['alternatives'],
    additionalProperties: false,
  };
}

export function stepWorldModelSchema(n: number): Record<string, unknown> {
  const outcome = {
    type: 'object',
    properties: { nextState: { type: 'string', minLength: 1 } },
    required: ['nextState'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { outcomes: { type: 'array', minItems: n, maxItems: n, items: outcome } },
    required: ['outcomes'],
    additionalProperties: false,
  };
}

export const stepPolicySchema = {
  type: 'object',
  properties: { thought: { type: 'string', minLength: 1 }, rationale: { type: 'string', minLength: 1 } },
  required: ['thought', 'rationale'],
  additionalProperties: false,
};

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The LLM as a world model of the shop: (state, action) → a short text of
 * the page that would follow. Fit asks it for the outcomes of counterfactual
 * actions (the human outcome is the real next page) and trains on the human
 * ones (next-state examples).
 */
export class SessionWorldModel {
  constructor(
    private readonly template: string,
    private readonly stateTemplate: string,
    private readonly call: FitCallSettings,
    private readonly budget: { readonly maxHistorySteps: number },
  ) {}

  request(t: SessionTransition, actions: readonly SessionAction[]): JsonRequest {
    const content = renderTemplate(this.template, {
      state: renderSessionState(this.stateTemplate, t.step, this.budget),
      actions: numberedActions(actions),
      n: actions.length,
    });
    return {
      messages: [
        { role: 'system', content: this.call.system },
        { role: 'user', content },
      ],
      schema: stepWorldModelSchema(actions.length),
      schemaName: 'session_world_model',
      temperature: this.call.temperature,
      maxTokens: this.call.maxTokens,
    };
  }

  async predict(llm: Llm, t: SessionTransition, actions: readonly SessionAction[]): Promise<string[]> {
    if (actions.length === 0) return [];
    const reply = await llm.json<{ outcomes: { nextState: string }[] }>(this.request(t, actions));
    return reply.outcomes.map((o) => o.nextState.trim());
  }
}

/**
 * Fit's four products on a sessions dataset, from the train split only:
 * world-model transitions from the steps of sampled sessions; for each
 * sampled step K counterfactual actions (valid: schema-bound to the page;
 * different from the human's: checked in code) with world-model outcomes; a
 * reflection ending in a one-sentence lesson; the policy's chain of thought
 * leading to the human action. Stored by content hash: a rerun makes no call.
 */
export class SessionAlignmentBuilder {
  readonly worldModel: SessionWorldModel;
  private readonly call: FitCallSettings;

  constructor(
    private readonly prompts: Readonly<Record<SessionFitPromptName, string>>,
    private readonly o: AlignUserOptions,
  ) {
    this.call = { system: prompts.sessionFitSystem.trim(), temperature: o.temperature, maxTokens: o.maxTokens };
    this.worldModel = new SessionWorldModel(prompts.sessionWorldModel, prompts.sessionState, this.call, o);
  }

  sample(train: SessionsTrainData, rng: Rng): SessionSample {
    return sampleSessionTransitions(train, this.o, rng);
  }

  /** What the data is made from, without the LLM: options, the transitions (states, human actions, what followed), the templates. */
  baseKey(train: SessionsTrainData, transitions: readonly SessionTransition[]): Record<string, unknown> {
    const prompts = Object.fromEntries(SESSION_FIT_PROMPTS.map((name) => [name, sha256(this.prompts[name])]));
    return {
      artifact: 'alignuser/session-alignment-data',
      version: SESSION_ALIGNMENT_VERSION,
      options: sessionDataOptions(this.o),
      train: hashJson({ dataset: train.datasetName, transitions }),
      prompts,
    };
  }

  private state(t: SessionTransition): string {
    return renderSessionState(this.prompts.sessionState, t.step, this.o);
  }

  async build(
    transitions: readonly SessionTransition[],
    base: Record<string, unknown>,
    ctx: FitContext,
    llm: Llm,
  ): Promise<SessionAlignmentData> {
    return ctx.artifacts.memo({ ...base, llm: llm.model }, async () => {
      // A step whose calls still fail after the repair turn is left out (and recorded); the fit goes on.
      const aligned = await fitItems(
        'alignuser: align session steps',
        transitions.filter((t) => t.aligned),
        (t) => t.id,
        (t) => {
          // Keyed by what its prompts say, so a step is reused whatever else changed in the sample.
          const shown = hashJson({
            state: this.state(t),
            action: t.action,
            rationale: t.rationale,
            next: t.nextState,
            future: t.future,
          });
          // The sample sizes do not change what a step's calls say: another sample reuses the steps it shares.
          const {
            fitSessions: _f,
            stepsPerSession: _s,
            maxAlignedSteps: _m,
            ...stepOptions
          } = base['options'] as Record<string, unknown>;
          const key = {
            ...base,
            artifact: 'alignuser/session-aligned-step',
            train: undefined,
            options: stepOptions,
            id: t.id,
            shown,
            llm: llm.model,
          };
          return ctx.artifacts.memo(key, () => this.align(llm, t));
        },
        { concurrency: FIT_CONCURRENCY },
      );
      return { version: SESSION_ALIGNMENT_VERSION, aligned: aligned.filter((a): a is AlignedStep => a !== null) };
    });
  }

  private json<T>(
    llm: Llm,
    content: string,
    schema: Record<string, unknown>,
    schemaName: string,
    temperature = this.call.temperature,
  ): Promise<T> {
    return llm.json<T>({
      messages: [
        { role: 'system', content: this.call.system },
        { role: 'user', content },
      ],
      schema,
      schemaName,
      temperature,
      maxTokens: this.call.maxTokens,
    });
  }

  private async align(llm: Llm, t: SessionTransition): Promise<AlignedStep> {
    const state = this.state(t);
    const humanAction = humanActionText(t);
    const k = this.o.counterfactuals;

    // (2) K alternatives the current policy finds plausible; the schema admits only actions on this page.
    const proposal = await this.json<{ alternatives: { reasoning: string; action: ActionReply['action'] }[] }>(
      llm,
      renderTemplate(this.prompts.sessionCounterfactual, { state, humanAction, k, clickTypes: CLICK_TYPE_LIST }),
      stepCounterfactualSchema(t, k),
      'session_counterfactuals',
      this.o.counterfactualTemperature,
    );
    const kept: { action: SessionAction; reasoning: string }[] = [];
    let dropped = 0;
    for (const alt of proposal.alternatives) {
      const action = actionFromReply({ rationale: alt.reasoning, action: alt.action }).action;
      if (sameStepAction(action, t.action) || kept.some((x) => sameStepAction(x.action, action))) {
        dropped++;
        continue;
      }
      kept.push({ action, reasoning: alt.reasoning });
    }
    // Their outcomes, from the world model.
    const outcomes = await this.worldModel.predict(
      llm,
      t,
      kept.map((a) => a.action),
    );
    const alternatives = kept.map((a, i) => ({ ...a, outcome: outcomes[i] ?? '' }));

    // (3) The human action against each alternative, ending in a lesson.
    let reflection: Reflection | null = null;
    if (alternatives.length > 0) {
      const reply = await this.json<Reflection>(
        llm,
        renderTemplate(this.prompts.sessionReflection, {
          state,
          humanAction,
          humanOutcome: t.nextState,
          future: t.future,
          alternatives: alternatives
            .map(
              (a, i) =>
                `${i + 1}. ${stepActionText(a.action)}\n   Why a simulator proposed it: ${a.reasoning}\n   Predicted next page: ${oneLine(a.outcome)}`,
            )
            .join('\n'),
        }),
        reflectionSchema(alternatives.length),
        'session_reflection',
      );
      reflection = { comparisons: reply.comparisons, lesson: oneLine(reply.lesson) };
    }

    // (4) The chain of thought that leads to the human action, grounded in the lesson.
    const lessons =
      reflection && reflection.lesson !== '' ? `- ${reflection.lesson}` : '(none: the alternatives were no different)';
    const policy = await this.json<StepPolicyThought>(
      llm,
      renderTemplate(this.prompts.sessionPolicy, { state, humanAction, lessons }),
      stepPolicySchema,
      'session_policy_thought',
    );
    return {
      id: t.id,
      alternatives,
      dropped,
      reflection,
      policy: { thought: policy.thought.trim(), rationale: oneLine(policy.rationale) },
    };
  }
}
