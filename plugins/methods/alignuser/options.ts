import { Type, type Static } from '../../../harness/plugin-api.js';

/**
 * AlignUSER's options, shared with alignuser-plus (which adds its own). The
 * paper does not publish its base model, K or hyper-parameters: every default
 * here is ours and listed in the README.
 */
export const alignUserOptionProperties = {
  training: Type.Union([Type.Literal('in-context'), Type.Literal('openai-finetune'), Type.Literal('export')], {
    default: 'in-context',
    description:
      'in-context: retrieve similar transitions and lessons into the prompt (any LLM); openai-finetune: upload the SFT data and run an OpenAI fine-tuning job; export: write chat-format JSONL for an external (e.g. LoRA) trainer.',
  }),
  fitUsers: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    default: null,
    description:
      'Training users sampled (with the fit seed) to build transitions from; null: every user whose history allows a page. The paper states no budget, so the default is the largest the data allows, within maxFitTransitions.',
  }),
  pagesPerUser: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    default: null,
    description:
      'Browsing pages (transitions) built per user, from the end of their training history; null: as many as the history allows, within maxFitTransitions.',
  }),
  maxFitTransitions: Type.Integer({
    minimum: 1,
    default: 1000,
    description:
      "Cap on the ratings fit (at most 5 calls per transition, plus one persona call per user): when users × pages exceed it, pages are taken round-robin over the users (each user's last page first, users in fit-seed order) (ours).",
  }),
  positivesPerPage: Type.Integer({
    minimum: 1,
    default: 2,
    description: 'Items on a page that the user rated in training (their action: watched, with the rating).',
  }),
  negativesPerPage: Type.Integer({
    minimum: 0,
    default: 2,
    description: 'Items on a page drawn from training items the user never interacted with (their action: skipped).',
  }),
  minContext: Type.Integer({
    minimum: 1,
    default: 5,
    description: 'Fewest training items that must precede a page (its history).',
  }),
  fitSessions: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    default: null,
    description:
      'On sessions data, training sessions sampled (with the fit seed); every step of them is a world-model transition and a retrieval candidate. null: every training session (the paper states no budget: the largest the data allows).',
  }),
  stepsPerSession: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    default: null,
    description:
      'On sessions data, steps of each sampled session (drawn with the fit seed) that get counterfactuals, a reflection and a policy thought; null: every step, within maxAlignedSteps.',
  }),
  maxAlignedSteps: Type.Integer({
    minimum: 1,
    default: 1000,
    description:
      'Cap on the aligned steps of a sessions fit (at most 4 calls each): when sessions × steps exceed it, steps are taken round-robin over the sessions (sessions in fit-seed order, steps drawn with the fit seed) (ours).',
  }),
  maxHistorySteps: Type.Integer({
    minimum: 0,
    default: 20,
    description:
      'On sessions data, most recent steps of the session shown in a state (older pages by title only; the budget of zero-shot).',
  }),
  persona: Type.Union([Type.Literal('generated'), Type.Literal('summary')], {
    default: 'generated',
    description:
      "Ratings data: generated = one LLM call per user infers occupation, age range, the Big Five (1–3), pickiness (1–3) and habits from the liked and disliked training items (the release's persona.py / persona_generation.py), shown with the rating summary; summary = the rating summary only, no call (ours).",
  }),
  historyRatings: Type.Boolean({
    default: true,
    description:
      'Ratings data: each page item shows its mean training rating and count (the release\'s page format, "History ratings").',
  }),
  similarItems: Type.Integer({
    minimum: 0,
    maximum: 10,
    default: 2,
    description:
      "Ratings data: the user's own rated training items most similar to each page item (co-rating cosine, then shared genres), shown with the user's ratings (the release's page format; its example shows two); 0: none.",
  }),
  worldModelDemos: Type.Integer({
    minimum: 0,
    default: 3,
    description:
      "Next-state demonstrations retrieved (BM25) for the current state and put before the policy step, in every backend: the human transitions' real next states, and in-context also the world model's predicted outcomes of their counterfactuals; 0: none.",
  }),
  satisfactionInterview: Type.Boolean({
    default: true,
    description:
      "Recommender evaluation: after the visit, one call scores the session's satisfaction 1–10 from the persona and a summary of the visit (the release's post_interview_satisfaction.py).",
  }),
  counterfactuals: Type.Integer({
    minimum: 1,
    maximum: 5,
    default: 2,
    description: 'K: alternative actions proposed per human transition.',
  }),
  counterfactualTemperature: Type.Number({
    minimum: 0,
    maximum: 2,
    default: 0.8,
    description: 'Sampling temperature when the policy proposes alternative actions.',
  }),
  worldModelExamples: Type.Boolean({
    default: true,
    description:
      'Add next-state prediction examples (state, human action → next state) to the SFT data, as the paper pre-trains on world modelling.',
  }),
  maxLiked: Type.Integer({
    minimum: 0,
    default: 15,
    description: 'Most recent liked training items in a state (rating ≥ 4; same budget as zero-shot).',
  }),
  maxDisliked: Type.Integer({
    minimum: 0,
    default: 5,
    description: 'Most recent disliked training items in a state (rating ≤ 2; same budget as zero-shot).',
  }),
  retrieveTransitions: Type.Integer({
    minimum: 0,
    default: 3,
    description: 'in-context: most similar training transitions (BM25) put into each inference prompt.',
  }),
  retrieveLessons: Type.Integer({
    minimum: 0,
    default: 5,
    description: 'in-context: most similar lessons (BM25) put into each inference prompt.',
  }),
  temperature: Type.Number({
    minimum: 0,
    maximum: 2,
    default: 0,
    description: 'Temperature of the inference calls and of the fit calls other than counterfactual proposals.',
  }),
  maxTokens: Type.Integer({ minimum: 64, default: 1500, description: 'Reply token cap of every call.' }),
  trainedModel: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
    default: null,
    description:
      "openai-finetune / export: the name of the model trained from this data (fine-tuned id, or the LoRA name a vLLM server serves). When the run's LLM is this model, fit makes no LLM call and inference runs without retrieval. A model fine-tuned by this method is recognised without it.",
  }),
  baseURL: Type.String({
    default: 'https://api.openai.com/v1',
    description: 'openai-finetune: the API endpoint for files and fine-tuning jobs.',
  }),
  apiKeyEnv: Type.String({
    default: 'OPENAI_API_KEY',
    secretEnv: true,
    description: 'openai-finetune: environment variable holding the API key.',
  }),
  baseModel: Type.String({
    default: 'gpt-4.1-mini-2025-04-14',
    description: 'openai-finetune: the model to fine-tune.',
  }),
  suffix: Type.String({
    default: 'alignuser',
    maxLength: 64,
    description: 'openai-finetune: suffix of the fine-tuned model name.',
  }),
  pollMs: Type.Integer({
    minimum: 1,
    default: 30_000,
    description: 'openai-finetune: milliseconds between two status polls of the fine-tuning job.',
  }),
};

export const AlignUserOptions = Type.Object(alignUserOptionProperties, { additionalProperties: false });
export type AlignUserOptions = Static<typeof AlignUserOptions>;

/** The options that change what a sessions fit builds (ratings keep their own key). */
export function sessionDataOptions(o: AlignUserOptions): Record<string, unknown> {
  return {
    fitSessions: o.fitSessions,
    stepsPerSession: o.stepsPerSession,
    maxAlignedSteps: o.maxAlignedSteps,
    maxHistorySteps: o.maxHistorySteps,
    counterfactuals: o.counterfactuals,
    counterfactualTemperature: o.counterfactualTemperature,
    temperature: o.temperature,
    maxTokens: o.maxTokens,
  };
}

/**
 * The options that change what a ratings fit builds. Inference-only and
 * backend-only options stay out of the artifact key, so changing them reuses
 * the data.
 */
export function dataOptions(o: AlignUserOptions): Record<string, unknown> {
  return {
    fitUsers: o.fitUsers,
    pagesPerUser: o.pagesPerUser,
    maxFitTransitions: o.maxFitTransitions,
    persona: o.persona,
    historyRatings: o.historyRatings,
    similarItems: o.similarItems,
    positivesPerPage: o.positivesPerPage,
    negativesPerPage: o.negativesPerPage,
    minContext: o.minContext,
    counterfactuals: o.counterfactuals,
    counterfactualTemperature: o.counterfactualTemperature,
    maxLiked: o.maxLiked,
    maxDisliked: o.maxDisliked,
    temperature: o.temperature,
    maxTokens: o.maxTokens,
  };
}
