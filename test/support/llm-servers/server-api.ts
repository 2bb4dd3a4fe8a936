/**
 * The options and handle shared by both fake servers, plus a tiny router.
 */
import type { ReplyFn } from './content.js';
import type { Faults, FaultKind } from './faults.js';
import type { Exchange, Outcome, RecordedRequest, Reply, ServerStats } from './http-core.js';

export interface LlmServerOptions {
  /**
   * When set, requests must carry it (OpenAI: `Authorization: Bearer <key>`;
   * Anthropic: `x-api-key: <key>`) or get 401 in the provider's error shape.
   * When unset, any credentials (or none) are accepted.
   */
  readonly apiKey?: string;
  /** Fixed delay before every answer (all routes). Default 0. */
  readonly latencyMs?: number;
  /** Fault injection; see faults.ts. Can be changed later with `setFaults`. */
  readonly faults?: Faults;
  /** Seed of the fault PRNG. Default 1. */
  readonly seed?: number;
  /** Override the reply content; see ReplyFn. */
  readonly reply?: ReplyFn;
  /** Keep every request in `requests`. Default true; turn off for long bench runs. */
  readonly record?: boolean;
  /**
   * Batches complete on their N-th retrieve (GET). Default 2 (first retrieve
   * says in progress, second says done). `Infinity`: only `completeBatches()`
   * completes them.
   */
  readonly batchPolls?: number;
  /** Simulate prompt caching (cached token counts on repeated prefixes). Default true. */
  readonly promptCache?: boolean;
  /**
   * Echo the credentials each request carried, as some OpenAI-compatible
   * servers do: in the message of every 400 and 401 error body, and in an
   * `x-echo-api-key` header on every response. For tests that a key never
   * reaches results, caches or output. Default false.
   */
  readonly echoKey?: boolean;
}

/** What a test gets back from `startOpenAiServer` / `startAnthropicServer`. */
export interface LlmTestServer {
  /** Pass to the SDK client as `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Live log of received requests (credentials redacted). Cleared in place by `reset()`. */
  readonly requests: readonly RecordedRequest[];
  /** HTTP requests received since start/reset, all routes. */
  requestCount(): number;
  /** Counters for the bench: total, in flight now, max in flight, faults injected. */
  stats(): ServerStats;
  /**
   * Clear the request log, the counters, the prompt cache and restart the fault
   * sequence (script position 0, PRNG re-seeded). Uploaded files, batches and
   * jobs stay.
   */
  reset(): void;
  /** Replace the fault options (and restart the fault sequence). `undefined` turns faults off. */
  setFaults(faults: Faults | undefined): void;
  /**
   * Finish every batch that is not finished yet, right now. 'completed' (default)
   * writes results; 'expired' / 'failed' simulate those outcomes. Batches being
   * cancelled become cancelled. Returns how many batches changed.
   */
  completeBatches(outcome?: BatchOutcome): number;
  /** Stop listening and drop all connections (hanging ones too). Idempotent. */
  close(): Promise<void>;
}

export type BatchOutcome = 'completed' | 'expired' | 'failed';

export interface RouteContext {
  readonly ex: Exchange;
  readonly params: readonly string[];
  /** The fault drawn for this request (only schemaInvalid reaches handlers; the rest is handled before). */
  readonly fault: FaultKind | null;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** Model calls: the only routes faults hit unless `faults.scope` is 'all'. */
  readonly inference: boolean;
  readonly handle: (ctx: RouteContext) => Reply;
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(pathname);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** Sequential ids: deterministic across runs, unique within a server. */
export class IdMaker {
  private readonly counters = new Map<string, number>();

  next(prefix: string, width = 12): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return prefix + n.toString(36).padStart(width, '0');
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Split text into small stream pieces (two words, at most 24 characters each)
 * so a stream has several deltas even for JSON without spaces.
 */
export function streamPieces(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 2) {
    const piece = words.slice(i, i + 2).join('');
    for (let off = 0; off < piece.length; off += 24) out.push(piece.slice(off, off + 24));
  }
  return out.length > 0 ? out : [''];
}

/** The raw credential a request carried (x-api-key, or the Bearer token). */
function credentialOf(ex: Exchange): string {
  return ex.header('x-api-key') ?? ex.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
}

/** `echoKey`: the outcome with the request's credential put into its 400/401 message and a response header. */
export function echoCredential(outcome: Outcome, ex: Exchange): Outcome {
  const key = credentialOf(ex);
  const r = outcome.reply;
  if (r.kind === 'hang' || r.kind === 'reset') return outcome;
  const headers = { ...(r.headers ?? {}), 'x-echo-api-key': key };
  if (r.kind !== 'json') return { ...outcome, reply: { ...r, headers } };
  let body = r.body;
  const err = isRecord(body) ? body['error'] : undefined;
  if ((r.status === 400 || r.status === 401) && isRecord(body) && isRecord(err) && typeof err['message'] === 'string')
    body = { ...body, error: { ...err, message: `${err['message']} (the request sent the key ${key})` } };
  return { ...outcome, reply: { ...r, body, headers } };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
