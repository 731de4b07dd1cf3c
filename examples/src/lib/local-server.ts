/**
 * A real HTTP server on 127.0.0.1, on a free port, for the examples that download pages: the
 * tutorials fetch google.com and friends, but the examples must not depend on the internet.
 * Each route answers after its own delay, so that downloading several at once is visibly
 * faster than one after another. It counts requests and the most it served at once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One route: what it answers and how long it takes. */
export interface Route {
  /** The response body. */
  readonly body: string | Uint8Array;
  /** Milliseconds to wait before answering (a slow site). @default 0 */
  readonly delayMs?: number;
  /** @default 'text/html; charset=utf-8' */
  readonly contentType?: string;
  /** @default 200 */
  readonly status?: number;
}

/** A running server: `await using server = await startLocalServer({...})` stops it at scope end. */
export interface LocalServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The absolute URL of `path` on this server. */
  url(path: string): string;
  /** Requests served so far, and the most that were in progress at the same moment. */
  readonly stats: { readonly requests: number; readonly maxInFlight: number };
  /** Stops listening and closes every connection (including idle keep-alive ones). */
  close(): Promise<void>;
}

/** Starts a server for `routes` (path → route) on a free port of 127.0.0.1; unknown paths get 404. */
export async function startLocalServer(routes: Readonly<Record<string, Route>>): Promise<LocalServer> {
  const stats = { requests: 0, maxInFlight: 0 };
  let inFlight = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    stats.requests++;
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[path];
    const answer = (): void => {
      inFlight--;
      if (route === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end(`no page at ${path}\n`);
        return;
      }
      const body = typeof route.body === 'string' ? Buffer.from(route.body) : route.body;
      response
        .writeHead(route.status ?? 200, { 'content-type': route.contentType ?? 'text/html; charset=utf-8', 'content-length': body.byteLength })
        .end(body);
    };
    const delay = route?.delayMs ?? 0;
    if (delay <= 0) {
      answer();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer();
    }, delay);
    timers.add(timer);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve, reject) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }));

  return {
    origin,
    url: (path: string) => new URL(path, origin).href,
    stats,
    close,
    [Symbol.asyncDispose]: close,
  };
}
