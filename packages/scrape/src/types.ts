/**
 * The public shapes of @futures/scrape: options, results, progress.
 */
import type { Executor, TaskRef } from '@futures/core';
import type { CheerioAPI } from 'cheerio';
import type { ScrapeError } from './errors.js';
import type { PageInfo } from './links.js';
import type { Scope } from './url.js';

/** What `extract` receives: a fetched HTML page. */
export interface ExtractInput {
  /** The URL as queued (normalised). */
  readonly url: string;
  /** The URL the page came from, after redirects. */
  readonly finalUrl: string;
  /** The HTTP status (2xx). */
  readonly status: number;
  /** The response headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The decoded HTML. */
  readonly html: string;
  /** What the built-in scan found: links, title, canonical, meta robots. */
  readonly info: PageInfo;
  /** The page loaded into cheerio; built on first access (so a function that does not use it costs nothing). */
  readonly $: CheerioAPI;
}

/** Extracts data from a page, on the event loop. Its result lands in `result.data`. */
export type ExtractFunction<T> = (page: ExtractInput) => T | Promise<T>;

/**
 * A task (in a module of its own) that scans a page in a worker thread: `(html, url)` →
 * {@link PageInfo} plus optional `data`. Build it on `scanPage` from `@futures/scrape/parse-task`.
 */
export type ParseTask<T> = TaskRef<[html: string, url: string], PageInfo & { readonly data?: T | undefined }>;

/** Why a URL gave no page. */
export type SkipReason =
  /** robots.txt disallows it for our user agent. */
  | 'robots'
  /** robots.txt could not be fetched (5xx or no answer), so the origin is treated as disallowed. */
  | 'robots-unavailable'
  /** Not HTML, and `nonHtml` is `'skip'`: the body was not downloaded. */
  | 'not-html'
  /** A redirect led outside the scope (or to an excluded URL); the target was not requested. */
  | 'redirect-out-of-scope'
  /** A redirect led to a URL already crawled or queued. */
  | 'duplicate';

/** Fields every result has. */
interface ResultBase {
  /** The URL as queued (normalised). */
  readonly url: string;
  /** Links followed from the start URLs to reach it (0 for a start URL). */
  readonly depth: number;
  /** The page the link was found on (absent for start URLs and `fetchAll` input). */
  readonly parent?: string;
  /** Position in the input of `fetchAll`; absent in `crawl`. */
  readonly index?: number;
}

/** A page that was fetched. */
export interface PageResult<T = undefined> extends ResultBase {
  readonly outcome: 'ok';
  /** The URL the content came from, after redirects. */
  readonly finalUrl: string;
  /** The URLs redirected through, in order (empty without redirects). */
  readonly redirects: readonly string[];
  /** HTTP status of the final response. */
  readonly status: number;
  /** The `Content-Type` media type (`text/html`). */
  readonly contentType: string;
  /** The character set the HTML was decoded with (`utf-8`, `windows-1252`, ...); absent for non-HTML. */
  readonly charset?: string;
  /** Body size in bytes (as received, before decoding). */
  readonly bytes: number;
  /** HTTP requests made for this page, retries and redirects included. */
  readonly attempts: number;
  /** Milliseconds from the first request to the page's result. */
  readonly durationMs: number;
  /** `<title>`, for HTML pages. */
  readonly title?: string;
  /** `<meta name="description">`, for HTML pages. */
  readonly description?: string;
  /** `<link rel="canonical">`, for HTML pages. */
  readonly canonical?: string;
  /** The page's distinct http(s) links, absolute and normalised (all of them, in scope or not). */
  readonly links?: readonly string[];
  /** What `extract` or the parse task returned. */
  readonly data?: T;
  /** The decoded HTML, with `includeHtml`. */
  readonly html?: string;
  /** Where the body was saved, with `outDir` (non-HTML with `nonHtml: 'save'`, HTML with `saveHtml`). */
  readonly savedTo?: string;
}

/** A URL that was refused or not downloaded, on purpose. */
export interface SkippedResult extends ResultBase {
  readonly outcome: 'skipped';
  readonly reason: SkipReason;
  /** The HTTP status, when a response was received. */
  readonly status?: number;
  /** The `Content-Type` media type, for `'not-html'`. */
  readonly contentType?: string;
  /** The redirect target, for `'redirect-out-of-scope'` and `'duplicate'`. */
  readonly location?: string;
}

/** A URL that could not be fetched, after the retries. */
export interface FailedResult extends ResultBase {
  readonly outcome: 'failed';
  /** What went wrong; `error.code` says what kind of failure. */
  readonly error: ScrapeError;
  /** The HTTP status, when a response was received. */
  readonly status?: number;
  /** HTTP requests made for this URL. */
  readonly attempts: number;
}

/** One result per URL: fetched, skipped or failed. */
export type ScrapeResult<T = undefined> = PageResult<T> | SkippedResult | FailedResult;

/** Counters of a run, also passed to `onProgress`. */
export interface ScrapeStats {
  /** Results so far (ok + skipped + failed). */
  readonly done: number;
  /** Pages fetched. */
  readonly ok: number;
  /** URLs skipped (robots.txt, not HTML, redirects out of scope). */
  readonly skipped: number;
  /** URLs failed. */
  readonly failed: number;
  /** URLs waiting: in the frontier (memory and disk), waiting for their host, or for a retry. */
  readonly queued: number;
  /** Requests in progress. */
  readonly inFlight: number;
  /** HTTP requests made, robots.txt, retries and redirects included. */
  readonly requests: number;
  /** Retries made (after 429, 5xx, resets, timeouts). */
  readonly retries: number;
  /** Body bytes received. */
  readonly bytes: number;
  /** Links not followed because they are out of scope or excluded (crawl). */
  readonly outOfScope: number;
  /** Links not followed because `maxDepth` or `maxPages` was reached (crawl). */
  readonly dropped: number;
  /** URLs spilled to disk because the frontier was full in memory (crawl). */
  readonly spilled: number;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
  /** `ok / elapsed`, pages per second. */
  readonly pagesPerSecond: number;
}

/** A progress report: the counters, and the result that just came in. */
export interface ScrapeProgress<T = undefined> extends ScrapeStats {
  readonly result: ScrapeResult<T>;
}

/** Options of {@link fetchAll} (and, with more, of {@link crawl}). Every option is checked; a bad one throws a `TypeError`/`RangeError` naming it. */
export interface FetchAllOptions<T = undefined> {
  /** Requests in progress at once, over all hosts. @default 16 */
  readonly concurrency?: number;
  /** Requests in progress at once to one origin (scheme, host, port). @default the `concurrency` */
  readonly perHostConcurrency?: number;
  /**
   * Milliseconds between the starts of two requests to one origin (Scrapy's `DOWNLOAD_DELAY`,
   * wget's `--wait`). A robots.txt `Crawl-delay` raises it for its origin (up to 30 s).
   * @default 0
   */
  readonly perHostDelay?: number;
  /** Fetch and obey robots.txt (and `Crawl-delay`, and `<meta name="robots" content="nofollow">`). @default true */
  readonly respectRobots?: boolean;
  /** The `User-Agent` header; its product token (`futures-scrape`) is what robots.txt groups match. @default 'futures-scrape/0.1 (+https://www.npmjs.com/package/@futures/scrape)' */
  readonly userAgent?: string;
  /** Extra request headers (e.g. `accept-language`, `cookie`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds for one request, from sending it to the last byte of the body. @default 30000 */
  readonly timeout?: number;
  /** Retries of a request that got 408, 429, 500, 502, 503 or 504, a reset or refused connection, or a timeout. @default 3 */
  readonly retries?: number;
  /**
   * Base of the exponential backoff between retries, in ms: a random wait up to
   * `retryDelay · 2^(retry-1)`, capped at 30 s. A `Retry-After` header replaces it (and pauses
   * the whole origin for that long).
   * @default 500
   */
  readonly retryDelay?: number;
  /** A `Retry-After` longer than this (ms) is not waited for: the URL fails. @default 60000 */
  readonly maxRetryAfter?: number;
  /** Redirects followed per URL; one more fails it with `ERR_SCRAPE_TOO_MANY_REDIRECTS`. A loop fails at once. @default 20 */
  readonly maxRedirects?: number;
  /** Largest body accepted, in bytes; a larger one fails with `ERR_SCRAPE_BODY_TOO_LARGE` without being read to the end. @default 10485760 (10 MiB) */
  readonly maxBodySize?: number;
  /** What to do with responses that are not HTML: `'skip'` (a skipped result; the body is not downloaded) or `'save'` (saved under `outDir`). @default 'skip' */
  readonly nonHtml?: 'skip' | 'save';
  /** Where saved bodies go, as `outDir/<host>/<path>` (wget's layout; `index.html` for paths ending in `/`). Needed by `nonHtml: 'save'` and `saveHtml`. */
  readonly outDir?: string;
  /** Also save HTML pages under `outDir`. @default false */
  readonly saveHtml?: boolean;
  /** Put the decoded HTML into each result (`result.html`). @default false */
  readonly includeHtml?: boolean;
  /** Extracts data from each HTML page, on the event loop (with cheerio through `page.$`). */
  readonly extract?: ExtractFunction<T>;
  /** Executor for scanning large pages off the event loop, e.g. a `ThreadPoolExecutor`. Not shut down by the run. */
  readonly parseExecutor?: Executor;
  /** The task `parseExecutor` runs. @default the built-in scan, `scanPage` of `@futures/scrape/parse-task` */
  readonly parseTask?: ParseTask<T>;
  /** Pages of at least this many bytes go to `parseExecutor`; smaller ones are scanned in place (cheaper than a message). @default 65536 */
  readonly offloadBytes?: number;
  /** Executor the requests run on; it must take plain functions (in-process). Not shut down by the run. @default a new AsyncExecutor of `concurrency` workers */
  readonly executor?: Executor;
  /** Stops the run: requests in progress are aborted and iteration throws `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Called after every result with the counters. */
  readonly onProgress?: (progress: ScrapeProgress<T>) => void;
  /** Results held for a slow consumer before fetching pauses. @default max(64, 2 × concurrency) */
  readonly bufferSize?: number;
}

/** Options of {@link fetchAll} only. */
export interface FetchAllOnlyOptions {
  /** Fetch a URL given twice (after normalisation) only once. @default true */
  readonly dedupe?: boolean;
}

/** Options of {@link crawl}. */
export interface CrawlOptions<T = undefined> extends FetchAllOptions<T> {
  /** Where the crawl starts: one URL or several (depth 0). */
  readonly start: string | readonly string[];
  /** Which links are followed: see {@link Scope}. Start URLs are always fetched. @default 'origin' */
  readonly scope?: Scope;
  /** Links matching any of these (tested on the normalised URL) are not followed. */
  readonly exclude?: RegExp | readonly RegExp[];
  /** Links followed from a start URL at most (wget's `--level`); 0 fetches the start URLs only. @default Infinity */
  readonly maxDepth?: number;
  /** Page URLs requested at most (robots.txt aside); further links are dropped. @default Infinity */
  readonly maxPages?: number;
  /** URLs the frontier keeps in memory; more are spilled to a temporary file and read back in order. @default 100000 */
  readonly frontierMemory?: number;
  /** Directory of the frontier's spill file. @default os.tmpdir() */
  readonly spillDir?: string;
}
