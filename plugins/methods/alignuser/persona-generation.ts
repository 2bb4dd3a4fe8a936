import {
  attributesText,
  renderTemplate,
  splitHistory,
  type Llm,
  type LlmRequest,
  type UserView,
} from '../../../harness/plugin-api.js';
import { historyList } from './text.js';

/**
 * The persona the release's templates describe (persona.py: occupation, age
 * range, the Big Five on 1–3, pickiness on 1–3, habits), inferred by one LLM
 * call per user from their liked and disliked training items
 * (persona_generation.py asks for occupation, age range and the Big Five; the
 * template's pickiness and habits are asked in the same call: ours).
 */
export interface GeneratedPersona {
  readonly occupation: string;
  readonly ageRange: string;
  readonly openness: number;
  readonly conscientiousness: number;
  readonly extraversion: number;
  readonly agreeableness: number;
  readonly neuroticism: number;
  readonly pickiness: number;
  readonly habits: string;
}

const TRAITS = ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'] as const;
const level = { type: 'integer', enum: [1, 2, 3] };

export const PERSONA_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    occupation: { type: 'string' },
    ageRange: { type: 'string' },
    ...Object.fromEntries(TRAITS.map((t) => [t, level])),
    pickiness: level,
    habits: { type: 'string' },
  },
  required: ['occupation', 'ageRange', ...TRAITS, 'pickiness', 'habits'],
  additionalProperties: false,
};

export interface PersonaGenerationSettings {
  readonly system: string;
  readonly template: string;
  readonly maxLiked: number;
  readonly maxDisliked: number;
  readonly temperature: number;
  readonly maxTokens: number;
}

export function personaRequest(
  user: UserView,
  s: PersonaGenerationSettings,
): LlmRequest & { schema: Record<string, unknown> } {
  const h = splitHistory(user, { maxLiked: s.maxLiked, maxDisliked: s.maxDisliked });
  const content = renderTemplate(s.template, {
    attributes: attributesText(user),
    liked: historyList(h.liked),
    disliked: historyList(h.disliked),
    itemType: 'the items of this service',
  });
  return {
    messages: [
      { role: 'system', content: s.system },
      { role: 'user', content },
    ],
    schema: PERSONA_SCHEMA,
    schemaName: 'persona_generation',
    temperature: s.temperature,
    maxTokens: s.maxTokens,
  };
}

export async function generatePersona(
  llm: Llm,
  user: UserView,
  s: PersonaGenerationSettings,
): Promise<GeneratedPersona> {
  return llm.json<GeneratedPersona>(personaRequest(user, s));
}

const oneLine = (t: string) => t.replace(/\s+/g, ' ').trim();

/** The persona as the states show it: the generated fields, then the rating summary computed from the history. */
export function personaText(g: GeneratedPersona, summary: string): string {
  return [
    `Occupation: ${oneLine(g.occupation) || 'unknown'}`,
    `Age range: ${oneLine(g.ageRange) || 'unknown'}`,
    `Big Five traits (1 = low, 2 = medium, 3 = high): ${TRAITS.map((t) => `${t} ${g[t]}`).join(', ')}`,
    `Pickiness (1 = low, 2 = medium, 3 = high): ${g.pickiness}`,
    `Habits: ${oneLine(g.habits) || 'unknown'}`,
    `From their ratings: ${summary}`,
  ].join('\n');
}
