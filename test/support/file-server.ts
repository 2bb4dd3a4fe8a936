import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Honour Range requests (default true). */
  ranges?: boolean;
  /** Cut the connection after this many body bytes, for the first `cuts` requests. */
  cutAfter?: number;
  cuts?: number;
  /** Answer with a redirect to this path instead. */
  redirectTo?: string;
}

export interface LoggedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A tiny HTTP server on 127.0.0.1 (random port) for downloader tests: serves
 * buffers with Range support, can cut a transfer halfway or redirect, and logs
 * every request. Never touches the internet.
 */
export class FileServer {
  readonly files = new Map<string, ServedFile>();
  readonly requests: LoggedRequest[] = [];
  private server: Server | null = null;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push({ path, headers: req.headers });
      const f = this.files.get(path);
      if (!f) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (f.redirectTo) {
        res.writeHead(302, { location: f.redirectTo }).end();
        return;
      }
      const size = f.body.length;
      let start = 0;
      const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
      if (range && f.ranges !== false) {
        start = Number(range[1]);
        if (start >= size) {
          res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
          return;
        }
        res.writeHead(206, {
          'content-length': String(size - start),
          'content-range': `bytes ${start}-${size - 1}/${size}`,
          'accept-ranges': 'bytes',
        });
      } else {
        res.writeHead(200, { 'content-length': String(size), 'accept-ranges': f.ranges === false ? 'none' : 'bytes' });
      }
      const body = f.body.subarray(start);
      if (f.cutAfter !== undefined && (f.cuts ?? 1) > 0) {
        f.cuts = (f.cuts ?? 1) - 1;
        const upTo = Math.max(0, f.cutAfter - start);
        res.write(body.subarray(0, upTo), () => {
          // Give the bytes time to leave, then drop the connection mid-body.
          setTimeout(() => res.socket?.destroy(), 20);
        });
        return;
      }
      res.end(body);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server?.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** A port nothing listens on: bound, noted, closed. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
