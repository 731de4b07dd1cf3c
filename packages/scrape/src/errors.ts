/**
 * The typed errors of @futures/scrape. Each has a stable `code` (match on it, or with
 * {@link isScrapeError}); a failed page carries one in its result, a fatal error is thrown.
 */
import { FuturesError, type FuturesErrorOptions } from '@futures/core';

/** The stable codes of {@link ScrapeError}. */
export type ScrapeErrorCode =
  /** The server answered with an error status (4xx, or 5xx/429 after the retries). */
  | 'ERR_SCRAPE_HTTP_STATUS'
  /** A URL given to `fetchAll` is not an absolute http(s) URL. */
  | 'ERR_SCRAPE_BAD_URL'
  /** More redirects than `maxRedirects`. */
  | 'ERR_SCRAPE_TOO_MANY_REDIRECTS'
  /** A redirect led back to a URL already in its own chain. */
  | 'ERR_SCRAPE_REDIRECT_LOOP'
  /** A redirect without a usable `Location`. */
  | 'ERR_SCRAPE_BAD_REDIRECT'
  /** The body is larger than `maxBodySize`. */
  | 'ERR_SCRAPE_BODY_TOO_LARGE'
  /** No complete answer within `timeout`. */
  | 'ERR_SCRAPE_TIMEOUT'
  /** The connection failed (refused, reset, DNS, TLS), after the retries. */
  | 'ERR_SCRAPE_NETWORK'
  /** The `extract` function (or the parse task) threw. */
  | 'ERR_SCRAPE_EXTRACT'
  /** The results could not be written (JSONL file, saved files). */
  | 'ERR_SCRAPE_OUTPUT';

/** An error of @futures/scrape: a page that failed, or a crawl that could not go on. */
export class ScrapeError extends FuturesError<ScrapeErrorCode> {
  /** The URL concerned, when there is one. */
  readonly url: string | undefined;
  /** The HTTP status, for `ERR_SCRAPE_HTTP_STATUS`. */
  readonly status: number | undefined;

  /** @param code the stable code, @param message what happened, @param details the URL and status. */
  constructor(code: ScrapeErrorCode, message: string, details: { readonly url?: string; readonly status?: number } = {}, options?: FuturesErrorOptions) {
    super(code, message, options);
    this.url = details.url;
    this.status = details.status;
  }
}

const CODES: ReadonlySet<string> = new Set<ScrapeErrorCode>([
  'ERR_SCRAPE_HTTP_STATUS',
  'ERR_SCRAPE_BAD_URL',
  'ERR_SCRAPE_TOO_MANY_REDIRECTS',
  'ERR_SCRAPE_REDIRECT_LOOP',
  'ERR_SCRAPE_BAD_REDIRECT',
  'ERR_SCRAPE_BODY_TOO_LARGE',
  'ERR_SCRAPE_TIMEOUT',
  'ERR_SCRAPE_NETWORK',
  'ERR_SCRAPE_EXTRACT',
  'ERR_SCRAPE_OUTPUT',
]);

/**
 * True when `error` is a {@link ScrapeError} (optionally with `code`), also across two installed
 * copies of the package, where `instanceof` does not work.
 */
export function isScrapeError(error: unknown, code?: ScrapeErrorCode): error is ScrapeError {
  if (typeof error !== 'object' || error === null) return false;
  const actual = (error as { code?: unknown }).code;
  return typeof actual === 'string' && CODES.has(actual) && (code === undefined || actual === code);
}
