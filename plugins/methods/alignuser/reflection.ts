import { renderTemplate, type Llm } from '../../../harness/plugin-api.js';
import type { FitCallSettings, FocalAlternative } from './counterfactual.js';
import type { PageContext } from './page-context.js';
import { actionText, type PageAction } from './pages.js';
import { scaleText } from './text.js';

export interface Comparison {
  readonly alternative: number;
  readonly contextualFit: string;
  readonly personaAlignment: string;
  readonly futureOutcome: string;
  readonly closer: 'human' | 'alternative';
}

export interface Reflection {
  readonly comparisons: readonly Comparison[];
  readonly lesson: string;
}

export interface ItemReflection {
  readonly item: string;
  readonly humanRating: number;
  readonly altRating: number;
  readonly comparison: string;
  readonly lesson: string;
}

export interface ExploredAlternative {
  readonly action: PageAction;
  readonly reasoning: string;
  readonly outcome: string;
}

const str = { type: 'string' };
const lesson = { type: 'string', minLength: 1, maxLength: 400 };

export function reflectionSchema(n: number): Record<string, unknown> {
  const comparison = {
    type: 'object',
    properties: {
      alternative: { type: 'integer', minimum: 1, maximum: n },
      contextualFit: str,
      personaAlignment: str,
      futureOutcome: str,
      closer: { type: 'string', enum: ['human', 'alternative'] },
    },
    required: ['alternative', 'contextualFit', 'personaAlignment', 'futureOutcome', 'closer'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { comparisons: { type: 'array', minItems: n, maxItems: n, items: comparison }, lesson },
    required: ['comparisons', 'lesson'],
    additionalProperties: false,
  };
}

export const itemReflectionSchema = {
  type: 'object',
  properties: { comparison: str, lesson },
  required: ['comparison', 'lesson'],
  additionalProperties: false,
};

/** Lessons are stored and retrieved as single lines. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The human action against each explored alternative on contextual fit,
 * persona alignment and future outcomes, ending in a one-sentence lesson.
 */
export async function reflect(
  llm: Llm,
  template: string,
  ctx: PageContext,
  humanOutcome: string,
  alternatives: readonly ExploredAlternative[],
  call: FitCallSettings,
): Promise<Reflection> {
  const content = renderTemplate(template, {
    state: ctx.stateText,
    page: ctx.pageText,
    humanAction: ctx.humanAction,
    humanOutcome,
    alternatives: alternatives
      .map(
        (a, k) =>
          `${k + 1}. ${actionText(a.action, ctx.coded)}\n   Why a simulator proposed it: ${a.reasoning}\n   Predicted outcome: ${a.outcome}`,
      )
      .join('\n'),
  });
  const reply = await llm.json<Reflection>({
    messages: [
      { role: 'system', content: call.system },
      { role: 'user', content },
    ],
    schema: reflectionSchema(alternatives.length),
    schemaName: 'reflection',
    temperature: call.temperature,
    maxTokens: call.maxTokens,
  });
  return { comparisons: reply.comparisons, lesson: oneLine(reply.lesson) };
}

/** The item-level variant: the human rating of one item against an alternative rating. */
export async function reflectOnRating(
  llm: Llm,
  template: string,
  ctx: PageContext,
  focal: FocalAlternative,
  call: FitCallSettings,
): Promise<ItemReflection> {
  const code = ctx.codeOf.get(focal.item) as string;
  const item = ctx.coded.get(code);
  const content = renderTemplate(template, {
    state: ctx.stateText,
    item: `${code} "${item?.title ?? focal.item}"`,
    humanRating: focal.humanRating,
    scale: scaleText(ctx.scale),
    altRating: focal.rating,
    altReasoning: focal.reasoning,
  });
  const reply = await llm.json<{ comparison: string; lesson: string }>({
    messages: [
      { role: 'system', content: call.system },
      { role: 'user', content },
    ],
    schema: itemReflectionSchema,
    schemaName: 'item_reflection',
    temperature: call.temperature,
    maxTokens: call.maxTokens,
  });
  return {
    item: focal.item,
    humanRating: focal.humanRating,
    altRating: focal.rating,
    comparison: reply.comparison,
    lesson: oneLine(reply.lesson),
  };
}
