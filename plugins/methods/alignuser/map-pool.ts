/** Transitions worked on at once in fit; the LLM door limits the provider's concurrency on top of this. */
export const FIT_CONCURRENCY = 16;
