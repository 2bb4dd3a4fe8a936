import { Rng, Type, canonicalJson, defineLlm, sha256, type LlmRequest } from '../../../harness/plugin-api.js';
import { sampleFromSchema } from './schema-sample.js';

/** Rough token count (4 characters a token) so that offline runs still report a call's size. */
function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export default defineLlm({
  name: 'offline',
  description:
    'Deterministic mock: schema-valid answers derived from a hash of the request. No network, no key, chance-level by design.',
  options: Type.Object(
    {
      model: Type.String({ default: 'offline-mock', description: 'Label only; the answers do not depend on it.' }),
    },
    { additionalProperties: false },
  ),
  choices: [
    'offline LLM: replies are a pure function of the request hash; it never reads gold labels and is labelled "offline mock, chance level" in every table',
  ],
  async create(options) {
    return {
      provider: 'offline',
      model: options.model,
      mock: true,
      identity: { provider: 'offline', model: options.model },
      async complete(request: LlmRequest) {
        const key = sha256(
          canonicalJson({
            messages: request.messages,
            schema: request.schema ?? null,
            sample: request.sample ?? 0,
            seed: request.seed ?? null,
          }),
        );
        const rng = new Rng(key);
        const text = request.schema
          ? JSON.stringify(sampleFromSchema(request.schema, rng))
          : `offline mock reply ${key.slice(0, 12)}`;
        const prompt = request.messages.map((m) => m.content).join('\n');
        return {
          text,
          model: options.model,
          usage: { input: approxTokens(prompt), cachedInput: 0, output: approxTokens(text) },
        };
      },
    };
  },
});
