import http from 'node:http';
import https from 'node:https';

/**
 * A fetch for the provider SDKs built on node:http with keep-alive agents.
 * The SDKs accept a custom `fetch`; Node's built-in one (undici) costs about
 * twice the CPU per call, which on a small machine caps how many requests in
 * flight one process can keep a provider busy with. Bodies that are not plain
 * bytes (multipart uploads for batch and fine-tuning files) go through the
 * built-in fetch unchanged.
 */
export function nodeFetch(maxSockets = Infinity): typeof fetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
  return (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = init?.body;
    const plain = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (input instanceof Request || !plain) return fetch(input, init);
    const url = new URL(String(input));
    const mod = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const payload = typeof body === 'string' ? Buffer.from(body) : (body as Uint8Array | null | undefined);
    if (payload) headers['content-length'] = String(payload.byteLength);
    return new Promise<Response>((resolve, reject) => {
      const signal = init?.signal ?? undefined;
      if (signal?.aborted)
        return reject(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
      const req = mod.request(url, { method: init?.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 500;
          const nullBody = status === 204 || status === 304;
          resolve(
            new Response(nullBody ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers: h,
            }),
          );
        });
        res.on('error', reject);
      });
      const onAbort = () => {
        req.destroy();
        reject(new DOMException('This operation was aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      });
      req.end(payload);
    });
  }) as typeof fetch;
}
