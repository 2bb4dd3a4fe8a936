import Anthropic from '@anthropic-ai/sdk';
import {
  apiKeyFrom,
  defineLlm,
  endpointIdentity,
  ProviderError,
  Type,
  withSchemaInstruction,
  type BatchPoll,
  type LlmRequest,
  type ProviderReply,
} from '../../../harness/plugin-api.js';
import { nodeFetch } from '../../../harness/plugin-api.js';
import { toProviderError } from './errors.js';

const Options = Type.Object(
  {
    model: Type.String({ description: 'e.g. claude-3-7-sonnet-20250219' }),
    baseURL: Type.String({
      default: 'https://api.anthropic.com',
      description: 'Messages API endpoint (the SDK appends /v1/messages).',
    }),
    apiKeyEnv: Type.String({
      default: 'ANTHROPIC_API_KEY',
      secretEnv: true,
      description: 'Environment variable holding the API key.',
    }),
    structured: Type.Union([Type.Literal('tool'), Type.Literal('instructions')], {
      default: 'tool',
      description: 'tool: the schema as a forced tool call; instructions: the schema in the prompt.',
    }),
    defaultMaxTokens: Type.Integer({
      minimum: 1,
      default: 1024,
      description: 'max_tokens when a request sets none (the API requires one).',
    }),
  },
  { additionalProperties: false, required: ['model'] },
);

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;

export default defineLlm({
  name: 'anthropic',
  description:
    'Anthropic Messages API through the official SDK; structured replies by tool use. Message Batches supported.',
  options: Options,
  async create(o) {
    const baseURL = o.baseURL.replace(/\/+$/, '');
    let client: Anthropic | null = null;
    const getClient = () =>
      (client ??= new Anthropic({
        apiKey: apiKeyFrom(o.apiKeyEnv, 'Anthropic'),
        baseURL,
        maxRetries: 0,
        timeout: 24 * 3600 * 1000,
        fetch: nodeFetch(),
        logLevel: 'off',
      }));
    const asTool = (r: LlmRequest) =>
      o.structured === 'tool' && r.schema !== undefined && r.schema['type'] === 'object';

    const params = (r: LlmRequest): Params => {
      const msgs = r.schema && !asTool(r) ? withSchemaInstruction(r.messages, r.schema) : r.messages;
      const system = msgs
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const p: Params = {
        model: o.model,
        max_tokens: r.maxTokens ?? o.defaultMaxTokens,
        messages: msgs
          .filter((m) => m.role !== 'system')
          .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
      };
      if (system) p.system = system;
      // The SDK's types no longer list temperature (newer models reject it); older models and compatible servers accept it.
      if (r.temperature !== undefined) (p as unknown as Record<string, unknown>)['temperature'] = r.temperature;
      if (asTool(r) && r.schema) {
        const name = (r.schemaName ?? 'reply').replace(/[^A-Za-z0-9_-]/g, '_');
        p.tools = [
          {
            name,
            description: 'Record your answer in this structure.',
            input_schema: r.schema as Anthropic.Messages.Tool.InputSchema,
          },
        ];
        p.tool_choice = { type: 'tool', name };
      }
      return p;
    };
    const replyOf = (m: Anthropic.Messages.Message): ProviderReply => {
      if (!Array.isArray(m.content)) throw new ProviderError('malformed response: no content', null, null, 'malformed');
      const tool = m.content.find((b) => b.type === 'tool_use');
      const text =
        tool && tool.type === 'tool_use'
          ? JSON.stringify(tool.input)
          : m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      const u = m.usage;
      const cacheRead = u?.cache_read_input_tokens ?? 0;
      return {
        text,
        model: m.model ?? o.model,
        // One word for "cut at the limit" across providers: Anthropic's max_tokens is OpenAI's length.
        ...(m.stop_reason ? { finish: m.stop_reason === 'max_tokens' ? 'length' : m.stop_reason } : {}),
        // Anthropic's input_tokens excludes cache reads and writes; ours counts every prompt token.
        usage: {
          input: (u?.input_tokens ?? 0) + cacheRead + (u?.cache_creation_input_tokens ?? 0),
          cachedInput: cacheRead,
          output: u?.output_tokens ?? 0,
        },
      };
    };

    return {
      provider: 'anthropic',
      model: o.model,
      mock: false,
      identity: endpointIdentity({ provider: 'anthropic', model: o.model, baseURL, structured: o.structured }),
      hints: { apiKeyEnv: o.apiKeyEnv, baseURL, structured: o.structured, structuredModes: ['tool', 'instructions'] },
      async complete(request, signal) {
        try {
          return replyOf(await getClient().messages.create(params(request), { signal }));
        } catch (e) {
          throw toProviderError(e);
        }
      },
      batch: {
        async submit(items, signal) {
          try {
            const b = await getClient().messages.batches.create(
              { requests: items.map((it) => ({ custom_id: it.customId, params: params(it.request) })) },
              { signal },
            );
            return b.id;
          } catch (e) {
            throw toProviderError(e);
          }
        },
        async poll(id, signal): Promise<BatchPoll> {
          try {
            const b = await getClient().messages.batches.retrieve(id, {}, { signal });
            const c = b.request_counts;
            if (b.processing_status !== 'ended')
              return {
                status: 'pending',
                detail: `${b.processing_status} (${c.succeeded + c.errored}/${c.processing + c.succeeded + c.errored + c.canceled + c.expired} done)`,
              };
            const results: Array<{ customId: string; reply?: ProviderReply; error?: string }> = [];
            for await (const r of await getClient().messages.batches.results(id, {}, { signal })) {
              if (r.result.type === 'succeeded')
                results.push({ customId: r.custom_id, reply: replyOf(r.result.message) });
              else
                results.push({
                  customId: r.custom_id,
                  error: r.result.type === 'errored' ? `errored: ${JSON.stringify(r.result.error)}` : r.result.type,
                });
            }
            return { status: 'done', results };
          } catch (e) {
            throw toProviderError(e);
          }
        },
      },
    };
  },
});
