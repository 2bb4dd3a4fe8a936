/**
 * Local fake OpenAI / Anthropic servers for tests and the bench.
 *
 * ```ts
 * import { startOpenAiServer, startAnthropicServer, times } from '../support/llm-servers/index.js';
 * const server = await startOpenAiServer({ apiKey: 'sk-test', latencyMs: 20, faults: { script: times('rateLimit', 2), retryAfterSeconds: 0.05 } });
 * ```
 */
export {
  startOpenAiServer,
  MIN_FINE_TUNE_EXAMPLES,
  type OpenAiServerOptions,
  type OpenAiTestServer,
} from './openai-server.js';
export { startAnthropicServer, type AnthropicServerOptions, type AnthropicTestServer } from './anthropic-server.js';
export type { LlmServerOptions, LlmTestServer, BatchOutcome } from './server-api.js';
export { FAULT_KINDS, times, type FaultKind, type Faults } from './faults.js';
export type { RecordedRequest, ServerStats } from './http-core.js';
export {
  scriptedReply,
  servedModel,
  estimateTokens,
  type ReplyFn,
  type ReplyRequest,
  type PlainMessage,
} from './content.js';
export { sampleSchema, violateSchema, type JsonSchema } from './schema-reply.js';
export {
  startSloppyServer,
  sloppyReply,
  SLOPPY_DEFAULTS,
  SLOPPY_FORMS,
  type SloppyServer,
  type SloppyRates,
  type SloppyCounts,
} from './sloppy.js';
