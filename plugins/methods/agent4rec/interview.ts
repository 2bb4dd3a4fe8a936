import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import { askJson, type Agent4RecPrompts, type CallSettings } from './llm-call.js';
import { memoriesText, type MemoryEntry } from './memory.js';

export interface InterviewAnswer {
  /** 1 (not at all satisfied) to 10 (completely satisfied). */
  readonly satisfaction: number;
  readonly explanation: string;
}

export interface InterviewDeps {
  readonly prompts: Agent4RecPrompts;
  readonly settings: CallSettings;
  /** The agent's system prompt (role and profile). */
  readonly system: string;
}

export interface InterviewInput {
  /** The whole memory of the session, oldest first (the released code reads the full memory stream). */
  readonly memories: readonly MemoryEntry[];
  readonly pagesSeen: number;
  /** The page on which the agent chose to leave; null when it never did. */
  readonly exitPage: number | null;
}

export const INTERVIEW_SCHEMA = {
  type: 'object',
  properties: {
    satisfaction: { type: 'integer', minimum: 1, maximum: 10 },
    explanation: { type: 'string', minLength: 1 },
  },
  required: ['satisfaction', 'explanation'],
  additionalProperties: false,
};

export function interviewPrompt(template: string, input: InterviewInput): string {
  const leave =
    input.exitPage === null
      ? 'You did not choose to leave before the session ended.'
      : `You chose to leave after page ${input.exitPage}.`;
  return renderTemplate(template, { memories: memoriesText(input.memories), pages: input.pagesSeen, exit: leave });
}

/**
 * The post-exit interview of Agent4Rec: the agent rates its satisfaction with
 * the recommender from 1 to 10 and explains. Used by recommender evaluation
 * (closed loop); the discrimination and rating tasks do not call it.
 */
export async function satisfactionInterview(
  input: InterviewInput,
  llm: Llm,
  deps: InterviewDeps,
): Promise<InterviewAnswer> {
  const reply = await askJson<InterviewAnswer>(
    llm,
    deps.settings,
    deps.system,
    interviewPrompt(deps.prompts.interview, input),
    INTERVIEW_SCHEMA,
    'satisfaction_interview',
  );
  return { satisfaction: reply.satisfaction, explanation: reply.explanation.trim() };
}
