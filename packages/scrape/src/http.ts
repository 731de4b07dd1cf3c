/**
 * One HTTP request on undici, and what came of it: a body, a redirect, something to retry, or a
 * failure. Redirects, retries and robots.txt are decided by the caller; this file only speaks
 * HTTP, with a total time limit and a body size limit.
 */
import type { Agent, Dispatcher } from 'undici';
import { mediaTypeOf } from './charset.js';
import { ScrapeError } from './errors.js';
import { RETRY_STATUSES, isRetryableCode, parseRetryAfter } from './retry.js';

/** Response headers, lower-case names. */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** What one request gave. */
export type Attempt =
  /** A 2xx answer; `body` is undefined when the caller chose not to read it. */
  | { readonly kind: 'body'; readonly status: number; readonly headers: Headers; readonly mediaType: string; readonly body: Buffer | undefined }
  /** A 3xx answer with its `Location` (unresolved, possibly missing). */
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string | undefined }
  /** A failure worth another try; `retryAfterMs` when the server said how long to wait. */
  | { readonly kind: 'retry'; readonly error: ScrapeError; readonly status?: number; readonly retryAfterMs?: number }
  /** A failure for good. */
  | { readonly kind: 'failed'; readonly error: ScrapeError; readonly status?: number };

/** How to make the request. */
export interface RequestSpec {
  readonly agent: Agent;
  readonly headers: Readonly<Record<string, string>>;
  /** Total ms for the request, body included (`Infinity` for none). */
  readonly timeout: number;
  readonly maxBodySize: number;
  /** Aborted when the whole run stops: its reason is thrown as is. */
  readonly signal: AbortSignal;
  /** Whether to read the body of a 2xx answer, given its media type (`''` when missing). */
  readonly wantBody: (mediaType: string) => boolean;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Bytes of an unwanted body read to keep the connection alive; past this, it is closed. */
const DUMP_LIMIT = 128 * 1024;

class BodyTooLarge extends Error {}

/** GETs `url` once. Throws only the run's abort reason. */
export async function requestOnce(url: string, spec: RequestSpec): Promise<Attempt> {
  spec.signal.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(spec.timeout)
    ? setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, spec.timeout)
    : undefined;
  const stop = (): void => controller.abort(spec.signal.reason);
  spec.signal.addEventListener('abort', stop, { once: true });
  const parsed = new URL(url);
  try {
    const response = await spec.agent.request({
      origin: parsed.origin,
      path: `${parsed.pathname}${parsed.search}`,
      method: 'GET',
      headers: spec.headers,
      signal: controller.signal,
      headersTimeout: Number.isFinite(spec.timeout) ? spec.timeout : 0,
      bodyTimeout: Number.isFinite(spec.timeout) ? spec.timeout : 0,
    });
    return await answer(url, response, spec);
  } catch (error) {
    if (spec.signal.aborted) throw spec.signal.reason;
    if (timedOut) {
      return { kind: 'retry', error: new ScrapeError('ERR_SCRAPE_TIMEOUT', `GET ${url}: no complete answer within ${spec.timeout} ms`, { url }) };
    }
    if (error instanceof BodyTooLarge) {
      return { kind: 'failed', error: new ScrapeError('ERR_SCRAPE_BODY_TOO_LARGE', `GET ${url}: ${error.message}`, { url }) };
    }
    const code = (error as { code?: unknown }).code;
    const message = `GET ${url}: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`;
    const failure = new ScrapeError('ERR_SCRAPE_NETWORK', message, { url }, { cause: error });
    return isRetryableCode(code) ? { kind: 'retry', error: failure } : { kind: 'failed', error: failure };
  } finally {
    clearTimeout(timer);
    spec.signal.removeEventListener('abort', stop);
  }
}

async function answer(url: string, response: Dispatcher.ResponseData, spec: RequestSpec): Promise<Attempt> {
  const { statusCode: status, headers, body } = response;
  if (REDIRECT_STATUSES.has(status)) {
    await discard(body);
    const location = headers.location;
    return { kind: 'redirect', status, location: Array.isArray(location) ? location[0] : location };
  }
  if (status < 200 || status >= 300) {
    await discard(body);
    const error = new ScrapeError('ERR_SCRAPE_HTTP_STATUS', `GET ${url}: HTTP ${status}`, { url, status });
    if (!RETRY_STATUSES.has(status)) return { kind: 'failed', error, status };
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    return retryAfterMs === undefined ? { kind: 'retry', error, status } : { kind: 'retry', error, status, retryAfterMs };
  }
  const contentType = headers['content-type'];
  const mediaType = mediaTypeOf(Array.isArray(contentType) ? contentType[0] : contentType);
  if (!spec.wantBody(mediaType)) {
    await discard(body);
    return { kind: 'body', status, headers, mediaType, body: undefined };
  }
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > spec.maxBodySize) {
    body.destroy();
    throw new BodyTooLarge(`the body is ${declared} bytes (Content-Length), more than maxBodySize (${spec.maxBodySize})`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > spec.maxBodySize) {
      body.destroy();
      throw new BodyTooLarge(`the body is more than maxBodySize (${spec.maxBodySize} bytes)`);
    }
    chunks.push(chunk);
  }
  return { kind: 'body', status, headers, mediaType, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) };
}

/** Reads and drops a body we do not want, so the connection can be reused (or closes it if large). */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: DUMP_LIMIT });
  } catch {
    // The connection is closed instead; nothing to report.
  }
}
