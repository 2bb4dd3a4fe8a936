/**
 * A local server that speaks enough of the Anthropic Messages API for the real
 * `@anthropic-ai/sdk` client: messages (text, forced tool_use, output_config
 * JSON, streaming), message batches, count_tokens and models, with fault
 * injection.
 *
 * Shapes follow node_modules/@anthropic-ai/sdk/src/resources/messages/** (1.x).
 * Things the SDK relies on that are easy to get wrong:
 * - every SSE event needs an `event:` line: the SDK silently drops events
 *   without one, and skips `ping` without parsing it;
 * - errors are `{ type: 'error', error: { type, message }, request_id }`; the
 *   SDK keeps the whole body as `err.error` and reads `err.type` from it;
 * - `batches.results(id)` first retrieves the batch (a poll!) and then GETs
 *   `results_url` as an absolute URL, so it must point back at this server;
 * - the SDK sends `anthropic-version`; the real API refuses requests without
 *   it, so this server does too (catches hand-rolled fetch calls).
 */
import {
  applyStop,
  composeContent,
  estimateTokens,
  PromptCache,
  servedModel,
  truncateToTokens,
  type PlainMessage,
  type ReplyRequest,
} from './content.js';
import { FaultPlan, STATUS_FAULTS, type FaultKind } from './faults.js';
import { HttpCore, type Exchange, type Outcome, type Reply, type SseEvent } from './http-core.js';
import type { JsonSchema } from './schema-reply.js';
import {
  echoCredential,
  IdMaker,
  isRecord,
  matchRoute,
  streamPieces,
  type BatchOutcome,
  type LlmServerOptions,
  type LlmTestServer,
  type Route,
  type RouteContext,
} from './server-api.js';

export type AnthropicServerOptions = LlmServerOptions;
export type AnthropicTestServer = LlmTestServer;

type Json = Record<string, unknown>;

/** Anthropic caches from 1024 tokens (Sonnet/Opus) at explicit cache_control breakpoints. */
const CACHE_MIN_TOKENS = 1024;
const MODELS = [
  { id: 'claude-opus-4-7', display_name: 'Claude Opus 4.7' },
  { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6' },
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5' },
];

type MessageResult = { ok: true; message: Json } | { ok: false; status: number; error: Json };

interface BatchState {
  readonly object: Json & { id: string; processing_status: string };
  readonly requests: { custom_id: string; params: unknown }[];
  polls: number;
  results: string | undefined;
}

/** One prompt piece for token counting and the prompt cache. */
interface Unit {
  readonly text: string;
  readonly tokens: number;
  readonly breakpoint: boolean;
}

function blockText(b: unknown): string {
  if (typeof b === 'string') return b;
  if (!isRecord(b)) return '';
  switch (b['type']) {
    case 'text':
      return typeof b['text'] === 'string' ? b['text'] : '';
    case 'tool_result':
      return typeof b['content'] === 'string'
        ? b['content']
        : Array.isArray(b['content'])
          ? b['content'].map(blockText).join('\n')
          : '';
    case 'tool_use':
      return JSON.stringify({ name: b['name'], input: b['input'] });
    case 'thinking':
    case 'redacted_thinking':
      return '';
    default:
      return `[${String(b['type'])}]`;
  }
}

function blocksOf(content: unknown): unknown[] {
  return typeof content === 'string' ? [content] : Array.isArray(content) ? content : [];
}

const hasBreakpoint = (b: unknown): boolean => isRecord(b) && isRecord(b['cache_control']);

function isoNow(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString();
}

class AnthropicFake {
  readonly core: HttpCore;
  readonly plan: FaultPlan;
  private readonly ids = new IdMaker();
  private readonly cache = new PromptCache();
  private readonly batches = new Map<string, BatchState>();
  private readonly batchPolls: number;
  private readonly routes: Route[];

  constructor(private readonly options: AnthropicServerOptions) {
    this.plan = new FaultPlan(options.faults, options.seed ?? 1);
    this.batchPolls = options.batchPolls ?? 2;
    this.core = new HttpCore({
      latencyMs: options.latencyMs ?? 0,
      record: options.record ?? true,
      plan: this.plan,
      route: (ex) => this.route(ex),
    });
    const r = (method: string, pattern: RegExp, handle: (ctx: RouteContext) => Reply, inference = false): Route => ({
      method,
      pattern,
      handle,
      inference,
    });
    this.routes = [
      r('POST', /^\/v1\/messages$/, (c) => this.messages(c), true),
      r('POST', /^\/v1\/messages\/count_tokens$/, (c) => this.countTokens(c)),
      r('POST', /^\/v1\/messages\/batches$/, (c) => this.createBatch(c)),
      r('GET', /^\/v1\/messages\/batches$/, () => this.page([...this.batches.values()].map((b) => b.object).reverse())),
      r('GET', /^\/v1\/messages\/batches\/([^/]+)$/, (c) =>
        this.withBatch(c.params[0]!, (b) => (this.pollBatch(b), this.ok(b.object))),
      ),
      r('GET', /^\/v1\/messages\/batches\/([^/]+)\/results$/, (c) =>
        this.withBatch(c.params[0]!, (b) => this.results(b)),
      ),
      r('POST', /^\/v1\/messages\/batches\/([^/]+)\/cancel$/, (c) =>
        this.withBatch(c.params[0]!, (b) => this.cancelBatch(b)),
      ),
      r('DELETE', /^\/v1\/messages\/batches\/([^/]+)$/, (c) =>
        this.withBatch(c.params[0]!, (b) => this.deleteBatch(b)),
      ),
      r('GET', /^\/v1\/models$/, () => this.page(MODELS.map((m) => this.modelObject(m)))),
      r('GET', /^\/v1\/models\/([^/]+)$/, (c) => {
        const m = MODELS.find((x) => x.id === c.params[0]);
        return m ? this.ok(this.modelObject(m)) : this.error(404, 'not_found_error', `model: ${c.params[0]}`);
      }),
    ];
  }

  // ---- plumbing -----------------------------------------------------------

  private route(ex: Exchange): Outcome {
    const outcome = this.answer(ex);
    return this.options.echoKey ? echoCredential(outcome, ex) : outcome;
  }

  private answer(ex: Exchange): Outcome {
    if (this.options.apiKey !== undefined) {
      const key = ex.header('x-api-key');
      const bearer = ex.header('authorization');
      // x-api-key is what `apiKey` sends; `authToken` clients send a Bearer token instead.
      if (key !== this.options.apiKey && bearer !== `Bearer ${this.options.apiKey}`) {
        return {
          fault: null,
          reply: this.error(
            401,
            'authentication_error',
            key || bearer ? 'invalid x-api-key' : 'x-api-key header is required',
          ),
        };
      }
    }
    const m = matchRoute(this.routes, ex.method, ex.pathname);
    if (!m) return { fault: null, reply: this.error(404, 'not_found_error', 'Not Found') };
    if (!ex.header('anthropic-version'))
      return { fault: null, reply: this.error(400, 'invalid_request_error', 'anthropic-version: header is required') };
    if (ex.badJson)
      return {
        fault: null,
        reply: this.error(400, 'invalid_request_error', 'There was an issue with the JSON body of your request.'),
      };
    const fault = this.plan.appliesTo(m.route.inference) ? this.plan.next() : null;
    if (fault && STATUS_FAULTS.has(fault)) return { fault, reply: this.faultReply(fault) };
    if (fault === 'timeout') return { fault, reply: { kind: 'hang' } };
    if (fault === 'reset') return { fault, reply: { kind: 'reset' } };
    return { fault, reply: m.route.handle({ ex, params: m.params, fault }) };
  }

  private headers(requestId: string, extra?: Record<string, string>): Record<string, string> {
    return {
      'request-id': requestId,
      'anthropic-organization-id': 'usersim-test',
      'anthropic-ratelimit-requests-limit': '4000',
      'anthropic-ratelimit-requests-remaining': '3999',
      ...extra,
    };
  }

  private ok(body: unknown): Reply {
    return { kind: 'json', status: 200, body, headers: this.headers(this.ids.next('req_', 24)) };
  }

  private errorBody(type: string, message: string, requestId: string): Json {
    return { type: 'error', error: { type, message }, request_id: requestId };
  }

  private error(status: number, type: string, message: string, extra?: Record<string, string>): Reply {
    const requestId = this.ids.next('req_', 24);
    return {
      kind: 'json',
      status,
      body: this.errorBody(type, message, requestId),
      headers: this.headers(requestId, extra),
    };
  }

  private page(data: readonly Json[]): Reply {
    return this.ok({
      data,
      has_more: false,
      first_id: data[0]?.['id'] ?? null,
      last_id: data[data.length - 1]?.['id'] ?? null,
    });
  }

  private faultReply(fault: FaultKind): Reply {
    switch (fault) {
      case 'rateLimit':
        // Anthropic sends whole seconds in retry-after and no retry-after-ms.
        return this.error(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit.', {
          'retry-after': String(this.plan.retryAfterSeconds),
          'anthropic-ratelimit-requests-remaining': '0',
          'anthropic-ratelimit-requests-reset': isoNow(this.plan.retryAfterSeconds * 1000),
        });
      case 'rateLimitNoRetryAfter':
        return this.error(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit.', {
          'anthropic-ratelimit-requests-remaining': '0',
        });
      case 'serverError':
        return this.error(500, 'api_error', 'Internal server error');
      case 'unavailable':
        return this.error(503, 'api_error', 'Service unavailable');
      case 'overloaded':
        return this.error(529, 'overloaded_error', 'Overloaded');
      case 'badRequest':
        return this.error(400, 'invalid_request_error', 'The request could not be processed.');
      default:
        throw new Error(`not a status fault: ${fault}`);
    }
  }

  // ---- messages -----------------------------------------------------------

  private messages({ ex, fault }: RouteContext): Reply {
    const r = this.makeMessage(ex.json, fault === 'schemaInvalid');
    if (!r.ok)
      return { kind: 'json', status: r.status, body: r.error, headers: this.headers(String(r.error['request_id'])) };
    if (isRecord(ex.json) && ex.json['stream'] === true)
      return { kind: 'sse', events: this.toEvents(r.message), headers: this.headers(this.ids.next('req_', 24)) };
    return this.ok(r.message);
  }

  /** Validate a Messages request and reduce it to plain messages and prompt units. */
  private parse(
    raw: unknown,
  ): { ok: true; body: Json; plain: PlainMessage[]; units: Unit[] } | { ok: false; message: string } {
    if (!isRecord(raw)) return { ok: false, message: 'The request body must be a JSON object.' };
    if (typeof raw['model'] !== 'string' || raw['model'] === '') return { ok: false, message: 'model: Field required' };
    const messages = raw['messages'];
    if (!Array.isArray(messages) || messages.length === 0)
      return { ok: false, message: 'messages: at least one message is required' };
    for (const m of messages) {
      if (!isRecord(m) || (m['role'] !== 'user' && m['role'] !== 'assistant')) {
        const role = isRecord(m) ? JSON.stringify(m['role']) : 'none';
        return {
          ok: false,
          message: `messages: Unexpected role ${role}. The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`,
        };
      }
    }
    const plain: PlainMessage[] = [];
    const units: Unit[] = [];
    const unit = (text: string, breakpoint: boolean, overhead = 0): void =>
      void units.push({ text, tokens: estimateTokens(text) + overhead, breakpoint });
    // Cache order is tools → system → messages, as the API documents.
    if (Array.isArray(raw['tools'])) for (const t of raw['tools']) unit(JSON.stringify(t), hasBreakpoint(t));
    const system = raw['system'];
    if (system !== undefined) {
      const blocks = blocksOf(system);
      plain.push({ role: 'system', content: blocks.map(blockText).join('\n') });
      for (const b of blocks) unit(blockText(b), hasBreakpoint(b));
    }
    for (const m of messages as Json[]) {
      const blocks = blocksOf(m['content']);
      plain.push({ role: String(m['role']), content: blocks.map(blockText).join('\n') });
      blocks.forEach((b, i) => unit(String(m['role']) + ':' + blockText(b), hasBreakpoint(b), i === 0 ? 3 : 0));
    }
    return { ok: true, body: raw, plain, units };
  }

  private countTokens({ ex }: RouteContext): Reply {
    const p = this.parse(ex.json);
    if (!p.ok) return this.error(400, 'invalid_request_error', p.message);
    return this.ok({ input_tokens: p.units.reduce((a, u) => a + u.tokens, 0) + 3 });
  }

  /** One Message for a request body; shared by the live endpoint and batches. */
  makeMessage(raw: unknown, invalid: boolean, customId?: string): MessageResult {
    const bad = (message: string): MessageResult => ({
      ok: false,
      status: 400,
      error: this.errorBody('invalid_request_error', message, this.ids.next('req_', 24)),
    });
    const p = this.parse(raw);
    if (!p.ok) return bad(p.message);
    const { body, plain, units } = p;
    const maxTokens = body['max_tokens'];
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
      return bad('max_tokens: Field required');
    const model = String(body['model']);

    let schema: JsonSchema | undefined;
    let tool: { name: string } | undefined;
    const tools = Array.isArray(body['tools'])
      ? (body['tools'] as unknown[]).filter((t): t is Json => isRecord(t) && isRecord(t['input_schema']))
      : [];
    const choice = body['tool_choice'];
    if (isRecord(choice) && choice['type'] === 'tool') {
      const t = tools.find((x) => x['name'] === choice['name']);
      if (!t) return bad(`tool_choice: tool ${JSON.stringify(choice['name'])} not found in tools`);
      tool = { name: String(t['name']) };
      schema = t['input_schema'] as JsonSchema;
    } else if (isRecord(choice) && choice['type'] === 'any' && tools.length > 0) {
      tool = { name: String(tools[0]!['name']) };
      schema = tools[0]!['input_schema'] as JsonSchema;
    } else {
      // Structured outputs without a tool: output_config.format (GA) or output_format (beta).
      const oc = isRecord(body['output_config']) ? body['output_config']['format'] : body['output_format'];
      if (isRecord(oc) && oc['type'] === 'json_schema') schema = isRecord(oc['schema']) ? oc['schema'] : {};
    }

    const req: ReplyRequest = {
      provider: 'anthropic',
      model,
      messages: plain,
      schema,
      wantsJson: schema !== undefined,
      body,
      choice: 0,
      ...(customId !== undefined ? { customId } : {}),
    };
    let text = composeContent(req, this.options.reply, invalid);
    let stopReason = tool ? 'tool_use' : 'end_turn';
    let stopSequence: string | null = null;
    const stops = Array.isArray(body['stop_sequences'])
      ? body['stop_sequences'].filter((s): s is string => typeof s === 'string')
      : [];
    const stopped = applyStop(text, stops);
    if (stopped.stopped !== null) {
      text = stopped.text;
      stopReason = 'stop_sequence';
      stopSequence = stopped.stopped;
    }
    if (estimateTokens(text) > maxTokens) {
      text = truncateToTokens(text, maxTokens);
      stopReason = 'max_tokens';
      stopSequence = null;
    }
    let content: Json[];
    let input: unknown;
    let parsed = false;
    if (tool) {
      try {
        input = JSON.parse(text);
        parsed = true;
      } catch {
        // Unparseable tool input (scripted, or cut by max_tokens): the model "answered in prose".
      }
    }
    if (tool && parsed) {
      content = [
        { type: 'tool_use', id: this.ids.next('toolu_', 24), name: tool.name, input, caller: { type: 'direct' } },
      ];
    } else {
      content = [{ type: 'text', text, citations: null }];
      if (stopReason === 'tool_use') stopReason = 'end_turn';
    }

    // Usage, with prompt caching at cache_control breakpoints.
    const total = units.reduce((a, u) => a + u.tokens, 0) + 3;
    let read = 0;
    let created = 0;
    const segments: [string, number][] = [];
    let accText = '';
    let accTokens = 0;
    for (const u of units) {
      accText += '\u0000' + u.text;
      accTokens += u.tokens;
      if (u.breakpoint) {
        segments.push([accText, accTokens]);
        accText = '';
        accTokens = 0;
      }
    }
    const cacheable = segments.reduce((a, [, t]) => a + t, 0);
    if ((this.options.promptCache ?? true) && cacheable >= CACHE_MIN_TOKENS) {
      read = this.cache.lookupAndStore(segments).hitTokens;
      created = cacheable - read;
    }
    const outputTokens = Math.max(1, estimateTokens(tool && parsed ? JSON.stringify(input) : text));
    return {
      ok: true,
      message: {
        id: this.ids.next('msg_', 24),
        type: 'message',
        role: 'assistant',
        model: servedModel('anthropic', model),
        content,
        stop_reason: stopReason,
        stop_sequence: stopSequence,
        stop_details: null,
        container: null,
        usage: {
          input_tokens: total - read - created,
          output_tokens: outputTokens,
          cache_creation_input_tokens: created,
          cache_read_input_tokens: read,
          cache_creation: { ephemeral_5m_input_tokens: created, ephemeral_1h_input_tokens: 0 },
          server_tool_use: null,
          service_tier: 'standard',
        },
      },
    };
  }

  /** The Message as the raw stream events the SDK's Stream / MessageStream accumulate. */
  private toEvents(message: Json): SseEvent[] {
    const ev = (type: string, payload: Json = {}): SseEvent => ({
      event: type,
      data: JSON.stringify({ type, ...payload }),
    });
    const usage = message['usage'] as Json;
    const events: SseEvent[] = [
      ev('message_start', {
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      }),
      ev('ping'),
    ];
    (message['content'] as Json[]).forEach((block, index) => {
      if (block['type'] === 'tool_use') {
        events.push(ev('content_block_start', { index, content_block: { ...block, input: {} } }));
        for (const piece of streamPieces(JSON.stringify(block['input'])))
          events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
      } else {
        events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } }));
        for (const piece of streamPieces(String(block['text'])))
          events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
      }
      events.push(ev('content_block_stop', { index }));
    });
    events.push(
      ev('message_delta', {
        delta: {
          stop_reason: message['stop_reason'],
          stop_sequence: message['stop_sequence'],
          stop_details: null,
          container: null,
        },
        usage: {
          output_tokens: usage['output_tokens'],
          input_tokens: usage['input_tokens'],
          cache_creation_input_tokens: usage['cache_creation_input_tokens'],
          cache_read_input_tokens: usage['cache_read_input_tokens'],
          server_tool_use: null,
        },
      }),
      ev('message_stop'),
    );
    return events;
  }

  // ---- message batches ----------------------------------------------------

  private withBatch(id: string, f: (b: BatchState) => Reply): Reply {
    const b = this.batches.get(id);
    return b ? f(b) : this.error(404, 'not_found_error', `message_batch_id: ${id} not found`);
  }

  private createBatch({ ex }: RouteContext): Reply {
    const body = isRecord(ex.json) ? ex.json : {};
    const requests = body['requests'];
    if (!Array.isArray(requests) || requests.length === 0)
      return this.error(400, 'invalid_request_error', 'requests: at least one request is required');
    const seen = new Set<string>();
    for (const [i, r] of requests.entries()) {
      const id = isRecord(r) ? r['custom_id'] : undefined;
      if (typeof id !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(id))
        return this.error(400, 'invalid_request_error', `requests.${i}.custom_id: must match ^[a-zA-Z0-9_-]{1,64}$`);
      if (seen.has(id)) return this.error(400, 'invalid_request_error', `requests: custom_id ${id} is not unique`);
      seen.add(id);
      if (!isRecord((r as Json)['params']))
        return this.error(400, 'invalid_request_error', `requests.${i}.params: Field required`);
    }
    const object = {
      id: this.ids.next('msgbatch_', 24),
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: requests.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      created_at: isoNow(),
      expires_at: isoNow(86_400_000),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: null,
    } as Json & { id: string; processing_status: string };
    this.batches.set(object.id, {
      object,
      requests: requests as { custom_id: string; params: unknown }[],
      polls: 0,
      results: undefined,
    });
    return this.ok(object);
  }

  private pollBatch(b: BatchState): void {
    b.polls++;
    if (b.object.processing_status === 'canceling') this.endBatch(b, 'canceled');
    else if (b.object.processing_status === 'in_progress' && b.polls >= this.batchPolls) this.endBatch(b, 'completed');
  }

  /**
   * 'completed' runs every request; 'expired' / 'canceled' mark them all so;
   * 'failed' (no such batch state at Anthropic) makes every request errored.
   */
  private endBatch(b: BatchState, outcome: BatchOutcome | 'canceled'): void {
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    const lines: string[] = [];
    for (const r of b.requests) {
      let result: Json;
      if (outcome === 'canceled' || outcome === 'expired') {
        result = { type: outcome };
        counts[outcome]++;
      } else if (outcome === 'failed') {
        result = {
          type: 'errored',
          error: this.errorBody('api_error', 'Injected batch failure (test server).', this.ids.next('req_', 24)),
        };
        counts.errored++;
      } else {
        const m = this.makeMessage(r.params, false, r.custom_id);
        if (m.ok) {
          result = { type: 'succeeded', message: m.message };
          counts.succeeded++;
        } else {
          result = { type: 'errored', error: m.error };
          counts.errored++;
        }
      }
      lines.push(JSON.stringify({ custom_id: r.custom_id, result }));
    }
    b.results = lines.join('\n') + '\n';
    Object.assign(b.object, {
      processing_status: 'ended',
      ended_at: isoNow(),
      request_counts: counts,
      // Absolute: the SDK GETs it as is, so it must lead back here, not to api.anthropic.com.
      results_url: `http://127.0.0.1:${this.core.port}/v1/messages/batches/${b.object.id}/results`,
    });
  }

  private results(b: BatchState): Reply {
    if (b.results === undefined)
      return this.error(
        400,
        'invalid_request_error',
        `Batch ${b.object.id} has not ended yet; results are not available.`,
      );
    return {
      kind: 'bytes',
      status: 200,
      body: b.results,
      contentType: 'application/binary',
      headers: this.headers(this.ids.next('req_', 24)),
    };
  }

  private cancelBatch(b: BatchState): Reply {
    if (b.object.processing_status === 'in_progress')
      Object.assign(b.object, { processing_status: 'canceling', cancel_initiated_at: isoNow() });
    return this.ok(b.object);
  }

  private deleteBatch(b: BatchState): Reply {
    if (b.object.processing_status !== 'ended')
      return this.error(
        400,
        'invalid_request_error',
        `Batch ${b.object.id} cannot be deleted while processing; cancel it first.`,
      );
    this.batches.delete(b.object.id);
    return this.ok({ id: b.object.id, type: 'message_batch_deleted' });
  }

  completeBatches(outcome: BatchOutcome): number {
    let n = 0;
    for (const b of this.batches.values()) {
      if (b.object.processing_status === 'canceling') this.endBatch(b, 'canceled');
      else if (b.object.processing_status === 'in_progress') this.endBatch(b, outcome);
      else continue;
      n++;
    }
    return n;
  }

  private modelObject(m: { id: string; display_name: string }): Json {
    return { type: 'model', id: m.id, display_name: m.display_name, created_at: '2025-01-01T00:00:00Z' };
  }

  resetState(): void {
    this.cache.clear();
    this.plan.restart();
  }
}

/**
 * Start an Anthropic-compatible server on 127.0.0.1 with a random port.
 * `baseURL` has no /v1: the SDK adds /v1/messages itself.
 *
 * ```ts
 * const server = await startAnthropicServer({ apiKey: 'sk-ant-test' });
 * const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseURL, maxRetries: 0 });
 * ```
 */
export async function startAnthropicServer(options: AnthropicServerOptions = {}): Promise<AnthropicTestServer> {
  const fake = new AnthropicFake(options);
  const port = await fake.core.listen();
  return {
    baseURL: `http://127.0.0.1:${port}`,
    port,
    requests: fake.core.requests,
    requestCount: () => fake.core.stats().total,
    stats: () => fake.core.stats(),
    reset: () => {
      fake.core.reset();
      fake.resetState();
    },
    setFaults: (f) => fake.plan.set(f),
    completeBatches: (outcome = 'completed') => fake.completeBatches(outcome),
    close: () => fake.core.close(),
  };
}
