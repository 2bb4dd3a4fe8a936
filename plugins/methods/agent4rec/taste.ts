import {
  attributesText,
  itemLine,
  renderTemplate,
  splitHistory,
  type HistoryEntry,
  type Llm,
  type UserView,
} from '../../../harness/plugin-api.js';
import { askJson, type Agent4RecPrompts, type CallSettings } from './llm-call.js';
import type { Taste } from './profile.js';

export interface TasteDeps {
  readonly prompts: Agent4RecPrompts;
  readonly settings: CallSettings;
  /** Most recent liked (≥ 4) training items shown. */
  readonly maxLiked: number;
  /** Most recent disliked (≤ 2) training items shown. */
  readonly maxDisliked: number;
}

const SCHEMA = {
  type: 'object',
  properties: { taste: { type: 'string', minLength: 1 }, ratingHabit: { type: 'string', minLength: 1 } },
  required: ['taste', 'ratingHabit'],
  additionalProperties: false,
};

function list(entries: readonly HistoryEntry[]): string {
  return entries.length === 0
    ? '(none)'
    : entries.map((h) => `- ${itemLine(h.item)}${h.rating !== null ? ` (rated ${h.rating})` : ''}`).join('\n');
}

/** The taste prompt of a user: everything the summary is made from (also the key of its fit artifact). */
export function tastePrompt(user: UserView, deps: TasteDeps): string {
  const h = splitHistory(user, { maxLiked: deps.maxLiked, maxDisliked: deps.maxDisliked });
  return renderTemplate(deps.prompts.taste, {
    attributes: attributesText(user),
    liked: list(h.liked),
    disliked: list(h.disliked),
  });
}

/**
 * The taste half of the profile: the LLM reads the user's liked and disliked
 * training items and describes their tastes and rating habit (one call).
 */
export async function writeTaste(user: UserView, llm: Llm, deps: TasteDeps): Promise<Taste> {
  const reply = await askJson<Taste>(llm, deps.settings, '', tastePrompt(user, deps), SCHEMA, 'taste');
  return { taste: reply.taste.trim(), ratingHabit: reply.ratingHabit.trim() };
}

/** What identifies a taste summary as a fit artifact: the model and the exact request. */
export function tasteArtifactKey(user: UserView, llm: Llm, deps: TasteDeps): unknown {
  return {
    artifact: 'agent4rec/taste',
    version: 1,
    model: llm.model,
    prompt: tastePrompt(user, deps),
    schema: SCHEMA,
    settings: deps.settings,
  };
}
