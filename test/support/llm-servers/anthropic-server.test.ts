import Anthropic, { type APIError, type RateLimitError } from '@anthropic-ai/sdk';
import { Ajv } from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicTestServer } from './index.js';

const KEY = 'sk-ant-test-0c4f2b7e9a1d';
// Not in the SDK's DEPRECATED_MODELS (those print a console.warn on every call).
const MODEL = 'claude-haiku-4-5';

const INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['rating', 'liked', 'tags', 'verdict'],
  properties: {
    rating: { type: 'integer', minimum: 1, maximum: 5 },
    liked: { type: 'boolean' },
    tags: {
      type: 'array',
      minItems: 1,
      maxItems: 3,
      items: { type: 'string', enum: ['plot', 'cast', 'music'] },
      uniqueItems: true,
    },
    verdict: { type: 'string' },
    score: { type: 'number', minimum: -1, maximum: 1 },
  },
} as const;

const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(INPUT_SCHEMA);

const ask = (
  text: string,
  extra: Partial<Anthropic.Messages.MessageCreateParamsNonStreaming> = {},
): Anthropic.Messages.MessageCreateParamsNonStreaming => ({
  model: MODEL,
  max_tokens: 256,
  system: 'You simulate a user.',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

const toolParams = (text: string): Anthropic.Messages.MessageCreateParamsNonStreaming =>
  ask(text, {
    tools: [
      {
        name: 'record_review',
        description: 'Record it.',
        input_schema: INPUT_SCHEMA as unknown as Anthropic.Messages.Tool.InputSchema,
      },
    ],
    tool_choice: { type: 'tool', name: 'record_review' },
  });

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

function textOf(m: Anthropic.Messages.Message): string {
  return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

describe('Anthropic fake server with the real SDK', () => {
  let server: AnthropicTestServer;
  let client: Anthropic;

  beforeAll(async () => {
    server = await startAnthropicServer({ apiKey: KEY, batchPolls: Infinity });
    client = new Anthropic({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.setFaults(undefined);
    server.reset();
  });

  it('round-trips a message with usage and a dated model, and records it without the key', async () => {
    const m = await client.messages.create(ask('Rate item 42.'));
    expect(m.type).toBe('message');
    expect(m.role).toBe('assistant');
    expect(m.model).toBe('claude-haiku-4-5-20251001');
    expect(m.stop_reason).toBe('end_turn');
    expect(m.content).toHaveLength(1);
    const text = textOf(m);
    expect(text).toMatch(/^Mock reply [0-9a-f]{8}: /);
    expect(m.usage.input_tokens).toBeGreaterThan(5);
    expect(m.usage.output_tokens).toBe(Math.ceil(text.length / 4));
    expect(m.usage.cache_read_input_tokens).toBe(0);
    expect(m.usage.cache_creation_input_tokens).toBe(0);
    expect(textOf(await client.messages.create(ask('Rate item 42.')))).toBe(text);

    const rec = server.requests[0]!;
    expect(rec).toMatchObject({ method: 'POST', path: '/v1/messages', status: 200 });
    // SDK 1.x sends `apiKey` as `Authorization: Bearer`, not x-api-key; the server takes both.
    expect(rec.headers['authorization']).toBe('present');
    expect(rec.headers['x-api-key']).toBe('absent');
    expect(rec.headers['anthropic-version']).toBeTruthy();
    expect(JSON.stringify(server.requests)).not.toContain(KEY);
  });

  it('answers a forced tool with a tool_use block whose input satisfies input_schema', async () => {
    for (const t of ['a', 'b', 'c', 'd']) {
      const m = await client.messages.create(toolParams(`Rate ${t}`));
      expect(m.stop_reason).toBe('tool_use');
      const block = m.content[0]!;
      expect(block.type).toBe('tool_use');
      if (block.type !== 'tool_use') throw new Error('unreachable');
      expect(block.name).toBe('record_review');
      expect(block.id).toMatch(/^toolu_/);
      expect(validate(block.input), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('answers output_config json_schema with JSON text that satisfies it', async () => {
    const m = await client.messages.create(
      ask('Rate', {
        output_config: { format: { type: 'json_schema', schema: INPUT_SCHEMA as unknown as Record<string, unknown> } },
      }),
    );
    expect(m.content[0]!.type).toBe('text');
    expect(validate(JSON.parse(textOf(m)))).toBe(true);
  });

  it('scripts tool input and text with REPLY_JSON', async () => {
    const m = await client.messages.create(
      toolParams('REPLY_JSON: {"rating": 2, "liked": false, "tags": ["cast"], "verdict": "meh"}'),
    );
    const block = m.content[0]!;
    expect(block.type === 'tool_use' && block.input).toEqual({
      rating: 2,
      liked: false,
      tags: ['cast'],
      verdict: 'meh',
    });
    // Unparseable scripted tool input comes back as prose, like a model that ignored the tool.
    const prose = await client.messages.create(toolParams('REPLY_JSON: {"rating": 4'));
    expect(prose.content[0]).toMatchObject({ type: 'text', text: '{"rating": 4' });
    expect(prose.stop_reason).toBe('end_turn');
    expect(textOf(await client.messages.create(ask('REPLY_JSON: {"x":1}')))).toBe('{"x":1}');
  });

  it('streams the raw events in order and MessageStream assembles the same message', async () => {
    const plain = await client.messages.create(ask('stream this'));
    const stream = await client.messages.create({ ...ask('stream this'), stream: true });
    const types: string[] = [];
    let text = '';
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
    }
    expect(text).toBe(textOf(plain));
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(2);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);

    const final = await client.messages.stream(ask('stream this')).finalMessage();
    expect(textOf(final)).toBe(textOf(plain));
    expect(final.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(final.stop_reason).toBe('end_turn');

    const tool = await client.messages.stream(toolParams('stream a tool')).finalMessage();
    const block = tool.content[0]!;
    expect(block.type).toBe('tool_use');
    expect(validate(block.type === 'tool_use' ? block.input : null)).toBe(true);
  });

  it('reports cache creation then cache reads at a cache_control breakpoint', async () => {
    const persona = 'A long persona: likes quiet films, hates loud ones, rates generously. '.repeat(70);
    const params = (q: string): Anthropic.Messages.MessageCreateParamsNonStreaming => ({
      model: MODEL,
      max_tokens: 100,
      system: [{ type: 'text', text: persona, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: q }],
    });
    const a = await client.messages.create(params('first question'));
    const b = await client.messages.create(params('second question'));
    expect(a.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(1024);
    expect(a.usage.cache_read_input_tokens).toBe(0);
    expect(b.usage.cache_read_input_tokens).toBe(a.usage.cache_creation_input_tokens);
    expect(b.usage.cache_creation_input_tokens).toBe(0);
    expect(b.usage.input_tokens).toBeLessThan(20);
  });

  it('rejects a wrong key with AuthenticationError in the Anthropic error shape', async () => {
    const bad = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: server.baseURL, maxRetries: 0 });
    const e = await caught(bad.messages.create(ask('hi')));
    expect(e).toBeInstanceOf(Anthropic.AuthenticationError);
    const err = e as APIError;
    expect(err.status).toBe(401);
    expect(err.type).toBe('authentication_error');
    expect(err.requestID).toMatch(/^req_/);
    expect(JSON.stringify(server.requests)).not.toContain('sk-ant-wrong');
  });

  it('429 with retry-after surfaces as RateLimitError; 500, 503 and 529 map to their classes', async () => {
    server.setFaults({
      script: ['rateLimit', 'rateLimitNoRetryAfter', 'serverError', 'unavailable', 'overloaded'],
      retryAfterSeconds: 1,
    });
    const e = (await caught(client.messages.create(ask('hi')))) as RateLimitError;
    expect(e).toBeInstanceOf(Anthropic.RateLimitError);
    expect(e.type).toBe('rate_limit_error');
    expect(e.headers.get('retry-after')).toBe('1');
    expect(e.headers.get('retry-after-ms')).toBeNull();
    const e2 = (await caught(client.messages.create(ask('hi')))) as RateLimitError;
    expect(e2.headers.get('retry-after')).toBeNull();
    const e500 = await caught(client.messages.create(ask('hi')));
    expect(e500).toBeInstanceOf(Anthropic.InternalServerError);
    expect((e500 as APIError).status).toBe(500);
    expect(await caught(client.messages.create(ask('hi')))).toBeInstanceOf(Anthropic.ServiceUnavailableError);
    const e529 = (await caught(client.messages.create(ask('hi')))) as APIError;
    expect(e529).toBeInstanceOf(Anthropic.OverloadedError);
    expect(e529.type).toBe('overloaded_error');
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 500, 503, 529]);
  });

  it('the SDK retries after retry-after and then succeeds', async () => {
    server.setFaults({ script: ['overloaded', 'rateLimit'], retryAfterSeconds: 0.05 });
    const retrying = new Anthropic({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 2 });
    const m = await retrying.messages.create(ask('hi'));
    expect(m.type).toBe('message');
    expect(server.requests.map((r) => r.fault)).toEqual(['overloaded', 'rateLimit', null]);
  });

  it('timeout: the client timeout and AbortSignal end a request the server never answers', async () => {
    server.setFaults({ script: ['timeout', 'timeout'] });
    const e = await caught(client.messages.create(ask('hi'), { timeout: 250 }));
    expect(e).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    const e2 = await caught(client.messages.create(ask('hi'), { signal: AbortSignal.timeout(150) }));
    expect(e2).toBeInstanceOf(Anthropic.APIUserAbortError);
    await expect.poll(() => server.stats().inFlight, { timeout: 2000 }).toBe(0);
  });

  it('reset gives APIConnectionError; malformed JSON makes the SDK throw (plain and streamed)', async () => {
    server.setFaults({ script: ['reset', 'malformedJson', 'malformedJson'] });
    const e = await caught(client.messages.create(ask('hi')));
    expect(e).toBeInstanceOf(Anthropic.APIConnectionError);
    expect(e).not.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(await caught(client.messages.create(ask('hi')))).toBeInstanceOf(SyntaxError);
    const quiet = new Anthropic({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, logLevel: 'off' });
    const stream = await quiet.messages.create({ ...ask('hi'), stream: true });
    const e3 = await caught(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    );
    expect(e3).toBeInstanceOf(SyntaxError);
  });

  it('schemaInvalid gives a tool_use input that violates input_schema', async () => {
    server.setFaults({ script: ['schemaInvalid'] });
    const m = await client.messages.create(toolParams('hi'));
    const block = m.content[0]!;
    expect(block.type).toBe('tool_use');
    expect(validate(block.type === 'tool_use' ? block.input : null)).toBe(false);
  });

  it('slowStream delays the stream events', async () => {
    server.setFaults({ script: ['slowStream'], slowStreamDelayMs: 30 });
    const t0 = performance.now();
    let events = 0;
    for await (const _ of await client.messages.create({ ...ask('slow'), stream: true })) events++;
    // +1 for the ping the SDK swallows.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(events * 30 - 10);
  });

  it('runs a message batch: in_progress until completed, then results via batches.results()', async () => {
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'ok-1', params: ask('REPLY_JSON: {"rating":3}') },
        { custom_id: 'tool-2', params: toolParams('batch tool') },
        { custom_id: 'bad-3', params: { model: MODEL, max_tokens: 10, messages: [] } },
      ],
    });
    expect(batch).toMatchObject({ type: 'message_batch', processing_status: 'in_progress', results_url: null });
    expect(batch.request_counts.processing).toBe(3);
    expect((await client.messages.batches.retrieve(batch.id)).processing_status).toBe('in_progress');
    await expect(client.messages.batches.results(batch.id)).rejects.toThrow(/results_url/);

    expect(server.completeBatches()).toBe(1);
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toEqual({ processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 });
    expect(ended.results_url).toBe(`${server.baseURL}/v1/messages/batches/${batch.id}/results`);

    const results: Anthropic.Messages.Batches.MessageBatchIndividualResponse[] = [];
    for await (const r of await client.messages.batches.results(batch.id)) results.push(r);
    expect(results.map((r) => [r.custom_id, r.result.type])).toEqual([
      ['ok-1', 'succeeded'],
      ['tool-2', 'succeeded'],
      ['bad-3', 'errored'],
    ]);
    const first = results[0]!.result;
    expect(first.type === 'succeeded' && textOf(first.message)).toBe('{"rating":3}');
    const second = results[1]!.result;
    const block = second.type === 'succeeded' ? second.message.content[0] : undefined;
    expect(block?.type === 'tool_use' && validate(block.input)).toBe(true);
    expect(server.requests.some((r) => r.path.endsWith('/results') && r.headers['authorization'] === 'present')).toBe(
      true,
    );
  });

  it('completes a batch by polling and cancels another', async () => {
    const s = await startAnthropicServer({ batchPolls: 2 });
    try {
      const c = new Anthropic({ apiKey: 'x', baseURL: s.baseURL, maxRetries: 0 });
      const b = await c.messages.batches.create({ requests: [{ custom_id: 'a', params: ask('hi') }] });
      expect((await c.messages.batches.retrieve(b.id)).processing_status).toBe('in_progress');
      // results() retrieves first: that is the second poll, so it ends the batch and finds the URL.
      const out = [];
      for await (const r of await c.messages.batches.results(b.id)) out.push(r);
      expect(out).toHaveLength(1);
      expect(out[0]!.result.type).toBe('succeeded');

      const b2 = await c.messages.batches.create({
        requests: [
          { custom_id: 'x', params: ask('hi') },
          { custom_id: 'y', params: ask('yo') },
        ],
      });
      expect((await c.messages.batches.cancel(b2.id)).processing_status).toBe('canceling');
      const canceled = await c.messages.batches.retrieve(b2.id);
      expect(canceled.processing_status).toBe('ended');
      expect(canceled.request_counts.canceled).toBe(2);
      await expect(
        c.messages.batches.create({
          requests: [
            { custom_id: 'a', params: ask('1') },
            { custom_id: 'a', params: ask('2') },
          ],
        }),
      ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    } finally {
      await s.close();
    }
  });

  it('requires anthropic-version like the real API and answers 404 for unknown routes', async () => {
    const res = await fetch(`${server.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify(ask('hi')),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
    await expect(client.get('/v1/nope')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const sys = await caught(
      client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'system' as 'user', content: 'x' }] }),
    );
    expect(sys).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('keeps 64 requests in flight at 100 ms latency with their latencies overlapping', async () => {
    const s = await startAnthropicServer({ latencyMs: 100, record: false });
    try {
      const c = new Anthropic({ apiKey: 'x', baseURL: s.baseURL, maxRetries: 0 });
      // Warm 64 keep-alive connections first: the bench measures steady state, not TCP set-up.
      await Promise.all(Array.from({ length: 64 }, (_, i) => c.messages.create(ask(`warm-up ${i}`))));
      s.reset();
      const all = await Promise.all(Array.from({ length: 64 }, (_, i) => c.messages.create(ask(`q${i}`))));
      expect(all.every((m) => m.type === 'message')).toBe(true);
      expect(s.stats()).toMatchObject({ total: 64, inFlight: 0 });
      // How many overlap depends on how fast the client can send (a loaded CI box is slower); the exact count is checked below.
      expect(s.stats().maxInFlight).toBeGreaterThan(8);
    } finally {
      await s.close();
    }
  });

  it('counts in-flight requests exactly', async () => {
    server.setFaults({ script: ['timeout', 'timeout', 'timeout', 'timeout', 'timeout'] });
    const ctl = new AbortController();
    const pending = Array.from({ length: 5 }, () =>
      client.messages.create(ask('hold'), { signal: ctl.signal }).catch((e: unknown) => e),
    );
    await expect.poll(() => server.stats().inFlight, { timeout: 2000 }).toBe(5);
    ctl.abort();
    expect((await Promise.all(pending)).every((e) => e instanceof Anthropic.APIUserAbortError)).toBe(true);
    await expect.poll(() => server.stats().inFlight, { timeout: 2000 }).toBe(0);
    expect(server.stats()).toMatchObject({ total: 5, maxInFlight: 5 });
    expect(server.stats().faults.timeout).toBe(5);
  });
});
