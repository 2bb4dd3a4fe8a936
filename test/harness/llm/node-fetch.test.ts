import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../../harness/llm/node-fetch.js';
import { startOpenAiServer, times, type OpenAiTestServer } from '../../support/llm-servers/index.js';

let server: OpenAiTestServer;
let client: OpenAI;
const body = { model: 'gpt-4.1-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

beforeAll(async () => {
  server = await startOpenAiServer({ apiKey: 'sk-f' });
  client = new OpenAI({ apiKey: 'sk-f', baseURL: server.baseURL, maxRetries: 0, fetch: nodeFetch() });
});
afterAll(async () => server.close());

describe('nodeFetch under the real openai SDK', () => {
  it('answers a chat completion with usage', async () => {
    const c = await client.chat.completions.create(body);
    expect(c.choices[0]?.message.content).toBeTruthy();
    expect(c.usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it('surfaces 429 with its Retry-After header, and a connection reset as a connection error', async () => {
    server.setFaults({ script: [...times('rateLimit', 1), 'reset'], retryAfterSeconds: 2 });
    const e429 = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(e429).toBeInstanceOf(OpenAI.RateLimitError);
    expect((e429 as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('2');
    const reset = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(OpenAI.APIConnectionError);
    server.setFaults(undefined);
  });

  it('an aborted signal ends a hanging request as a user abort', async () => {
    server.setFaults({ script: ['timeout'] });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const e = await client.chat.completions.create(body, { signal: ctl.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.APIUserAbortError);
    server.setFaults(undefined);
  });

  it('multipart uploads (batch files) pass through to the built-in fetch', async () => {
    const f = await client.files.create({ file: await toFile(Buffer.from('{"a":1}\n'), 'x.jsonl'), purpose: 'batch' });
    expect(f.id).toBeTruthy();
    expect(server.fileContent(f.id)?.toString()).toBe('{"a":1}\n');
  });
});
