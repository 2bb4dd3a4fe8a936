import {
  cacheKey,
  cacheKeyMaterial,
  defineLlm,
  endpointIdentity,
  Type,
  UnitError,
} from '../../../harness/plugin-api.js';

const Options = Type.Object(
  {
    provider: Type.Union([Type.Literal('openai'), Type.Literal('anthropic')], {
      description: 'The provider the cached answers came from.',
    }),
    model: Type.String({ description: 'The model name the original run used.' }),
    baseURL: Type.Optional(Type.String({ description: "The original baseURL (default: the provider's own)." })),
    structured: Type.Optional(
      Type.String({
        description: 'The original structured-output mode (default: json-schema for openai, tool for anthropic).',
      }),
    ),
  },
  { additionalProperties: false, required: ['provider', 'model'] },
);

const DEFAULTS = {
  openai: { baseURL: 'https://api.openai.com/v1', structured: 'json-schema' },
  anthropic: { baseURL: 'https://api.anthropic.com', structured: 'tool' },
} as const;

/**
 * Answers only from the cache, under the identity of the original endpoint:
 * no network, no key. Any request the cache lacks is an error naming it.
 */
export default defineLlm({
  name: 'replay',
  description:
    'Replays a shipped LLM cache under the original provider/model identity; a miss is an error naming the request and its key.',
  options: Options,
  async create(o) {
    const d = DEFAULTS[o.provider];
    const identity = endpointIdentity({
      provider: o.provider,
      model: o.model,
      baseURL: o.baseURL ?? d.baseURL,
      structured: o.structured ?? d.structured,
    });
    return {
      provider: o.provider,
      model: o.model,
      mock: false,
      identity,
      async complete(request) {
        const key = cacheKey(cacheKeyMaterial(identity, request));
        const firstUser =
          request.messages
            .find((m) => m.role === 'user')
            ?.content.slice(0, 80)
            .replace(/\s+/g, ' ') ?? '';
        throw new UnitError(
          'llm',
          `replay: the cache has no answer for request ${key} (${o.provider}/${o.model}, starting "${firstUser}…"): check cache.path points at the file shipped with the run and that provider, model, baseURL and structured match the original config`,
        );
      },
    };
  },
});
