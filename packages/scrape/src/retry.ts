/**
 * When to retry a request and how long to wait: the statuses and network errors worth another
 * try, `Retry-After` (seconds or an HTTP date), and exponential backoff with full jitter.
 */

/** Statuses retried: request timeout, too early, too many requests, and the transient 5xx. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Network error codes retried: the connection broke or could not be made, or went silent. */
const RETRY_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** True when a network error with this `code` is worth a retry. */
export function isRetryableCode(code: unknown): boolean {
  return typeof code === 'string' && RETRY_CODES.has(code);
}

/**
 * The wait a `Retry-After` value asks for, in ms (`'120'` → 120000, an HTTP date → the time
 * until then, at least 0), or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The longest backoff between two tries, in ms. */
export const MAX_BACKOFF_MS = 30_000;

/** Backoff before retry number `retry` (1, 2, ...): a random wait in [0, base · 2^(retry-1)], capped. */
export function backoff(retry: number, base: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, base * 2 ** (retry - 1));
}
