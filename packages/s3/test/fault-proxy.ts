/**
 * A fault-injecting HTTP proxy for the retry tests: a real server on 127.0.0.1 (a free port) in
 * front of the S3 endpoint. Point an S3Client's `endpoint` at `proxy.endpoint` (path-style); the
 * proxy relays every request and response unchanged (headers byte for byte, Host included, so
 * SigV4 signatures stay valid; bodies streamed both ways) until a planned rule matches:
 *
 *   const proxy = await startFaultProxy(s3Connection().endpoint);
 *   proxy.plan([
 *     { method: 'PUT', query: { partNumber: '2' }, times: 2, fault: { status: 503, code: 'SlowDown' } },
 *     { method: 'GET', match: (r) => r.headers.range !== undefined, fault: { resetAfterResponseBytes: 65_536 } },
 *   ]);
 *   ... proxy.requests (every request, in arrival order, with the fault it got) ...
 *   await proxy.close();
 *
 * Faults:
 * - `{ status, code?, message? }`: answered by the proxy with an S3 XML error body, never reaches
 *   the server (the request body is read and dropped first).
 * - `{ resetBeforeResponse: true }`: forwarded (the server acts on it), then the client's
 *   connection is reset (TCP RST) before any byte of the response.
 * - `{ resetAfterResponseBytes: n }`: forwarded, the status line, headers and the first n body bytes
 *   are relayed, then the client's connection is reset: a body cut mid-stream.
 * - `{ corruptResponseByte: n }`: forwarded, and byte n of the response body is flipped on its way
 *   (length and headers unchanged): damage that only a checksum can see.
 * - `{ delayMs }`: waits that long before forwarding; combines with the others.
 *
 * Only the `Expect` header is not forwarded: the proxy answers `100 Continue` itself.
 */

import * as http from 'node:http';
import * as https from 'node:https';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the rules and the log see it. */
export interface ProxiedRequest {
  readonly method: string;
  /** The request target as sent: `/bucket/some%20key?partNumber=2&uploadId=...`. */
  readonly url: string;
  /** The path as sent, percent-encoded, without the query: `/bucket/some%20key`. */
  readonly path: string;
  /** The query parameters: `query.get('partNumber')`, `query.has('uploads')`. */
  readonly query: URLSearchParams;
  /** Path-style: the first path segment, decoded ('' for ListBuckets). */
  readonly bucket: string;
  /** Path-style: the rest of the path, decoded ('' for a bucket request). */
  readonly key: string;
  readonly headers: http.IncomingHttpHeaders;
}

export type Fault =
  | { readonly status: number; readonly code?: string; readonly message?: string; readonly delayMs?: number }
  | { readonly resetBeforeResponse: true; readonly delayMs?: number }
  | { readonly resetAfterResponseBytes: number; readonly delayMs?: number }
  | { readonly corruptResponseByte: number; readonly delayMs?: number }
  | { readonly delayMs: number };

/** Which requests get a fault (every given condition must hold), and how many times. */
export interface FaultRule {
  /** HTTP method, e.g. 'PUT' (case-insensitive). */
  readonly method?: string;
  /** The decoded object key (a string must equal it, a RegExp must match it). */
  readonly key?: string | RegExp;
  /** The decoded bucket name. */
  readonly bucket?: string;
  /** Query parameters that must be present: a string value must be equal, `true` means any value. */
  readonly query?: Readonly<Record<string, string | true>>;
  /** A request header that must be present, e.g. 'range'. */
  readonly header?: string;
  /** Any other condition, e.g. `(r) => r.headers.range === 'bytes=0-99'`. */
  readonly match?: (request: ProxiedRequest) => boolean;
  /** How many matching requests get the fault; default 1. */
  readonly times?: number;
  readonly fault: Fault;
}

export interface ProxyLogEntry extends ProxiedRequest {
  /** The fault this request got, if a rule matched. */
  readonly fault?: Fault;
  /** The status the client was sent (or would have been: reset faults set it too); unset on proxy errors. */
  status?: number;
  /** Why relaying failed (the target was unreachable, the client went away, ...). */
  error?: string;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use as the S3Client endpoint, with forcePathStyle. */
  readonly endpoint: string;
  /** Every request received so far, in arrival order. Clear with `proxy.requests.length = 0`. */
  readonly requests: ProxyLogEntry[];
  /** Replaces the planned rules; the first matching rule with times left applies to a request. */
  plan(rules: readonly FaultRule[]): void;
  /** The planned rules that have not fired as many times as planned, with how many are left. */
  unfired(): { rule: FaultRule; left: number }[];
  /** Stops listening, closes every connection (both sides). */
  close(): Promise<void>;
}

function describe(req: http.IncomingMessage): ProxiedRequest {
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const slash = path.indexOf('/', 1);
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return {
    method: req.method ?? 'GET',
    url,
    path,
    query: new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1)),
    bucket: decode(slash < 0 ? path.slice(1) : path.slice(1, slash)),
    key: slash < 0 ? '' : decode(path.slice(slash + 1)),
    headers: req.headers,
  };
}

function matches(rule: FaultRule, request: ProxiedRequest): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) return false;
  if (rule.bucket !== undefined && rule.bucket !== request.bucket) return false;
  if (rule.key !== undefined) {
    if (typeof rule.key === 'string' ? rule.key !== request.key : !rule.key.test(request.key)) return false;
  }
  for (const [name, value] of Object.entries(rule.query ?? {})) {
    if (!request.query.has(name)) return false;
    if (value !== true && request.query.get(name) !== value) return false;
  }
  if (rule.header !== undefined && request.headers[rule.header.toLowerCase()] === undefined) return false;
  return rule.match === undefined || rule.match(request);
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Reset, not a polite FIN: what a crashed server or a broken middlebox does. */
function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

/** rawHeaders without the ones the proxy handles itself. */
function forwardedHeaders(raw: readonly string[], drop: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (!drop.includes(name.toLowerCase())) out.push(name, raw[i + 1]!);
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a proxy in front of `target` (e.g. `http://127.0.0.1:7480`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const secure = upstream.protocol === 'https:';
  const transport = secure ? https : http;
  // Idle upstream sockets are dropped after 15 s, well before radosgw's own 65 s idle timeout
  // (a reused socket the server is closing at that moment would fail a request at random).
  const agent = new transport.Agent({ keepAlive: true, timeout: 15_000 });
  const requests: ProxyLogEntry[] = [];
  let rules: { rule: FaultRule; left: number }[] = [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, entry: ProxyLogEntry): Promise<void> {
    const { fault } = entry;
    const clientSocket = req.socket;

    if (fault?.delayMs) {
      await sleep(fault.delayMs);
      if (clientSocket.destroyed) {
        entry.error = 'the client went away during the delay';
        return;
      }
    }

    if (fault && 'status' in fault) {
      req.resume();
      if (!req.complete) await once(req, 'end').catch(() => undefined);
      const code = fault.code ?? (fault.status === 503 ? 'SlowDown' : 'InternalError');
      const message = fault.message ?? `injected by the fault proxy (${code})`;
      const body =
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message>` +
        `<Resource>${xmlEscape(entry.path)}</Resource><RequestId>fault-proxy</RequestId></Error>`;
      res.writeHead(fault.status, {
        'Content-Type': 'application/xml',
        'Content-Length': Buffer.byteLength(body),
        'x-amz-request-id': 'fault-proxy',
      });
      res.end(body);
      entry.status = fault.status;
      return;
    }

    const outgoing = transport.request({
      agent,
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: upstream.port || (secure ? 443 : 80),
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req.rawHeaders, ['expect']),
    });
    // The client gave up (timeout, abort): give up upstream too.
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    outgoing.on('error', (error) => {
      entry.error ??= error.message;
      if (!res.headersSent) {
        res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`fault proxy: ${error.message}\n`);
      } else {
        res.destroy();
      }
    });
    outgoing.on('response', (response) => {
      entry.status = response.statusCode ?? 0;
      if (fault && 'resetBeforeResponse' in fault) {
        response.resume(); // the answer is dropped
        reset(clientSocket);
        return;
      }
      res.writeHead(response.statusCode ?? 502, response.statusMessage, forwardedHeaders(response.rawHeaders, []));
      if (fault && 'corruptResponseByte' in fault) {
        let offset = 0;
        response.on('data', (chunk: Buffer) => {
          const at = fault.corruptResponseByte - offset;
          offset += chunk.length;
          if (at >= 0 && at < chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[at] = (chunk[at] ?? 0) ^ 0xff;
          }
          if (!res.write(chunk)) {
            response.pause();
            res.once('drain', () => response.resume());
          }
        });
        response.on('end', () => res.end());
        return;
      }
      if (!(fault && 'resetAfterResponseBytes' in fault)) {
        response.pipe(res);
        return;
      }
      let left = fault.resetAfterResponseBytes;
      let cut = false;
      const cutNow = (last: Buffer): void => {
        cut = true;
        response.destroy();
        res.flushHeaders();
        // Reset once the bytes have reached the socket, and a moment later so the client reads them.
        const later = (): void => void setTimeout(() => reset(clientSocket), 10);
        if (last.length > 0) res.write(last, later);
        else later();
      };
      if (left === 0) return cutNow(Buffer.alloc(0));
      response.on('data', (chunk: Buffer) => {
        if (cut) return;
        if (chunk.length < left) {
          left -= chunk.length;
          if (!res.write(chunk)) {
            response.pause();
            res.once('drain', () => response.resume());
          }
        } else {
          cutNow(chunk.subarray(0, left));
        }
      });
      // A body shorter than n: the whole body went through; reset instead of ending the response.
      response.on('end', () => {
        if (!cut) cutNow(Buffer.alloc(0));
      });
    });
    req.pipe(outgoing);
  }

  // Long keep-alive: the SDK reuses idle connections, and one the proxy closes just then would fail.
  const options = { keepAliveTimeout: 120_000, requestTimeout: 0, headersTimeout: 60_000 };
  const server = http.createServer(options, (req, res) => {
    const request = describe(req);
    const planned = rules.find((candidate) => candidate.left > 0 && matches(candidate.rule, request));
    if (planned) planned.left -= 1;
    const entry: ProxyLogEntry = planned ? { ...request, fault: planned.rule.fault } : { ...request };
    requests.push(entry);
    handle(req, res, entry).catch((error: unknown) => {
      entry.error ??= String(error);
      res.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    plan(planned) {
      rules = planned.map((rule) => ({ rule, left: rule.times ?? 1 }));
    },
    unfired() {
      return rules.filter((entry) => entry.left > 0).map((entry) => ({ ...entry }));
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
