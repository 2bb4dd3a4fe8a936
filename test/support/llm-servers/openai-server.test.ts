import { Ajv } from 'ajv';
import OpenAI, { toFile, type APIError, type BadRequestError, type RateLimitError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MIN_FINE_TUNE_EXAMPLES, startOpenAiServer, times, type OpenAiTestServer } from './index.js';

const KEY = 'sk-test-5f1c9e0b2a7d4c8e';
const MODEL = 'gpt-4.1-mini';

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['rating', 'liked', 'genres', 'mood', 'kind', 'confidence', 'reason', 'details'],
  properties: {
    rating: { type: 'integer', minimum: 1, maximum: 5 },
    liked: { type: 'boolean' },
    genres: { type: 'array', minItems: 2, maxItems: 4, items: { type: 'string' } },
    mood: { enum: ['happy', 'sad', 'neutral'] },
    kind: { const: 'review' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    reason: { type: 'string', minLength: 3 },
    details: {
      type: 'object',
      additionalProperties: false,
      required: ['seen'],
      properties: { seen: { type: 'boolean' }, score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 } },
    },
  },
} as const;

const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(SCHEMA);

function user(text: string): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: 'You simulate a user.' },
    { role: 'user', content: text },
  ];
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAI fake server with the real SDK', () => {
  let server: OpenAiTestServer;
  let client: OpenAI;

  beforeAll(async () => {
    server = await startOpenAiServer({ apiKey: KEY, batchPolls: Infinity });
    client = new OpenAI({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0 });
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.setFaults(undefined);
    server.reset();
  });

  it('round-trips a chat completion with usage, versioned model and fingerprint, and records it without the key', async () => {
    const r = await client.chat.completions.create({ model: MODEL, messages: user('Rate item 42.') });
    expect(r.object).toBe('chat.completion');
    expect(r.model).toBe('gpt-4.1-mini-2025-04-14');
    expect(r.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    const content = r.choices[0]!.message.content!;
    expect(content).toMatch(/^Mock reply [0-9a-f]{8}: /);
    expect(r.choices[0]!.finish_reason).toBe('stop');
    const u = r.usage!;
    expect(u.prompt_tokens).toBeGreaterThan(5);
    expect(u.completion_tokens).toBe(Math.ceil(content.length / 4));
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(u.prompt_tokens_details?.cached_tokens).toBe(0);

    // Deterministic per prompt, different across prompts.
    const again = await client.chat.completions.create({ model: MODEL, messages: user('Rate item 42.') });
    const other = await client.chat.completions.create({ model: MODEL, messages: user('Rate item 43.') });
    expect(again.choices[0]!.message.content).toBe(content);
    expect(other.choices[0]!.message.content).not.toBe(content);
    expect(again.id).not.toBe(r.id);

    expect(server.requestCount()).toBe(3);
    const rec = server.requests[0]!;
    expect(rec).toMatchObject({ seq: 1, method: 'POST', path: '/v1/chat/completions', status: 200, fault: null });
    expect(rec.headers['authorization']).toBe('present');
    expect((rec.body as { model: string }).model).toBe(MODEL);
    expect(JSON.stringify(server.requests)).not.toContain(KEY);
  });

  it('answers json_schema requests with JSON that satisfies the schema', async () => {
    for (const text of ['Rate item 1.', 'Rate item 2.', 'Rate item 3.']) {
      const r = await client.chat.completions.create({
        model: MODEL,
        messages: user(text),
        response_format: { type: 'json_schema', json_schema: { name: 'review', schema: SCHEMA, strict: true } },
      });
      const value: unknown = JSON.parse(r.choices[0]!.message.content!);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    }
    const obj = await client.chat.completions.create({
      model: MODEL,
      messages: user('JSON please'),
      response_format: { type: 'json_object' },
    });
    expect(typeof JSON.parse(obj.choices[0]!.message.content!)).toBe('object');
  });

  it('answers a forced function call with arguments that satisfy the parameters schema', async () => {
    const r = await client.chat.completions.create({
      model: MODEL,
      messages: user('Rate it'),
      tools: [{ type: 'function', function: { name: 'review', parameters: SCHEMA } }],
      tool_choice: { type: 'function', function: { name: 'review' } },
    });
    const call = r.choices[0]!.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('unreachable');
    expect(call.function.name).toBe('review');
    expect(validate(JSON.parse(call.function.arguments))).toBe(true);

    // Streamed, the arguments arrive in pieces and the SDK's helper reassembles them.
    const streamed = await client.chat.completions
      .stream({
        model: MODEL,
        messages: user('Rate it'),
        tools: [{ type: 'function', function: { name: 'review', parameters: SCHEMA } }],
        tool_choice: 'required',
      })
      .finalChatCompletion();
    const sc = streamed.choices[0]!.message.tool_calls![0]!;
    expect(streamed.choices[0]!.finish_reason).toBe('tool_calls');
    expect(sc.type === 'function' && validate(JSON.parse(sc.function.arguments))).toBe(true);
  });

  it('uses REPLY_JSON lines verbatim, one per assistant turn, and the reply override first', async () => {
    const prompt = 'Rate it.\nREPLY_JSON: {"rating": 9}\nREPLY_JSON: {"rating":4,"liked":true}';
    const first = await client.chat.completions.create({ model: MODEL, messages: user(prompt) });
    expect(first.choices[0]!.message.content).toBe('{"rating": 9}');
    const repair = await client.chat.completions.create({
      model: MODEL,
      messages: [
        ...user(prompt),
        { role: 'assistant', content: '{"rating": 9}' },
        { role: 'user', content: 'Invalid, try again.' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'review', schema: SCHEMA } },
    });
    expect(repair.choices[0]!.message.content).toBe('{"rating":4,"liked":true}');

    const custom = await startOpenAiServer({
      reply: (r) => (r.messages.at(-1)!.content.includes('override') ? `custom:${r.model}` : undefined),
    });
    try {
      const c = new OpenAI({ apiKey: 'x', baseURL: custom.baseURL, maxRetries: 0 });
      expect(
        (await c.chat.completions.create({ model: MODEL, messages: user('override me') })).choices[0]!.message.content,
      ).toBe(`custom:${MODEL}`);
      expect(
        (await c.chat.completions.create({ model: MODEL, messages: user('REPLY_JSON: [1]') })).choices[0]!.message
          .content,
      ).toBe('[1]');
    } finally {
      await custom.close();
    }
  });

  it('honours max_tokens (finish_reason length), stop and n', async () => {
    const r = await client.chat.completions.create({
      model: MODEL,
      messages: user('long answer please'),
      max_tokens: 3,
      n: 2,
    });
    expect(r.choices).toHaveLength(2);
    expect(r.choices[0]!.finish_reason).toBe('length');
    expect(r.choices[0]!.message.content!.length).toBeLessThanOrEqual(12);
    expect(r.choices[1]!.message.content).not.toBe(r.choices[0]!.message.content);
    const s = await client.chat.completions.create({
      model: MODEL,
      messages: user('REPLY_JSON: abc STOP def'),
      stop: ['STOP'],
    });
    expect(s.choices[0]!.message.content).toBe('abc ');
  });

  it('reports cached prompt tokens when a long prefix repeats', async () => {
    const long = 'The user has watched many films and liked most of them. '.repeat(90);
    const a = await client.chat.completions.create({ model: MODEL, messages: user(long) });
    const b = await client.chat.completions.create({
      model: MODEL,
      messages: [...user(long), { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }],
    });
    expect(a.usage!.prompt_tokens).toBeGreaterThan(1024);
    expect(a.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    const cached = b.usage!.prompt_tokens_details!.cached_tokens!;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect(cached % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(a.usage!.prompt_tokens);
  });

  it('streams chunks and [DONE], with the same text and a usage chunk', async () => {
    const plain = await client.chat.completions.create({ model: MODEL, messages: user('stream this') });
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: user('stream this'),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(chunks).toBeGreaterThan(3);
    expect(finish).toBe('stop');
    expect(usage!.completion_tokens).toBe(plain.usage!.completion_tokens);
    // The SDK's accumulating helper agrees.
    const helper = client.chat.completions.stream({ model: MODEL, messages: user('stream this') });
    expect((await helper.finalChatCompletion()).choices[0]!.message.content).toBe(text);
  });

  it('rejects a wrong key with AuthenticationError and never records the key', async () => {
    const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: server.baseURL, maxRetries: 0 });
    const e = await caught(bad.chat.completions.create({ model: MODEL, messages: user('hi') }));
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((e as APIError).status).toBe(401);
    expect((e as APIError).code).toBe('invalid_api_key');
    expect((e as APIError).requestID).toMatch(/^req_/);
    expect(JSON.stringify(server.requests)).not.toContain('sk-wrong');
  });

  it('429 with Retry-After surfaces as RateLimitError with readable headers; without it, no hint', async () => {
    server.setFaults({ script: ['rateLimit', 'rateLimitNoRetryAfter'], retryAfterSeconds: 1 });
    const e = await caught(client.chat.completions.create({ model: MODEL, messages: user('hi') }));
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    const err = e as RateLimitError;
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.headers.get('retry-after')).toBe('1');
    expect(err.headers.get('retry-after-ms')).toBe('1000');
    const e2 = (await caught(client.chat.completions.create({ model: MODEL, messages: user('hi') }))) as RateLimitError;
    expect(e2).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e2.headers.get('retry-after')).toBeNull();
    // Script used up: clean again.
    await expect(client.chat.completions.create({ model: MODEL, messages: user('hi') })).resolves.toBeDefined();
    expect(server.stats().faults.rateLimit).toBe(1);
    expect(server.requests.map((r) => r.fault)).toEqual(['rateLimit', 'rateLimitNoRetryAfter', null]);
  });

  it('the SDK waits for retry-after-ms and then succeeds', async () => {
    server.setFaults({ script: times('rateLimit', 2), retryAfterSeconds: 0.15 });
    const retrying = new OpenAI({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 2 });
    const t0 = performance.now();
    const r = await retrying.chat.completions.create({ model: MODEL, messages: user('hi') });
    expect(r.choices[0]!.message.content).toBeTruthy();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(server.requestCount()).toBe(3);
    expect(server.requests.map((q) => q.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);
  });

  it('500 and 503 surface as InternalServerError with their status', async () => {
    server.setFaults({ script: ['serverError', 'unavailable', 'overloaded'] });
    for (const status of [500, 503, 503]) {
      const e = await caught(client.chat.completions.create({ model: MODEL, messages: user('hi') }));
      expect(e).toBeInstanceOf(OpenAI.InternalServerError);
      expect((e as APIError).status).toBe(status);
    }
  });

  it('a hanging request ends by the client timeout or AbortSignal, and the server lets go of it', async () => {
    server.setFaults({ script: ['timeout', 'timeout'] });
    const t0 = performance.now();
    const e = await caught(client.chat.completions.create({ model: MODEL, messages: user('hi') }, { timeout: 250 }));
    expect(e).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    const e2 = await caught(
      client.chat.completions.create({ model: MODEL, messages: user('hi') }, { signal: AbortSignal.timeout(150) }),
    );
    expect(e2).toBeInstanceOf(OpenAI.APIUserAbortError);
    await expect.poll(() => server.stats().inFlight, { timeout: 2000 }).toBe(0);
    expect(server.requests.map((r) => r.status)).toEqual([null, null]);
  });

  it('a reset connection gives APIConnectionError (not a timeout)', async () => {
    server.setFaults({ script: ['reset'] });
    const e = await caught(client.chat.completions.create({ model: MODEL, messages: user('hi') }));
    expect(e).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(e).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('a malformed 200 body makes the SDK throw; in a stream too', async () => {
    server.setFaults({ script: ['malformedJson', 'malformedJson'] });
    const e = await caught(client.chat.completions.create({ model: MODEL, messages: user('hi') }));
    expect(e).toBeInstanceOf(SyntaxError);
    // logLevel off: the SDK would print the broken chunk to stderr.
    const quiet = new OpenAI({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, logLevel: 'off' });
    const stream = await quiet.chat.completions.create({ model: MODEL, messages: user('hi'), stream: true });
    const e2 = await caught(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    );
    expect(e2).toBeInstanceOf(SyntaxError);
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('schemaInvalid keeps the envelope valid but breaks the schema', async () => {
    server.setFaults({ script: ['schemaInvalid', 'schemaInvalid'] });
    const r = await client.chat.completions.create({
      model: MODEL,
      messages: user('hi'),
      response_format: { type: 'json_schema', json_schema: { name: 'review', schema: SCHEMA } },
    });
    const value: unknown = JSON.parse(r.choices[0]!.message.content!);
    expect(validate(value)).toBe(false);
    expect(r.usage!.total_tokens).toBeGreaterThan(0);
    const plain = await client.chat.completions.create({
      model: MODEL,
      messages: user('hi'),
      response_format: { type: 'json_object' },
    });
    expect(() => JSON.parse(plain.choices[0]!.message.content!)).toThrow();
  });

  it('slowStream spaces the SSE events out but delivers the same text', async () => {
    server.setFaults({ script: ['slowStream'], slowStreamDelayMs: 40 });
    const t0 = performance.now();
    const stream = await client.chat.completions.create({ model: MODEL, messages: user('slow'), stream: true });
    const firstByte = performance.now() - t0;
    let text = '';
    let events = 0;
    for await (const c of stream) {
      events++;
      text += c.choices[0]?.delta.content ?? '';
    }
    const total = performance.now() - t0;
    // Headers come at once; the events trickle (events + [DONE], one pause before each but the first).
    expect(firstByte).toBeLessThan(total / 2);
    expect(total).toBeGreaterThanOrEqual(events * 40 - 10);
    const plain = await client.chat.completions.create({ model: MODEL, messages: user('slow') });
    expect(text).toBe(plain.choices[0]!.message.content);
  });

  it('slowStream on a plain request trickles the body, which still parses', async () => {
    server.setFaults({ script: ['slowStream'], slowStreamDelayMs: 60 });
    const t0 = performance.now();
    const r = await client.chat.completions.create({ model: MODEL, messages: user('slow body') });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4 * 60 - 10);
    expect(r.choices[0]!.message.content).toMatch(/^Mock reply/);
  });

  it('draws faults from the seeded PRNG: same seed, same sequence', async () => {
    const run = async (): Promise<string[]> => {
      const s = await startOpenAiServer({ seed: 7, faults: { serverError: 0.3, rateLimitNoRetryAfter: 0.2 } });
      const c = new OpenAI({ apiKey: 'x', baseURL: s.baseURL, maxRetries: 0 });
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        out.push(
          await c.chat.completions.create({ model: MODEL, messages: user(`q${i}`) }).then(
            () => 'ok',
            (e: APIError) => String(e.status),
          ),
        );
      }
      await s.close();
      return out;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(new Set(a)).toEqual(new Set(['ok', '500', '429']));
  });

  it('rejects fault option typos and impossible probabilities', async () => {
    expect(() => server.setFaults({ ratelimit: 0.5 } as never)).toThrow(/unknown fault option "ratelimit"/);
    expect(() => server.setFaults({ serverError: 0.7, unavailable: 0.6 })).toThrow(/add up to/);
    await expect(startOpenAiServer({ faults: { timeout: 2 } })).rejects.toThrow(RangeError);
  });

  it('uploads a file, runs a batch to completion and serves the output file', async () => {
    const lines = [
      {
        custom_id: 'a',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: MODEL, messages: user('REPLY_JSON: {"rating":5}') },
      },
      { custom_id: 'b', method: 'POST', url: '/v1/chat/completions', body: { model: MODEL, messages: user('plain') } },
      { custom_id: 'c', method: 'POST', url: '/v1/chat/completions', body: { model: MODEL, messages: [] } },
    ];
    const jsonl = lines.map((l) => JSON.stringify(l)).join('\n');
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'in.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'batch',
      filename: 'in.jsonl',
      bytes: Buffer.byteLength(jsonl),
    });
    expect((await client.files.retrieve(file.id)).id).toBe(file.id);
    expect(await (await client.files.content(file.id)).text()).toBe(jsonl);
    expect(server.fileContent(file.id)!.toString()).toBe(jsonl);
    expect(server.requests[0]!.body).toEqual({
      fields: { purpose: 'batch' },
      files: [
        { field: 'file', filename: 'in.jsonl', contentType: expect.any(String), bytes: Buffer.byteLength(jsonl) },
      ],
    });

    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect(batch.status).toBe('validating');
    const polled = await client.batches.retrieve(batch.id);
    expect(polled.status).toBe('in_progress');
    expect(polled.request_counts).toEqual({ total: 3, completed: 0, failed: 0 });
    expect((await client.batches.retrieve(batch.id)).status).toBe('in_progress'); // batchPolls: Infinity

    expect(server.completeBatches()).toBe(1);
    const done = await client.batches.retrieve(batch.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 3, completed: 2, failed: 1 });
    expect(done.usage!.input_tokens).toBeGreaterThan(0);
    const out = (await (await client.files.content(done.output_file_id!)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((l) => l.custom_id)).toEqual(['a', 'b']);
    expect(out[0]).toMatchObject({
      error: null,
      response: { status_code: 200, request_id: expect.stringMatching(/^req_/) },
    });
    expect(out[0].response.body.choices[0].message.content).toBe('{"rating":5}');
    expect(out[0].response.body.model).toBe('gpt-4.1-mini-2025-04-14');
    const errs = (await (await client.files.content(done.error_file_id!)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ custom_id: 'c', response: { status_code: 400 } });
    expect(server.completeBatches()).toBe(0);
  });

  it('completes a batch by polling (batchPolls), cancels another, and validates the input file', async () => {
    const s = await startOpenAiServer({ batchPolls: 2 });
    try {
      const c = new OpenAI({ apiKey: 'x', baseURL: s.baseURL, maxRetries: 0 });
      const line = JSON.stringify({
        custom_id: 'x',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: MODEL, messages: user('hi') },
      });
      const file = await c.files.create({ file: await toFile(Buffer.from(line + '\n'), 'in.jsonl'), purpose: 'batch' });
      const b = await c.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      expect((await c.batches.retrieve(b.id)).status).toBe('in_progress');
      const done = await c.batches.retrieve(b.id);
      expect(done.status).toBe('completed');
      expect(done.output_file_id).toBeTruthy();

      const b2 = await c.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      expect((await c.batches.cancel(b2.id)).status).toBe('cancelling');
      expect((await c.batches.retrieve(b2.id)).status).toBe('cancelled');

      const badFile = await c.files.create({
        file: await toFile(Buffer.from('not json\n'), 'bad.jsonl'),
        purpose: 'batch',
      });
      const b3 = await c.batches.create({
        input_file_id: badFile.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      const failed = await c.batches.retrieve(b3.id);
      expect(failed.status).toBe('failed');
      expect(failed.errors!.data![0]!.code).toBe('invalid_json_line');

      const ft = await c.files.create({ file: await toFile(Buffer.from(line), 'ft.jsonl'), purpose: 'fine-tune' });
      await expect(
        c.batches.create({ input_file_id: ft.id, endpoint: '/v1/chat/completions', completion_window: '24h' }),
      ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
      await expect(c.batches.retrieve('batch_nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    } finally {
      await s.close();
    }
  });

  it('runs a fine-tuning job validating_files → running → succeeded and serves the model', async () => {
    const s = await startOpenAiServer({ fineTunePolls: 2 });
    try {
      const c = new OpenAI({ apiKey: 'x', baseURL: s.baseURL, maxRetries: 0 });
      const example = (i: number) =>
        JSON.stringify({
          messages: [
            { role: 'user', content: `item ${i}?` },
            { role: 'assistant', content: '{"rating":4}' },
          ],
        });
      const train = Array.from({ length: MIN_FINE_TUNE_EXAMPLES }, (_, i) => example(i)).join('\n');
      const file = await c.files.create({
        file: await toFile(Buffer.from(train), 'train.jsonl'),
        purpose: 'fine-tune',
      });
      const job = await c.fineTuning.jobs.create({
        training_file: file.id,
        model: MODEL,
        suffix: 'sim',
        hyperparameters: { n_epochs: 2 },
      });
      expect(job.status).toBe('validating_files');
      expect(job.fine_tuned_model).toBeNull();
      expect((await c.fineTuning.jobs.retrieve(job.id)).status).toBe('running');
      const done = await c.fineTuning.jobs.retrieve(job.id);
      expect(done.status).toBe('succeeded');
      const short = job.id.replace(/^ftjob-/, '');
      expect(done.fine_tuned_model).toBe(`ft:${MODEL}:usersim:sim:${short}`);
      expect(done.trained_tokens).toBeGreaterThan(0);
      expect(done.result_files).toHaveLength(1);
      const ids = [];
      for await (const m of c.models.list()) ids.push(m.id);
      expect(ids).toContain(MODEL);
      expect(ids).toContain(done.fine_tuned_model);
      const r = await c.chat.completions.create({ model: done.fine_tuned_model!, messages: user('hi') });
      expect(r.model).toBe(done.fine_tuned_model);

      // Too few examples: fails at validation, as the real API does.
      const small = await c.files.create({
        file: await toFile(Buffer.from(example(1)), 'small.jsonl'),
        purpose: 'fine-tune',
      });
      const bad = await c.fineTuning.jobs.create({ training_file: small.id, model: MODEL });
      const failed = await c.fineTuning.jobs.retrieve(bad.id);
      expect(failed.status).toBe('failed');
      expect(failed.error!.message).toMatch(/at least 10 examples/);

      // Manual completion.
      const manual = await startOpenAiServer({ fineTunePolls: Infinity });
      try {
        const mc = new OpenAI({ apiKey: 'x', baseURL: manual.baseURL, maxRetries: 0 });
        const f = await mc.files.create({
          file: await toFile(Buffer.from(train), 'train.jsonl'),
          purpose: 'fine-tune',
        });
        const j = await mc.fineTuning.jobs.create({ training_file: f.id, model: MODEL });
        expect((await mc.fineTuning.jobs.retrieve(j.id)).status).toBe('running');
        expect((await mc.fineTuning.jobs.retrieve(j.id)).status).toBe('running');
        expect(manual.completeFineTunes()).toBe(1);
        expect((await mc.fineTuning.jobs.retrieve(j.id)).fine_tuned_model).toBe(
          `ft:${MODEL}:usersim::${j.id.slice(6)}`,
        );
      } finally {
        await manual.close();
      }
    } finally {
      await s.close();
    }
  });

  it('answers unknown routes with 404 and bad bodies with 400 in the OpenAI error shape', async () => {
    await expect(client.get('/nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const e = (await caught(client.chat.completions.create({ model: MODEL, messages: [] }))) as BadRequestError;
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.param).toBe('messages');
  });

  it('keeps 64 requests in flight at 100 ms latency with their latencies overlapping', async () => {
    const s = await startOpenAiServer({ latencyMs: 100, record: false });
    try {
      const c = new OpenAI({ apiKey: 'x', baseURL: s.baseURL, maxRetries: 0 });
      // Warm 64 keep-alive connections first: the bench measures steady state, not TCP set-up.
      await Promise.all(
        Array.from({ length: 64 }, (_, i) =>
          c.chat.completions.create({ model: MODEL, messages: user(`warm-up ${i}`) }),
        ),
      );
      s.reset();
      const t0 = performance.now();
      const all = await Promise.all(
        Array.from({ length: 64 }, (_, i) => c.chat.completions.create({ model: MODEL, messages: user(`q${i}`) })),
      );
      const elapsed = performance.now() - t0;
      expect(all).toHaveLength(64);
      expect(elapsed).toBeGreaterThanOrEqual(95);
      expect(s.stats()).toMatchObject({ total: 64, inFlight: 0 });
      // How many overlap depends on how fast the client can send (a loaded CI box is slower); the exact count is checked below.
      expect(s.stats().maxInFlight).toBeGreaterThan(8);
      expect(s.requests).toHaveLength(0);
    } finally {
      await s.close();
    }
  });

  it('counts in-flight requests exactly and reset() clears the counters', async () => {
    server.setFaults({ script: times('timeout', 7) });
    const ctl = new AbortController();
    const pending = Array.from({ length: 7 }, () =>
      client.chat.completions
        .create({ model: MODEL, messages: user('hold') }, { signal: ctl.signal })
        .catch((e: unknown) => e),
    );
    await expect.poll(() => server.stats().inFlight, { timeout: 2000 }).toBe(7);
    expect(server.stats().maxInFlight).toBe(7);
    ctl.abort();
    expect((await Promise.all(pending)).every((e) => e instanceof OpenAI.APIUserAbortError)).toBe(true);
    await expect.poll(() => server.stats().inFlight, { timeout: 2000 }).toBe(0);
    expect(server.stats()).toMatchObject({ total: 7, maxInFlight: 7 });
    server.reset();
    expect(server.stats()).toMatchObject({ total: 0, inFlight: 0, maxInFlight: 0 });
    expect(server.requests).toHaveLength(0);
  });
});
