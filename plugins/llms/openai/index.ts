import OpenAI from 'openai';
import {
  apiKeyFrom,
  defineLlm,
  endpointIdentity,
  ProviderError,
  Type,
  withSchemaInstruction,
  type LlmRequest,
  type ProviderReply,
} from '../../../harness/plugin-api.js';
import { nodeFetch } from '../../../harness/plugin-api.js';
import { openAiBatch } from './batch.js';
import { toProviderError } from './errors.js';

const Options = Type.Object(
  {
    model: Type.String({
      description: 'Model name at the endpoint, e.g. gpt-4.1-mini, or the name a vLLM/Ollama server serves.',
    }),
    baseURL: Type.String({
      default: 'https://api.openai.com/v1',
      description: 'Any OpenAI-compatible endpoint (vLLM, SGLang, Ollama, llama.cpp server, OpenRouter).',
    }),
    apiKeyEnv: Type.String({
      default: 'OPENAI_API_KEY',
      secretEnv: true,
      description: 'Environment variable holding the API key (local servers accept any value).',
    }),
    structured: Type.Union([Type.Literal('json-schema'), Type.Literal('json-object'), Type.Literal('instructions')], {
      default: 'json-schema',
      description:
        'json-schema: response_format with the schema (OpenAI, vLLM, SGLang); json-object: JSON mode plus the schema in the prompt; instructions: the schema in the prompt only.',
    }),
    maxTokensParam: Type.Union([Type.Literal('max_tokens'), Type.Literal('max_completion_tokens')], {
      default: 'max_tokens',
      description: 'Which parameter carries maxTokens (OpenAI reasoning models need max_completion_tokens).',
    }),
  },
  { additionalProperties: false, required: ['model'] },
);

export default defineLlm({
  name: 'openai',
  description:
    'OpenAI Chat Completions through the official SDK; any OpenAI-compatible server via baseURL. Batch API supported.',
  options: Options,
  async create(o) {
    const baseURL = o.baseURL.replace(/\/+$/, '');
    let client: OpenAI | null = null;
    // Created at the first real call: a run answered from the cache needs no key.
    const getClient = () =>
      (client ??= new OpenAI({
        apiKey: apiKeyFrom(o.apiKeyEnv, 'OpenAI-compatible'),
        baseURL,
        maxRetries: 0,
        timeout: 24 * 3600 * 1000,
        fetch: nodeFetch(),
        logLevel: 'off',
      }));

    const body = (r: LlmRequest): Record<string, unknown> => {
      const schema = r.schema;
      const messages =
        schema && o.structured !== 'json-schema' ? withSchemaInstruction(r.messages, schema) : r.messages;
      const b: Record<string, unknown> = { model: o.model, messages };
      if (r.temperature !== undefined) b['temperature'] = r.temperature;
      if (r.maxTokens !== undefined) b[o.maxTokensParam] = r.maxTokens;
      if (r.seed !== undefined) b['seed'] = r.seed;
      if (schema && o.structured === 'json-schema')
        b['response_format'] = {
          type: 'json_schema',
          json_schema: { name: r.schemaName ?? 'reply', schema, strict: false },
        };
      if (schema && o.structured === 'json-object') b['response_format'] = { type: 'json_object' };
      return b;
    };
    const replyOf = (c: OpenAI.Chat.Completions.ChatCompletion): ProviderReply => {
      const choice = c.choices?.[0];
      if (!choice?.message) throw new ProviderError('malformed response: no choices', null, null, 'malformed');
      const u = c.usage;
      return {
        text: choice.message.content ?? '',
        model: c.model ?? o.model,
        ...(choice.finish_reason ? { finish: choice.finish_reason } : {}),
        usage: {
          input: u?.prompt_tokens ?? 0,
          cachedInput: u?.prompt_tokens_details?.cached_tokens ?? 0,
          output: u?.completion_tokens ?? 0,
        },
      };
    };

    return {
      provider: 'openai',
      model: o.model,
      mock: false,
      identity: endpointIdentity({ provider: 'openai', model: o.model, baseURL, structured: o.structured }),
      hints: {
        apiKeyEnv: o.apiKeyEnv,
        baseURL,
        structured: o.structured,
        structuredModes: ['json-schema', 'json-object', 'instructions'],
      },
      async complete(request, signal) {
        try {
          const c = (await getClient().chat.completions.create(
            body(request) as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
            { signal },
          )) as OpenAI.Chat.Completions.ChatCompletion;
          return replyOf(c);
        } catch (e) {
          throw toProviderError(e);
        }
      },
      batch: openAiBatch(getClient, body, replyOf),
    };
  },
});
