/**
 * The provider-neutral half of the fake servers: node:http plumbing, request
 * recording, in-flight counters, latency, and the faults that are about bytes
 * on the wire (hang, reset, malformed body, slow delivery). The provider
 * modules only map a parsed request to a `Reply`.
 *
 * Plain node:http on purpose: the bench runs 64+ requests in flight through
 * this and measures the harness, so the server must add next to nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAULT_KINDS, type FaultKind, type FaultPlan } from './faults.js';

export interface RecordedRequest {
  /** 1-based arrival order since start/reset. */
  readonly seq: number;
  readonly method: string;
  /** Path and query string as sent, e.g. '/v1/chat/completions'. */
  readonly path: string;
  /**
   * Lower-cased headers. Credentials are never kept: `authorization` and
   * `x-api-key` are always present and read 'present' or 'absent'.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON; for multipart a summary ({ fields, files: [{ field, filename, contentType, bytes }] }); else the text. */
  readonly body: unknown;
  /** The injected fault, if any. */
  fault: FaultKind | null;
  /** Final HTTP status, or null while pending / when none was sent (timeout, reset, client gone). */
  status: number | null;
}

export interface ServerStats {
  /** HTTP requests received since start/reset (all routes, including rejected ones). */
  readonly total: number;
  /** Requests whose response has not finished yet. */
  readonly inFlight: number;
  /** Highest `inFlight` seen since start/reset: what the bench uses to check its concurrency. */
  readonly maxInFlight: number;
  /** How many times each fault was injected. */
  readonly faults: Readonly<Record<FaultKind, number>>;
}

export interface SseEvent {
  /** The `event:` field. OpenAI sends none; the Anthropic SDK skips events without one. */
  readonly event?: string;
  readonly data: string;
}

export type Reply =
  | {
      readonly kind: 'json';
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'bytes';
      readonly status: number;
      readonly body: Buffer | string;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'sse'; readonly events: readonly SseEvent[]; readonly headers?: Readonly<Record<string, string>> }
  /** timeout fault: keep the connection open, never answer. */
  | { readonly kind: 'hang' }
  /** reset fault: destroy the socket. */
  | { readonly kind: 'reset' };

export interface Outcome {
  readonly reply: Reply;
  readonly fault: FaultKind | null;
}

export interface MultipartPart {
  readonly field: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/** The request as the provider modules see it. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** Lower-cased header lookup (raw values: credentials are visible here, for the auth check only). */
  header(name: string): string | undefined;
  readonly raw: Buffer;
  /** Parsed JSON body, undefined when there is none or it is not JSON. */
  readonly json: unknown;
  /** The body claimed to be JSON but did not parse. */
  readonly badJson: boolean;
  /** Parts of a multipart/form-data body, or undefined. */
  readonly multipart: readonly MultipartPart[] | undefined;
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
}

export interface CoreOptions {
  readonly latencyMs: number;
  /** Keep `requests`; turn off for long bench runs (counters still work). */
  readonly record: boolean;
  readonly plan: FaultPlan;
  readonly route: (ex: Exchange) => Outcome | Promise<Outcome>;
}

const REDACT = ['authorization', 'x-api-key', 'api-key'];

/** Wait `ms`, or less if `signal` aborts. Never rejects. 0 ms costs no timer. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Minimal multipart/form-data parser: enough for SDK file uploads (undici's FormData encoding). */
export function parseMultipart(raw: Buffer, contentType: string): MultipartPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new Error('multipart body without boundary');
  const boundary = Buffer.from('--' + (m[1] ?? m[2]!).trim());
  const parts: MultipartPart[] = [];
  let pos = raw.indexOf(boundary);
  while (pos >= 0) {
    pos += boundary.length;
    if (raw[pos] === 0x2d && raw[pos + 1] === 0x2d) break; // closing "--boundary--"
    pos += 2; // CRLF after the boundary line
    const headerEnd = raw.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) break;
    const headers = raw.subarray(pos, headerEnd).toString('utf8');
    const next = raw.indexOf(boundary, headerEnd + 4);
    if (next < 0) break;
    const data = raw.subarray(headerEnd + 4, next - 2); // minus the CRLF before the boundary
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const field = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const ctype = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
    parts.push({ field, filename, contentType: ctype, data: Buffer.from(data) });
    pos = next;
  }
  return parts;
}

function emptyFaultCounts(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
}

export class HttpCore {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private total = 0;
  private inFlight = 0;
  private maxInFlight = 0;
  private faultCounts = emptyFaultCounts();
  /** One controller per live request, aborted together on close (a Set, not N listeners on one signal). */
  private readonly live = new Set<AbortController>();
  private closed: Promise<void> | undefined;
  port = 0;

  constructor(private readonly opts: CoreOptions) {}

  async listen(): Promise<number> {
    const server = createServer({ keepAlive: true }, (req, res) => void this.handle(req, res));
    // Hundreds of concurrent connections from one client: a deep accept queue
    // and no per-connection limits.
    server.maxHeadersCount = 0;
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: '127.0.0.1', backlog: 2048 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  stats(): ServerStats {
    return {
      total: this.total,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      faults: { ...this.faultCounts },
    };
  }

  /** Clears the log and counters (in-flight requests keep counting down correctly). */
  reset(): void {
    this.requests.length = 0;
    this.total = 0;
    this.maxInFlight = this.inFlight;
    this.faultCounts = emptyFaultCounts();
  }

  /** Stops listening and drops every connection, hanging ones included. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    for (const c of this.live) c.abort();
    this.live.clear();
    const server = this.server;
    this.closed = server
      ? new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        })
      : Promise.resolve();
    return this.closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.total++;
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    const gone = new AbortController();
    if (this.closed) gone.abort();
    else this.live.add(gone);
    res.once('close', () => {
      this.inFlight--;
      this.live.delete(gone);
      if (!res.writableFinished) gone.abort();
    });

    let record: RecordedRequest | null = null;
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const ex = this.exchange(req, raw, gone.signal);
      if (this.opts.record) {
        record = {
          seq: this.requests.length + 1,
          method: ex.method,
          path: ex.path,
          headers: redactHeaders(req),
          body: recordedBody(ex),
          fault: null,
          status: null,
        };
        this.requests.push(record);
        const rec = record;
        res.once('finish', () => {
          rec.status = res.statusCode;
        });
      }
      let outcome: Outcome;
      try {
        outcome = await this.opts.route(ex);
      } catch (e) {
        // A bug in the fake server must be loud, not look like a provider error.
        outcome = {
          fault: null,
          reply: {
            kind: 'json',
            status: 500,
            body: {
              error: {
                message: `llm-servers internal error: ${(e as Error).stack ?? String(e)}`,
                type: 'test_server_bug',
              },
            },
          },
        };
      }
      if (outcome.fault) {
        this.faultCounts[outcome.fault]++;
        if (record) record.fault = outcome.fault;
      }
      await pause(this.opts.latencyMs, gone.signal);
      if (gone.signal.aborted) {
        res.destroy();
        return;
      }
      await this.send(req, res, outcome, gone.signal);
    } catch {
      // The client vanished mid-body or mid-response: nothing to answer.
      res.destroy();
    }
  }

  private exchange(req: IncomingMessage, raw: Buffer, signal: AbortSignal): Exchange {
    const path = req.url ?? '/';
    const q = path.indexOf('?');
    const pathname = q < 0 ? path : path.slice(0, q);
    const ctype = (req.headers['content-type'] ?? '').toLowerCase();
    let json: unknown;
    let badJson = false;
    let multipart: MultipartPart[] | undefined;
    if (raw.length > 0 && ctype.includes('json')) {
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        badJson = true;
      }
    } else if (ctype.startsWith('multipart/form-data')) {
      try {
        multipart = parseMultipart(raw, req.headers['content-type']!);
      } catch {
        multipart = [];
      }
    }
    return {
      method: req.method ?? 'GET',
      path,
      pathname,
      query: new URLSearchParams(q < 0 ? '' : path.slice(q + 1)),
      header: (name) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      },
      raw,
      json,
      badJson,
      multipart,
      signal,
    };
  }

  private async send(
    req: IncomingMessage,
    res: ServerResponse,
    { reply, fault }: Outcome,
    signal: AbortSignal,
  ): Promise<void> {
    const slowMs = fault === 'slowStream' ? this.opts.plan.slowStreamDelayMs : 0;
    switch (reply.kind) {
      case 'hang':
        // Hold the request until the client gives up (its timeout / AbortSignal) or the server closes.
        await new Promise<void>((resolve) =>
          signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        res.destroy();
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'json': {
        let text = JSON.stringify(reply.body);
        // Cut mid-structure: valid prefix, no closing brackets, so every JSON parser fails.
        if (fault === 'malformedJson') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
        return this.sendBody(res, reply.status, 'application/json', text, reply.headers, slowMs, signal);
      }
      case 'bytes':
        return this.sendBody(res, reply.status, reply.contentType, reply.body, reply.headers, slowMs, signal);
      case 'sse': {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          ...reply.headers,
        });
        // Headers go out at once, like the real APIs: the client sees "connected", then waits for events.
        res.flushHeaders();
        const events = reply.events;
        // Corrupt an event the SDK actually parses: not the first (the client should
        // have started consuming), not a ping (the Anthropic SDK skips those unparsed), not [DONE].
        const broken =
          fault === 'malformedJson'
            ? Math.max(
                0,
                events.findIndex((e, i) => i > 0 && e.event !== 'ping' && e.data !== '[DONE]'),
              )
            : -1;
        for (let i = 0; i < events.length; i++) {
          if (i > 0 && slowMs > 0) await pause(slowMs, signal);
          if (signal.aborted) return void res.destroy();
          const e = events[i]!;
          const data = i === broken ? e.data.slice(0, Math.max(1, Math.floor(e.data.length / 2))) : e.data;
          res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${data}\n\n`);
        }
        res.end();
        return;
      }
    }
  }

  private async sendBody(
    res: ServerResponse,
    status: number,
    contentType: string,
    body: Buffer | string,
    headers: Readonly<Record<string, string>> | undefined,
    slowMs: number,
    signal: AbortSignal,
  ): Promise<void> {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { 'content-type': contentType, 'content-length': String(buf.length), ...headers });
    if (slowMs <= 0) {
      res.end(buf);
      return;
    }
    // Slow body: the status line arrives promptly, the bytes trickle in four pieces.
    res.flushHeaders();
    const piece = Math.ceil(buf.length / 4) || 1;
    for (let off = 0; off < buf.length; off += piece) {
      await pause(slowMs, signal);
      if (signal.aborted) return void res.destroy();
      res.write(buf.subarray(off, off + piece));
    }
    res.end();
  }
}

function redactHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  for (const k of REDACT) out[k] = req.headers[k] ? 'present' : 'absent';
  return out;
}

function recordedBody(ex: Exchange): unknown {
  if (ex.json !== undefined) return ex.json;
  if (ex.multipart) {
    const fields: Record<string, string> = {};
    const files: { field: string; filename: string | undefined; contentType: string | undefined; bytes: number }[] = [];
    for (const p of ex.multipart) {
      if (p.filename === undefined) fields[p.field] = p.data.toString('utf8');
      else files.push({ field: p.field, filename: p.filename, contentType: p.contentType, bytes: p.data.length });
    }
    return { fields, files };
  }
  return ex.raw.length === 0 ? undefined : ex.raw.toString('utf8');
}
