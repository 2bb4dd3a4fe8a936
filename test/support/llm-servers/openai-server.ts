/**
 * A local server that speaks enough of the OpenAI REST API for the real
 * `openai` SDK: chat completions (plain, structured, tool-forced, streamed),
 * files, batches, fine-tuning jobs and models, with fault injection.
 *
 * Shapes follow node_modules/openai/src/resources/** (v6). Things the SDK
 * relies on that are easy to get wrong:
 * - success bodies must be `content-type: application/json` or the SDK hands
 *   back the raw text instead of an object;
 * - errors are `{ error: { message, type, param, code } }`; the SDK takes
 *   `.error` as the error object and builds the class from the status alone;
 * - streams are bare `data:` SSE lines (no `event:`), ended by `data: [DONE]`;
 *   a `data` object with an `error` key is thrown as an APIError;
 * - retry hints: `retry-after-ms` wins over `retry-after`, both parseFloat'ed.
 */
import {
  applyStop,
  composeContent,
  estimateTokens,
  PromptCache,
  servedModel,
  sha256,
  truncateToTokens,
  type PlainMessage,
  type ReplyRequest,
} from './content.js';
import { FaultPlan, STATUS_FAULTS, type FaultKind } from './faults.js';
import { HttpCore, type Exchange, type Outcome, type Reply, type SseEvent } from './http-core.js';
import type { JsonSchema } from './schema-reply.js';
import {
  IdMaker,
  isRecord,
  matchRoute,
  nowSeconds,
  streamPieces,
  type BatchOutcome,
  type LlmServerOptions,
  type LlmTestServer,
  type Route,
  type RouteContext,
  echoCredential,
} from './server-api.js';

export interface OpenAiServerOptions extends LlmServerOptions {
  /** Fine-tuning jobs succeed on their N-th retrieve. Default 2. `Infinity`: only `completeFineTunes()` finishes them. */
  readonly fineTunePolls?: number;
  /**
   * `response_format` types the "model" does not support: a request using one
   * gets 400, as from a server without guided decoding for it.
   */
  readonly rejectResponseFormats?: readonly ('json_schema' | 'json_object')[];
  /**
   * After this many chat completions, the key is revoked: every later request
   * gets 401 invalid_api_key (a key rotated or a budget cut mid-run).
   */
  readonly revokeKeyAfter?: number;
}

export interface OpenAiTestServer extends LlmTestServer {
  /** Finish every fine-tuning job that is still going: succeeded, or failed when its training file is invalid. Returns how many changed. */
  completeFineTunes(): number;
  /** The bytes of an uploaded or generated file (batch output, fine-tune results), for assertions. */
  fileContent(id: string): Buffer | undefined;
}

/** Models listed by GET /v1/models (plus succeeded fine-tunes). Requests may name any model. */
const BASE_MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'gpt-5-mini'];
const FILE_PURPOSES = new Set(['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals']);
/** The real API refuses training files with fewer examples; so do we, so harness bugs show up here first. */
export const MIN_FINE_TUNE_EXAMPLES = 10;
/** Prompt caching: OpenAI caches prompts from 1024 tokens, in 128-token steps. */
const CACHE_MIN_TOKENS = 1024;
const CACHE_STEP = 128;

type Json = Record<string, unknown>;

interface StoredFile {
  readonly object: Json & { id: string; purpose: string };
  readonly data: Buffer;
}

interface BatchLine {
  readonly custom_id: string;
  readonly body: Json;
}

interface BatchState {
  readonly object: Json & { id: string; status: string };
  polls: number;
  lines: BatchLine[] | undefined;
}

interface JobState {
  readonly object: Json & { id: string; status: string };
  readonly shortId: string;
  polls: number;
  readonly events: Json[];
}

/** Result of making one chat completion: the body, or an error to answer with. */
type CompletionResult =
  | { ok: true; completion: Json; forcedTool: boolean }
  | { ok: false; status: number; error: Json };

function oaiErrorBody(message: string, type: string, code: string | null = null, param: string | null = null): Json {
  return { error: { message, type, param, code } };
}

function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: unknown) => {
      if (!isRecord(p)) return '';
      if (p['type'] === 'text' && typeof p['text'] === 'string') return p['text'];
      if (p['type'] === 'refusal' && typeof p['refusal'] === 'string') return p['refusal'];
      return `[${String(p['type'])}]`;
    })
    .join('\n');
}

function flattenMessages(messages: readonly Json[]): PlainMessage[] {
  return messages.map((m) => {
    let content = textOfContent(m['content']);
    if (Array.isArray(m['tool_calls']))
      content += JSON.stringify(m['tool_calls'].map((c: unknown) => (isRecord(c) ? c['function'] : c)));
    return { role: String(m['role']), content };
  });
}

class OpenAiFake {
  readonly core: HttpCore;
  readonly plan: FaultPlan;
  private readonly ids = new IdMaker();
  private readonly cache = new PromptCache();
  private readonly files = new Map<string, StoredFile>();
  private readonly batches = new Map<string, BatchState>();
  private readonly jobs = new Map<string, JobState>();
  private readonly batchPolls: number;
  private readonly fineTunePolls: number;
  private readonly routes: Route[];

  constructor(private readonly options: OpenAiServerOptions) {
    this.plan = new FaultPlan(options.faults, options.seed ?? 1);
    this.batchPolls = options.batchPolls ?? 2;
    this.fineTunePolls = options.fineTunePolls ?? 2;
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
      r('POST', /^\/v1\/chat\/completions$/, (c) => this.chatCompletions(c), true),
      r('POST', /^\/v1\/files$/, (c) => this.createFile(c)),
      r('GET', /^\/v1\/files$/, () => this.list([...this.files.values()].map((f) => f.object))),
      r('GET', /^\/v1\/files\/([^/]+)$/, (c) => this.withFile(c.params[0]!, (f) => this.ok(f.object))),
      r('DELETE', /^\/v1\/files\/([^/]+)$/, (c) =>
        this.withFile(
          c.params[0]!,
          (f) => (this.files.delete(f.object.id), this.ok({ id: f.object.id, object: 'file', deleted: true })),
        ),
      ),
      r('GET', /^\/v1\/files\/([^/]+)\/content$/, (c) =>
        this.withFile(c.params[0]!, (f) => ({
          kind: 'bytes',
          status: 200,
          body: f.data,
          contentType: 'application/octet-stream',
          headers: this.headers(),
        })),
      ),
      r('POST', /^\/v1\/batches$/, (c) => this.createBatch(c)),
      r('GET', /^\/v1\/batches$/, () => this.list([...this.batches.values()].map((b) => b.object).reverse())),
      r('GET', /^\/v1\/batches\/([^/]+)$/, (c) =>
        this.withBatch(c.params[0]!, (b) => (this.pollBatch(b), this.ok(b.object))),
      ),
      r('POST', /^\/v1\/batches\/([^/]+)\/cancel$/, (c) => this.withBatch(c.params[0]!, (b) => this.cancelBatch(b))),
      r('POST', /^\/v1\/fine_tuning\/jobs$/, (c) => this.createJob(c)),
      r('GET', /^\/v1\/fine_tuning\/jobs$/, () => this.list([...this.jobs.values()].map((j) => j.object).reverse())),
      r('GET', /^\/v1\/fine_tuning\/jobs\/([^/]+)$/, (c) =>
        this.withJob(c.params[0]!, (j) => (this.pollJob(j), this.ok(j.object))),
      ),
      r('GET', /^\/v1\/fine_tuning\/jobs\/([^/]+)\/events$/, (c) =>
        this.withJob(c.params[0]!, (j) => this.list([...j.events].reverse())),
      ),
      r('POST', /^\/v1\/fine_tuning\/jobs\/([^/]+)\/cancel$/, (c) =>
        this.withJob(c.params[0]!, (j) => this.cancelJob(j)),
      ),
      r('GET', /^\/v1\/models$/, () => this.list(this.models())),
      r('GET', /^\/v1\/models\/(.+)$/, (c) => {
        const m = this.models().find((x) => x['id'] === c.params[0]);
        return m
          ? this.ok(m)
          : this.error(
              404,
              `The model '${c.params[0]}' does not exist`,
              'invalid_request_error',
              'model_not_found',
              'model',
            );
      }),
    ];
  }

  // ---- plumbing -----------------------------------------------------------

  private completions = 0;

  private route(ex: Exchange): Outcome {
    const outcome = this.answer(ex);
    return this.options.echoKey ? echoCredential(outcome, ex) : outcome;
  }

  private answer(ex: Exchange): Outcome {
    const revokeAfter = this.options.revokeKeyAfter;
    if (revokeAfter !== undefined && this.completions >= revokeAfter)
      return {
        fault: null,
        reply: this.error(
          401,
          'Incorrect API key provided: the key was revoked.',
          'invalid_request_error',
          'invalid_api_key',
        ),
      };
    if (this.options.apiKey !== undefined) {
      const auth = ex.header('authorization');
      if (auth !== `Bearer ${this.options.apiKey}`) {
        // Never echo the key back (the real API shows a masked one).
        const message = auth
          ? 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.'
          : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
        return {
          fault: null,
          reply: this.error(401, message, 'invalid_request_error', auth ? 'invalid_api_key' : null),
        };
      }
    }
    const m = matchRoute(this.routes, ex.method, ex.pathname);
    if (!m)
      return {
        fault: null,
        reply: this.error(404, `Invalid URL (${ex.method} ${ex.pathname})`, 'invalid_request_error'),
      };
    if (ex.badJson) {
      return {
        fault: null,
        reply: this.error(
          400,
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
          'invalid_request_error',
        ),
      };
    }
    const fault = this.plan.appliesTo(m.route.inference) ? this.plan.next() : null;
    if (fault && STATUS_FAULTS.has(fault)) return { fault, reply: this.faultReply(fault) };
    if (fault === 'timeout') return { fault, reply: { kind: 'hang' } };
    if (fault === 'reset') return { fault, reply: { kind: 'reset' } };
    return { fault, reply: m.route.handle({ ex, params: m.params, fault }) };
  }

  /** Headers every real response carries; tests of request-id logging and rate-limit reading rely on them. */
  private headers(extra?: Record<string, string>): Record<string, string> {
    return {
      'x-request-id': this.ids.next('req_', 24),
      'openai-version': '2020-10-01',
      'openai-organization': 'usersim-test',
      'openai-processing-ms': String(this.options.latencyMs ?? 0),
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
      ...extra,
    };
  }

  private ok(body: unknown): Reply {
    return { kind: 'json', status: 200, body, headers: this.headers() };
  }

  private error(
    status: number,
    message: string,
    type: string,
    code: string | null = null,
    param: string | null = null,
    headers?: Record<string, string>,
  ): Reply {
    return { kind: 'json', status, body: oaiErrorBody(message, type, code, param), headers: this.headers(headers) };
  }

  private list(data: readonly Json[]): Reply {
    const first = data[0]?.['id'] ?? null;
    const last = data[data.length - 1]?.['id'] ?? null;
    return this.ok({ object: 'list', data, first_id: first, last_id: last, has_more: false });
  }

  private faultReply(fault: FaultKind): Reply {
    switch (fault) {
      case 'rateLimit':
        return this.error(
          429,
          `Rate limit reached for requests. Please try again in ${this.plan.retryAfterSeconds}s.`,
          'requests',
          'rate_limit_exceeded',
          null,
          {
            'retry-after': String(this.plan.retryAfterSeconds),
            'retry-after-ms': String(this.plan.retryAfterMs),
            'x-ratelimit-remaining-requests': '0',
            'x-ratelimit-reset-requests': `${this.plan.retryAfterSeconds}s`,
          },
        );
      case 'rateLimitNoRetryAfter':
        return this.error(429, 'Rate limit reached for requests.', 'requests', 'rate_limit_exceeded', null, {
          'x-ratelimit-remaining-requests': '0',
        });
      case 'serverError':
        return this.error(
          500,
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
        );
      case 'unavailable':
        return this.error(503, 'The server is overloaded or not ready yet.', 'server_error');
      case 'overloaded':
        return this.error(
          503,
          'The engine is currently overloaded, please try again later.',
          'server_error',
          'overloaded',
        );
      case 'badRequest':
        return this.error(400, 'Invalid request: the request could not be processed.', 'invalid_request_error');
      default:
        throw new Error(`not a status fault: ${fault}`);
    }
  }

  // ---- chat completions ---------------------------------------------------

  private chatCompletions({ ex, fault }: RouteContext): Reply {
    this.completions++;
    const rf = isRecord(ex.json) && isRecord(ex.json['response_format']) ? ex.json['response_format']['type'] : null;
    if (typeof rf === 'string' && (this.options.rejectResponseFormats as readonly string[] | undefined)?.includes(rf))
      return this.error(
        400,
        `response_format type '${rf}' is not supported by this model`,
        'invalid_request_error',
        'unsupported_parameter',
        'response_format',
      );
    const result = this.makeCompletion(ex.json, fault === 'schemaInvalid');
    if (!result.ok) return { kind: 'json', status: result.status, body: result.error, headers: this.headers() };
    const body = ex.json as Json;
    if (body['stream'] === true) {
      const includeUsage = isRecord(body['stream_options']) && body['stream_options']['include_usage'] === true;
      return { kind: 'sse', events: this.toChunks(result.completion, includeUsage), headers: this.headers() };
    }
    return this.ok(result.completion);
  }

  /** One chat completion for a request body; shared by the live endpoint and batches. */
  makeCompletion(raw: unknown, invalid: boolean, customId?: string): CompletionResult {
    const bad = (message: string, param: string | null, code: string | null = null): CompletionResult => ({
      ok: false,
      status: 400,
      error: oaiErrorBody(message, 'invalid_request_error', code, param),
    });
    if (!isRecord(raw)) return bad('The request body must be a JSON object.', null);
    const body = raw;
    const model = body['model'];
    if (typeof model !== 'string' || model === '') return bad('you must provide a model parameter', 'model');
    const messages = body['messages'];
    if (!Array.isArray(messages) || messages.length === 0)
      return bad("[] is too short - 'messages'", 'messages', 'empty_array');
    if (!messages.every((m) => isRecord(m) && typeof m['role'] === 'string'))
      return bad("Invalid 'messages': every message needs a role.", 'messages');
    const n = body['n'] ?? 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128)
      return bad(`${String(n)} is not valid for 'n'`, 'n');

    const plain = flattenMessages(messages as Json[]);
    let schema: JsonSchema | undefined;
    let wantsJson = false;
    const rf = body['response_format'];
    if (isRecord(rf) && rf['type'] === 'json_schema') {
      const js = rf['json_schema'];
      if (!isRecord(js) || typeof js['name'] !== 'string')
        return bad(
          "Missing required parameter: 'response_format.json_schema.name'.",
          'response_format.json_schema.name',
          'missing_required_parameter',
        );
      schema = isRecord(js['schema']) ? js['schema'] : {};
      wantsJson = true;
    } else if (isRecord(rf) && rf['type'] === 'json_object') {
      wantsJson = true;
    }
    // A forced function call is the other way to get structured output.
    let tool: { name: string; forced: 'named' | 'required' } | undefined;
    const tools = Array.isArray(body['tools']) ? (body['tools'] as unknown[]).filter(isRecord) : [];
    const choice = body['tool_choice'];
    const fnOf = (t: Json): Json => (isRecord(t['function']) ? t['function'] : {});
    if (isRecord(choice) && choice['type'] === 'function' && isRecord(choice['function'])) {
      const name = String(choice['function']['name']);
      const t = tools.find((x) => fnOf(x)['name'] === name);
      if (!t) return bad(`Invalid value for 'tool_choice': tool '${name}' is not in 'tools'.`, 'tool_choice');
      tool = { name, forced: 'named' };
      schema = isRecord(fnOf(t)['parameters'])
        ? (fnOf(t)['parameters'] as JsonSchema)
        : { type: 'object', properties: {} };
      wantsJson = true;
    } else if (choice === 'required' && tools.length > 0) {
      const t = tools[0]!;
      tool = { name: String(fnOf(t)['name']), forced: 'required' };
      schema = isRecord(fnOf(t)['parameters'])
        ? (fnOf(t)['parameters'] as JsonSchema)
        : { type: 'object', properties: {} };
      wantsJson = true;
    }

    // Usage: tools and response format are part of the prompt, as with the real API.
    const units: [string, number][] = [];
    const preamble = JSON.stringify([body['tools'] ?? null, body['response_format'] ?? null]);
    if (preamble !== '[null,null]') units.push([preamble, estimateTokens(preamble)]);
    for (const m of plain) units.push([JSON.stringify(m), estimateTokens(m.content) + 4]);
    const promptTokens = units.reduce((a, [, t]) => a + t, 0) + 3;
    let cached = 0;
    if (this.options.promptCache ?? true) {
      const { hitTokens } = this.cache.lookupAndStore(units);
      cached =
        hitTokens >= CACHE_MIN_TOKENS ? Math.min(promptTokens, Math.floor(hitTokens / CACHE_STEP) * CACHE_STEP) : 0;
    }

    const maxTokens =
      typeof body['max_completion_tokens'] === 'number'
        ? body['max_completion_tokens']
        : typeof body['max_tokens'] === 'number'
          ? body['max_tokens']
          : undefined;
    const stops =
      typeof body['stop'] === 'string'
        ? [body['stop']]
        : Array.isArray(body['stop'])
          ? body['stop'].filter((s): s is string => typeof s === 'string')
          : [];
    const choices: Json[] = [];
    let completionTokens = 0;
    for (let i = 0; i < n; i++) {
      const req: ReplyRequest = {
        provider: 'openai',
        model,
        messages: plain,
        schema,
        wantsJson,
        body,
        choice: i,
        ...(customId !== undefined ? { customId } : {}),
      };
      let text = composeContent(req, this.options.reply, invalid);
      let finish = 'stop';
      const stopped = applyStop(text, stops);
      text = stopped.text;
      if (maxTokens !== undefined && estimateTokens(text) > maxTokens) {
        text = truncateToTokens(text, maxTokens);
        finish = 'length';
      }
      completionTokens += Math.max(1, estimateTokens(text));
      const message: Json = tool
        ? {
            role: 'assistant',
            content: null,
            refusal: null,
            annotations: [],
            tool_calls: [
              { id: this.ids.next('call_', 24), type: 'function', function: { name: tool.name, arguments: text } },
            ],
          }
        : { role: 'assistant', content: text, refusal: null, annotations: [] };
      if (tool && finish === 'stop' && tool.forced === 'required') finish = 'tool_calls';
      choices.push({ index: i, message, logprobs: null, finish_reason: finish });
    }
    const served = servedModel('openai', model);
    return {
      ok: true,
      forcedTool: tool !== undefined,
      completion: {
        id: this.ids.next('chatcmpl-', 24),
        object: 'chat.completion',
        created: nowSeconds(),
        model: served,
        choices,
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
        service_tier: 'default',
        system_fingerprint: `fp_${sha256(served).slice(0, 10)}`,
      },
    };
  }

  /** The same completion as `chat.completion.chunk` events, as the SDK's Stream and ChatCompletionStream expect. */
  private toChunks(c: Json, includeUsage: boolean): SseEvent[] {
    const base = {
      id: c['id'],
      object: 'chat.completion.chunk',
      created: c['created'],
      model: c['model'],
      service_tier: c['service_tier'],
      system_fingerprint: c['system_fingerprint'],
    };
    const chunk = (choices: Json[], extra?: Json): SseEvent => ({
      data: JSON.stringify({ ...base, choices, ...(includeUsage ? { usage: null } : {}), ...extra }),
    });
    const events: SseEvent[] = [];
    for (const ch of c['choices'] as Json[]) {
      const index = ch['index'];
      const msg = ch['message'] as Json;
      const delta = (d: Json, finish: string | null = null): Json => ({
        index,
        delta: d,
        logprobs: null,
        finish_reason: finish,
      });
      const calls = msg['tool_calls'] as Json[] | undefined;
      if (calls) {
        const call = calls[0]!;
        const fn = call['function'] as Json;
        events.push(
          chunk([
            delta({
              role: 'assistant',
              content: null,
              refusal: null,
              tool_calls: [
                { index: 0, id: call['id'], type: 'function', function: { name: fn['name'], arguments: '' } },
              ],
            }),
          ]),
        );
        for (const piece of streamPieces(String(fn['arguments'])))
          events.push(chunk([delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] })]));
      } else {
        events.push(chunk([delta({ role: 'assistant', content: '', refusal: null })]));
        for (const piece of streamPieces(String(msg['content']))) events.push(chunk([delta({ content: piece })]));
      }
      events.push(chunk([delta({}, ch['finish_reason'] as string)]));
    }
    if (includeUsage) events.push({ data: JSON.stringify({ ...base, choices: [], usage: c['usage'] }) });
    events.push({ data: '[DONE]' });
    return events;
  }

  // ---- files --------------------------------------------------------------

  private withFile(id: string, f: (file: StoredFile) => Reply): Reply {
    const file = this.files.get(id);
    return file ? f(file) : this.error(404, `No such File object: ${id}`, 'invalid_request_error', null, 'id');
  }

  storeFile(filename: string, purpose: string, data: Buffer): StoredFile {
    const id = this.ids.next('file-', 22);
    const created = nowSeconds();
    const object = {
      id,
      object: 'file',
      bytes: data.length,
      created_at: created,
      filename,
      purpose,
      status: 'processed',
      status_details: null,
      expires_at: purpose === 'batch' ? created + 30 * 86400 : null,
    };
    const stored = { object, data };
    this.files.set(id, stored);
    return stored;
  }

  fileContent(id: string): Buffer | undefined {
    return this.files.get(id)?.data;
  }

  private createFile({ ex }: RouteContext): Reply {
    if (!ex.multipart) return this.error(400, 'Expected a multipart/form-data body.', 'invalid_request_error');
    const purpose = ex.multipart.find((p) => p.field === 'purpose' && p.filename === undefined)?.data.toString('utf8');
    const file = ex.multipart.find((p) => p.field === 'file' && p.filename !== undefined);
    if (!file)
      return this.error(
        400,
        "Missing required parameter: 'file'.",
        'invalid_request_error',
        'missing_required_parameter',
        'file',
      );
    if (!purpose || !FILE_PURPOSES.has(purpose)) {
      return this.error(
        400,
        `'${purpose ?? ''}' is not one of ${[...FILE_PURPOSES].map((p) => `'${p}'`).join(', ')} - 'purpose'`,
        'invalid_request_error',
        null,
        'purpose',
      );
    }
    return this.ok(this.storeFile(file.filename!, purpose, file.data).object);
  }

  // ---- batches ------------------------------------------------------------

  private withBatch(id: string, f: (b: BatchState) => Reply): Reply {
    const b = this.batches.get(id);
    return b ? f(b) : this.error(404, `No batch found with id '${id}'.`, 'invalid_request_error', null, 'batch_id');
  }

  private createBatch({ ex }: RouteContext): Reply {
    const body = isRecord(ex.json) ? ex.json : {};
    const fileId = body['input_file_id'];
    const file = typeof fileId === 'string' ? this.files.get(fileId) : undefined;
    if (!file)
      return this.error(
        400,
        `Invalid 'input_file_id': '${String(fileId)}'. No such file.`,
        'invalid_request_error',
        'invalid_value',
        'input_file_id',
      );
    if (file.object.purpose !== 'batch')
      return this.error(
        400,
        `The file ${file.object.id} must have purpose 'batch' to be used in a batch.`,
        'invalid_request_error',
        null,
        'input_file_id',
      );
    if (body['endpoint'] !== '/v1/chat/completions') {
      // The real API takes more endpoints; this fake only computes chat completions.
      return this.error(
        400,
        `Invalid value for 'endpoint': ${JSON.stringify(body['endpoint'])} (test server supports '/v1/chat/completions').`,
        'invalid_request_error',
        'invalid_value',
        'endpoint',
      );
    }
    if (body['completion_window'] !== '24h')
      return this.error(
        400,
        `Invalid value for 'completion_window': must be '24h'.`,
        'invalid_request_error',
        'invalid_value',
        'completion_window',
      );
    const created = nowSeconds();
    const object = {
      id: this.ids.next('batch_', 24),
      object: 'batch',
      endpoint: body['endpoint'],
      errors: null,
      input_file_id: file.object.id,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: created,
      in_progress_at: null,
      expires_at: created + 86400,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: isRecord(body['metadata']) ? body['metadata'] : null,
    } as Json & { id: string; status: string };
    this.batches.set(object.id, { object, polls: 0, lines: undefined });
    return this.ok(object);
  }

  /** Parse and check the input file, as the 'validating' phase does. False: the batch failed. */
  private validateBatch(b: BatchState): boolean {
    if (b.lines) return true;
    const file = this.files.get(String(b.object['input_file_id']));
    const errors: Json[] = [];
    const lines: BatchLine[] = [];
    const seen = new Set<string>();
    const text = file ? file.data.toString('utf8') : '';
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        errors.push({
          code: 'invalid_json_line',
          message: 'This line is not parseable as valid JSON.',
          param: null,
          line: i + 1,
        });
        return;
      }
      if (!isRecord(v) || typeof v['custom_id'] !== 'string' || v['method'] !== 'POST' || !isRecord(v['body'])) {
        errors.push({
          code: 'invalid_request',
          message: 'Each line needs custom_id, method "POST", url and body.',
          param: null,
          line: i + 1,
        });
        return;
      }
      if (v['url'] !== b.object['endpoint']) {
        errors.push({
          code: 'mismatched_endpoint',
          message: `The url ${JSON.stringify(v['url'])} does not match the batch endpoint.`,
          param: 'url',
          line: i + 1,
        });
        return;
      }
      if (seen.has(v['custom_id'])) {
        errors.push({
          code: 'duplicate_custom_id',
          message: `The custom_id ${v['custom_id']} is used more than once.`,
          param: 'custom_id',
          line: i + 1,
        });
        return;
      }
      seen.add(v['custom_id']);
      lines.push({ custom_id: v['custom_id'], body: v['body'] });
    });
    if (lines.length === 0 && errors.length === 0)
      errors.push({ code: 'empty_file', message: 'The input file is empty.', param: null, line: null });
    if (errors.length > 0) {
      Object.assign(b.object, { status: 'failed', failed_at: nowSeconds(), errors: { object: 'list', data: errors } });
      return false;
    }
    b.lines = lines;
    const model = lines[0]?.body['model'];
    Object.assign(b.object, {
      status: 'in_progress',
      in_progress_at: nowSeconds(),
      request_counts: { total: lines.length, completed: 0, failed: 0 },
      ...(typeof model === 'string' ? { model } : {}),
    });
    return true;
  }

  private pollBatch(b: BatchState): void {
    b.polls++;
    const status = b.object.status;
    if (status === 'cancelling') return this.finishBatch(b, 'cancelled');
    if (status !== 'validating' && status !== 'in_progress') return;
    if (!this.validateBatch(b)) return;
    if (b.polls >= this.batchPolls) this.finishBatch(b, 'completed');
  }

  private finishBatch(b: BatchState, outcome: BatchOutcome | 'cancelled'): void {
    const now = nowSeconds();
    if (outcome === 'cancelled') {
      Object.assign(b.object, { status: 'cancelled', cancelled_at: now });
      return;
    }
    if (!this.validateBatch(b)) return;
    const lines = b.lines!;
    if (outcome === 'failed') {
      Object.assign(b.object, {
        status: 'failed',
        failed_at: now,
        errors: {
          object: 'list',
          data: [{ code: 'batch_failed', message: 'Injected batch failure (test server).', param: null, line: null }],
        },
      });
      return;
    }
    const out: string[] = [];
    const errs: string[] = [];
    let input = 0;
    let cachedIn = 0;
    let output = 0;
    for (const line of lines) {
      const id = this.ids.next('batch_req_', 24);
      if (outcome === 'expired') {
        errs.push(
          JSON.stringify({
            id,
            custom_id: line.custom_id,
            response: null,
            error: {
              code: 'batch_expired',
              message: 'This request could not be executed before the completion window expired.',
            },
          }),
        );
        continue;
      }
      const r = this.makeCompletion(line.body, false, line.custom_id);
      const requestId = this.ids.next('req_', 24);
      if (r.ok) {
        const u = r.completion['usage'] as Json;
        input += u['prompt_tokens'] as number;
        output += u['completion_tokens'] as number;
        cachedIn += (u['prompt_tokens_details'] as Json)['cached_tokens'] as number;
        out.push(
          JSON.stringify({
            id,
            custom_id: line.custom_id,
            response: { status_code: 200, request_id: requestId, body: r.completion },
            error: null,
          }),
        );
      } else {
        errs.push(
          JSON.stringify({
            id,
            custom_id: line.custom_id,
            response: { status_code: r.status, request_id: requestId, body: r.error },
            error: null,
          }),
        );
      }
    }
    const id = String(b.object.id);
    const outFile =
      out.length > 0
        ? this.storeFile(`${id}_output.jsonl`, 'batch_output', Buffer.from(out.join('\n') + '\n'))
        : undefined;
    const errFile =
      errs.length > 0
        ? this.storeFile(`${id}_error.jsonl`, 'batch_output', Buffer.from(errs.join('\n') + '\n'))
        : undefined;
    Object.assign(b.object, {
      status: outcome,
      ...(outcome === 'expired' ? { expired_at: now } : { finalizing_at: now, completed_at: now }),
      output_file_id: outFile?.object.id ?? null,
      error_file_id: errFile?.object.id ?? null,
      request_counts: { total: lines.length, completed: out.length, failed: errs.length },
      usage: {
        input_tokens: input,
        input_tokens_details: { cached_tokens: cachedIn },
        output_tokens: output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: input + output,
      },
    });
  }

  private cancelBatch(b: BatchState): Reply {
    const s = b.object.status;
    if (s !== 'validating' && s !== 'in_progress')
      return this.error(409, `Cannot cancel a batch with status '${s}'.`, 'invalid_request_error');
    Object.assign(b.object, { status: 'cancelling', cancelling_at: nowSeconds() });
    return this.ok(b.object);
  }

  completeBatches(outcome: BatchOutcome): number {
    let n = 0;
    for (const b of this.batches.values()) {
      const s = b.object.status;
      if (s === 'cancelling') this.finishBatch(b, 'cancelled');
      else if (s === 'validating' || s === 'in_progress') this.finishBatch(b, outcome);
      else continue;
      n++;
    }
    return n;
  }

  // ---- fine-tuning --------------------------------------------------------

  private withJob(id: string, f: (j: JobState) => Reply): Reply {
    const j = this.jobs.get(id);
    return j
      ? f(j)
      : this.error(404, `Could not find fine tune job: ${id}`, 'invalid_request_error', null, 'fine_tuning_job_id');
  }

  private createJob({ ex }: RouteContext): Reply {
    const body = isRecord(ex.json) ? ex.json : {};
    const model = body['model'];
    if (typeof model !== 'string' || model === '')
      return this.error(
        400,
        "Missing required parameter: 'model'.",
        'invalid_request_error',
        'missing_required_parameter',
        'model',
      );
    for (const key of ['training_file', 'validation_file'] as const) {
      const id = body[key];
      if (id === undefined || id === null) {
        if (key === 'training_file')
          return this.error(
            400,
            "Missing required parameter: 'training_file'.",
            'invalid_request_error',
            'missing_required_parameter',
            key,
          );
        continue;
      }
      const f = this.files.get(String(id));
      if (!f) return this.error(400, `invalid ${key}: ${String(id)}`, 'invalid_request_error', null, key);
      if (f.object.purpose !== 'fine-tune')
        return this.error(
          400,
          `File ${String(id)} has purpose '${f.object.purpose}', expected 'fine-tune'.`,
          'invalid_request_error',
          null,
          key,
        );
    }
    const suffix = typeof body['suffix'] === 'string' ? body['suffix'] : null;
    const hp = isRecord(body['hyperparameters']) ? body['hyperparameters'] : {};
    const hyperparameters = {
      n_epochs: hp['n_epochs'] ?? 'auto',
      batch_size: hp['batch_size'] ?? 'auto',
      learning_rate_multiplier: hp['learning_rate_multiplier'] ?? 'auto',
    };
    const shortId = this.ids.next('', 8);
    const created = nowSeconds();
    const object = {
      id: `ftjob-${shortId}`,
      object: 'fine_tuning.job',
      model,
      created_at: created,
      finished_at: null,
      fine_tuned_model: null,
      organization_id: 'org-usersim',
      result_files: [],
      status: 'validating_files',
      validation_file: body['validation_file'] ?? null,
      training_file: body['training_file'],
      hyperparameters,
      trained_tokens: null,
      error: null,
      user_provided_suffix: suffix,
      seed: typeof body['seed'] === 'number' ? body['seed'] : 42,
      estimated_finish: null,
      integrations: null,
      metadata: isRecord(body['metadata']) ? body['metadata'] : null,
      method: { type: 'supervised', supervised: { hyperparameters } },
    } as Json & { id: string; status: string };
    const job: JobState = { object, shortId, polls: 0, events: [] };
    this.jobEvent(job, 'info', `Validating training file: ${String(body['training_file'])}`);
    this.jobs.set(object.id, job);
    return this.ok(object);
  }

  private jobEvent(j: JobState, level: 'info' | 'warn' | 'error', message: string): void {
    j.events.push({
      id: this.ids.next('ftevent-', 20),
      object: 'fine_tuning.job.event',
      created_at: nowSeconds(),
      level,
      message,
      type: 'message',
      data: {},
    });
  }

  /** Token count of a valid training file, or the reason it is invalid. */
  private checkTrainingFile(id: string): { tokens: number } | { error: string } {
    const f = this.files.get(id);
    if (!f) return { error: `File ${id} was deleted.` };
    let tokens = 0;
    let examples = 0;
    const lines = f.data.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        return { error: `Invalid file format. Line ${i + 1} is not valid JSON.` };
      }
      const msgs = isRecord(v) ? v['messages'] : undefined;
      if (
        !Array.isArray(msgs) ||
        msgs.length === 0 ||
        !msgs.every((m) => isRecord(m) && typeof m['role'] === 'string')
      ) {
        return { error: `Invalid file format. Example ${examples + 1} (line ${i + 1}) has no valid "messages".` };
      }
      if (!msgs.some((m) => (m as Json)['role'] === 'assistant'))
        return { error: `Example ${examples + 1} (line ${i + 1}) has no assistant message to learn from.` };
      examples++;
      for (const m of flattenMessages(msgs as Json[])) tokens += estimateTokens(m.content) + 4;
    }
    if (examples < MIN_FINE_TUNE_EXAMPLES)
      return {
        error: `Training file has ${examples} example(s), but must have at least ${MIN_FINE_TUNE_EXAMPLES} examples`,
      };
    return { tokens };
  }

  private pollJob(j: JobState): void {
    j.polls++;
    const s = j.object.status;
    if (s !== 'validating_files' && s !== 'queued' && s !== 'running') return;
    if (s === 'validating_files') {
      const check = this.checkTrainingFile(String(j.object['training_file']));
      if ('error' in check) return this.failJob(j, check.error);
      j.object.status = 'running';
      Object.assign(j.object, { estimated_finish: nowSeconds() + 60 });
      this.jobEvent(j, 'info', 'Fine-tuning job started');
    }
    if (j.polls >= this.fineTunePolls) this.finishJob(j);
  }

  private failJob(j: JobState, message: string): void {
    Object.assign(j.object, {
      status: 'failed',
      finished_at: nowSeconds(),
      error: { code: 'invalid_training_file', message, param: 'training_file' },
    });
    this.jobEvent(j, 'error', message);
  }

  private finishJob(j: JobState): void {
    const check = this.checkTrainingFile(String(j.object['training_file']));
    if ('error' in check) return this.failJob(j, check.error);
    const hp = j.object['hyperparameters'] as Json;
    const resolved = {
      n_epochs: hp['n_epochs'] === 'auto' ? 3 : hp['n_epochs'],
      batch_size: hp['batch_size'] === 'auto' ? 1 : hp['batch_size'],
      learning_rate_multiplier: hp['learning_rate_multiplier'] === 'auto' ? 1.8 : hp['learning_rate_multiplier'],
    };
    const suffix = (j.object['user_provided_suffix'] as string | null) ?? '';
    const results = this.storeFile(
      'step_metrics.csv',
      'fine-tune-results',
      Buffer.from('step,train_loss,train_accuracy\n1,1.25,0.61\n2,0.87,0.74\n'),
    );
    Object.assign(j.object, {
      status: 'succeeded',
      finished_at: nowSeconds(),
      estimated_finish: null,
      fine_tuned_model: `ft:${String(j.object['model'])}:usersim:${suffix}:${j.shortId}`,
      trained_tokens: check.tokens * (resolved.n_epochs as number),
      hyperparameters: resolved,
      method: { type: 'supervised', supervised: { hyperparameters: resolved } },
      result_files: [results.object.id],
    });
    this.jobEvent(j, 'info', 'The job has successfully completed');
  }

  private cancelJob(j: JobState): Reply {
    const s = j.object.status;
    if (s === 'succeeded' || s === 'failed' || s === 'cancelled')
      return this.error(
        400,
        `Job ${j.object.id} has already ${s === 'cancelled' ? 'been cancelled' : s}.`,
        'invalid_request_error',
      );
    Object.assign(j.object, { status: 'cancelled', finished_at: nowSeconds() });
    this.jobEvent(j, 'info', 'Fine-tuning job cancelled');
    return this.ok(j.object);
  }

  completeFineTunes(): number {
    let n = 0;
    for (const j of this.jobs.values()) {
      const s = j.object.status;
      if (s !== 'validating_files' && s !== 'queued' && s !== 'running') continue;
      this.finishJob(j);
      n++;
    }
    return n;
  }

  private models(): Json[] {
    const created = 1_700_000_000;
    const out: Json[] = BASE_MODELS.map((id) => ({ id, object: 'model', created, owned_by: 'system' }));
    for (const j of this.jobs.values()) {
      if (j.object.status === 'succeeded')
        out.push({
          id: j.object['fine_tuned_model'],
          object: 'model',
          created: j.object['finished_at'],
          owned_by: 'usersim',
        });
    }
    return out;
  }

  resetState(): void {
    this.cache.clear();
    this.plan.restart();
  }
}

/**
 * Start an OpenAI-compatible server on 127.0.0.1 with a random port.
 *
 * ```ts
 * const server = await startOpenAiServer({ apiKey: 'sk-test' });
 * const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
 * afterAll(() => server.close());
 * ```
 */
export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiTestServer> {
  const fake = new OpenAiFake(options);
  const port = await fake.core.listen();
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
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
    completeFineTunes: () => fake.completeFineTunes(),
    fileContent: (id) => fake.fileContent(id),
    close: () => fake.core.close(),
  };
}
