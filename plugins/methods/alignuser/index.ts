import { defineMethod } from '../../../harness/plugin-api.js';
import type { AlignUserPrompts } from './fit.js';
import { AlignUserOptions } from './options.js';
import { ALIGNUSER_PROMPTS, promptsFrom } from './prompts.js';
import { AlignUserSimulator } from './simulator.js';

/** Choices the paper leaves open, recorded in the manifest. */
export const ALIGNUSER_CHOICES = [
  'alignuser: rating datasets become browsing pages built from the last training interactions of the users (default: every page the data allows, capped at maxFitTransitions = 1,000 taken round-robin over the users, since the paper states no budget; 2 rated items + 2 never-interacted training items per page, negatives drawn with the fit seed) (ours)',
  "alignuser: ratings persona as the release's persona.py: occupation, age range, Big Five 1-3, pickiness 1-3 and habits inferred by one LLM call per user from their liked and disliked training items (persona_generation.py; pickiness and habits asked in the same call: ours), followed by the rating summary computed from the history (ours)",
  "alignuser: page items in the release's page format: title, genres, description, the mean training rating and count (the user's own rating left out in fit) and the user's 2 rated training items most like it (co-rating cosine, then shared genres: ours) with their ratings",
  "alignuser: every backend retrieves 3 world-model next-state demonstrations (BM25 over the page or the step) before the policy step: the human transitions' real next states, plus the world model's predicted outcomes of their counterfactuals when fit built them (ours); SFT examples carry them too, the transition itself left out",
  "alignuser: recommender evaluation ends with the release's post-session satisfaction scorer (post_interview_satisfaction.py): persona and a third-person summary of the visit → 1-10",
  'alignuser: K = 2 counterfactual actions per human transition, proposed at temperature 0.8; alternatives equal to the human action or to an earlier alternative are dropped (ours)',
  'alignuser: the human next state is the history with the watched items appended, plus what the person did on their next page when there is one; the LLM world model predicts the next state of alternatives (ours)',
  'alignuser: one item-level reflection per rated page: the human rating of one watched item (drawn with the fit seed) against an alternative rating proposed with the counterfactuals (ours)',
  'alignuser: rating summary written without an LLM from the training history (demographics, rating count and mean, most-watched and lowest-rated genres) plus 15 liked / 5 disliked recent items (ours); persona: summary uses it alone (no persona call)',
  "alignuser: in-context backend retrieves 3 transitions and 5 lessons with BM25 over page item texts (ours); openai-finetune default base model gpt-4.1-mini-2025-04-14 with the provider's automatic hyper-parameters (ours; the paper fine-tunes an undisclosed open model)",
  'alignuser: SFT data = per transition one screening, one like/not and one rating example in the exact inference prompts, plus one next-state (world-model) example (ours)',
  'alignuser: sessions datasets: by default every training session (every step a world-model transition and a retrieval candidate) and every step aligned (counterfactuals, reflection, policy thought), capped at maxAlignedSteps = 1,000 taken round-robin over the sessions, since the paper states no budget (ours)',
  'alignuser: sessions datasets: the human next state is a short text of the real next page (its lines before the element list, at most 700 characters, and the element count) or the end of the session; what followed (the next human action, steps left, purchase) is given to the reflection as the real future outcome (ours)',
  'alignuser: sessions datasets: counterfactual actions are bound by the schema to elements the page lists (or terminate); an alternative is dropped when it equals the human action (type and target, and typed text up to case and spacing; the click type alone does not make it different) or an earlier alternative (ours)',
  'alignuser: sessions datasets: one action-selection call per step (step-by-step reasoning, rationale, action) with 3 similar human steps and 5 lessons retrieved by BM25 over persona, previous action and page; history of the last 20 steps as zero-shot shows it (ours)',
  'alignuser: recommender evaluation: per page item screening, then ratings of the watched items (the rating selection step), then one call deciding next page or leave; earlier pages of the visit are shown in the evidence section (ours)',
  "alignuser: sessions datasets: SFT data = one action-selection example per aligned step (policy thought, the person's own rationale when the dataset has one, the human action) plus one next-state example per transition (ours)",
];

export default defineMethod({
  name: 'alignuser',
  version: 2,
  description:
    'AlignUSER (Bougie et al., ACL 2026): world-model transitions, counterfactual actions and reflection lessons learned in fit (rating pages or OPeRA sessions); item screening then action selection, or next-action selection, in-context or with a fine-tuned model.',
  options: AlignUserOptions,
  usesLlm: true,
  capabilities: ['discriminate', 'rate', 'nextAction', 'browse'],
  choices: ALIGNUSER_CHOICES,
  prompts: ALIGNUSER_PROMPTS,
  async create(o, ctx) {
    const prompts = promptsFrom(
      ctx.prompts,
      Object.keys(ALIGNUSER_PROMPTS),
      'alignuser',
    ) as unknown as AlignUserPrompts;
    return new AlignUserSimulator('alignuser', o, prompts, ctx.log);
  },
});
