/**
 * The part of a cache key that names the endpoint. The openai, anthropic and
 * replay plugins build it the same way, so a replay finds the original answers.
 */
export function endpointIdentity(p: {
  provider: string;
  model: string;
  baseURL: string;
  structured: string;
}): Record<string, string> {
  return { provider: p.provider, model: p.model, baseURL: p.baseURL.replace(/\/+$/, ''), structured: p.structured };
}
