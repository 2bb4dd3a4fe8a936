/** The one request and response shape of the LLM layer. */
export type JsonSchema = Record<string, unknown>;

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface LlmRequest {
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly seed?: number;
  /** A JSON Schema the reply must satisfy; the layer parses and validates it. */
  readonly schema?: JsonSchema;
  /** A short name for the schema (providers that need one use it). */
  readonly schemaName?: string;
  /** Index for repeated sampling of the same prompt; part of the cache key. */
  readonly sample?: number;
  /**
   * What the call is for (e.g. "screening", "fit:reflection"), shown by
   * `usersim inspect` and in error records. Not part of the cache key: a label.
   */
  readonly stage?: string;
}

export interface Usage {
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
}

/** What a provider plugin returns for one call. */
export interface ProviderReply {
  readonly text: string;
  readonly usage: Usage;
  /** The model version string the endpoint reported. */
  readonly model: string;
  /** Why the model stopped, normalised: 'stop', 'length' (cut at maxTokens: Anthropic's max_tokens), or the endpoint's own word. */
  readonly finish?: string;
}

export interface LlmResponse {
  readonly text: string;
  readonly json?: unknown;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly cached: boolean;
  readonly latencyMs: number;
  readonly finish?: string | null;
}

/** A provider made by an LLM plugin. The harness wraps it; methods never see it. */
export interface LlmProvider {
  /** e.g. "offline", "openai". */
  readonly provider: string;
  readonly model: string;
  /** Mock providers are labelled as such in every table. */
  readonly mock: boolean;
  /** What identifies this endpoint's output in a cache key: never secrets. */
  readonly identity: Readonly<Record<string, unknown>>;
  complete(request: LlmRequest, signal: AbortSignal): Promise<ProviderReply>;
  /** What to name in error messages (e.g. the API key variable, the endpoint). */
  readonly hints?: {
    readonly apiKeyEnv?: string;
    readonly baseURL?: string;
    /** The structured-output mode in use and every mode the plugin offers (preflight names the others on a rejection). */
    readonly structured?: string;
    readonly structuredModes?: readonly string[];
  };
  /** The provider's batch API, when it has one (half price, asynchronous). */
  readonly batch?: BatchApi;
  close?(): Promise<void>;
}

export interface BatchItem {
  readonly customId: string;
  readonly request: LlmRequest;
}

export type BatchPoll =
  | { readonly status: 'pending'; readonly detail: string }
  | {
      readonly status: 'done';
      readonly results: ReadonlyArray<{
        readonly customId: string;
        readonly reply?: ProviderReply;
        readonly error?: string;
      }>;
    }
  | { readonly status: 'failed'; readonly message: string };

export interface BatchApi {
  submit(items: readonly BatchItem[], signal: AbortSignal): Promise<string>;
  poll(batchId: string, signal: AbortSignal): Promise<BatchPoll>;
}

export const ZERO_USAGE: Usage = { input: 0, cachedInput: 0, output: 0 };
