/**
 * @futures/scrape: polite, fast concurrent fetching and crawling on undici. `fetchAll(urls)`
 * fetches a list; `crawl({ start })` follows links within a scope. Both respect robots.txt,
 * limit requests per origin, retry with backoff (honouring `Retry-After`), follow redirects
 * with loop detection, decode charsets, and keep memory bounded on large sites.
 *
 * @packageDocumentation
 */
export { crawl } from './crawl.js';
export { fetchAll } from './fetch-all.js';
export { ScrapeRun, resultToJson, type JsonlTarget } from './run.js';
export { ScrapeError, isScrapeError, type ScrapeErrorCode } from './errors.js';
export { scanHtml, type PageInfo } from './links.js';
export { normalizeUrl, hashUrl, type Scope } from './url.js';
export { decodeBody } from './charset.js';
export { parseRetryAfter } from './retry.js';
export { robotsToken } from './robots.js';
export { DEFAULT_USER_AGENT } from './options.js';
export { MAX_CRAWL_DELAY_MS } from './engine.js';
export type {
  CrawlOptions,
  ExtractFunction,
  ExtractInput,
  FailedResult,
  FetchAllOnlyOptions,
  FetchAllOptions,
  PageResult,
  ParseTask,
  ScrapeProgress,
  ScrapeResult,
  ScrapeStats,
  SkipReason,
  SkippedResult,
} from './types.js';
