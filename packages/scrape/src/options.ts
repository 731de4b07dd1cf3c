/**
 * Checking the options of `fetchAll` and `crawl`: every value is validated once, up front,
 * with an exact `TypeError`/`RangeError` naming the option, and unknown keys are refused.
 */
import { tmpdir } from 'node:os';
import { describeValue, durationOption, integerOption, isTaskRef, limitOption, rejectUnknownOptions, type Executor } from '@futures/core';
import type { CrawlOptions, ExtractFunction, FetchAllOnlyOptions, FetchAllOptions, ParseTask, ScrapeProgress } from './types.js';
import { normalizeUrl, type Scope } from './url.js';

/** The default `User-Agent`. */
export const DEFAULT_USER_AGENT = 'futures-scrape/0.1 (+https://www.npmjs.com/package/@futures/scrape)';

/** Validated settings shared by both entry points. */
export interface Settings<T> {
  readonly concurrency: number;
  readonly perHostConcurrency: number;
  readonly perHostDelay: number;
  readonly respectRobots: boolean;
  readonly userAgent: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeout: number;
  readonly retries: number;
  readonly retryDelay: number;
  readonly maxRetryAfter: number;
  readonly maxRedirects: number;
  readonly maxBodySize: number;
  readonly nonHtml: 'skip' | 'save';
  readonly outDir: string | undefined;
  readonly saveHtml: boolean;
  readonly includeHtml: boolean;
  readonly extract: ExtractFunction<T> | undefined;
  readonly parseExecutor: Executor | undefined;
  readonly parseTask: ParseTask<T> | undefined;
  readonly offloadBytes: number;
  readonly executor: Executor | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: ScrapeProgress<T>) => void) | undefined;
  readonly bufferSize: number;
}

/** Settings of a crawl. */
export interface CrawlSettings<T> extends Settings<T> {
  readonly start: readonly string[];
  readonly scope: Scope;
  readonly exclude: readonly RegExp[];
  readonly maxDepth: number;
  readonly maxPages: number;
  readonly frontierMemory: number;
  readonly spillDir: string;
}

const FETCH_KEYS = [
  'concurrency', 'perHostConcurrency', 'perHostDelay', 'respectRobots', 'userAgent', 'headers', 'timeout', 'retries', 'retryDelay',
  'maxRetryAfter', 'maxRedirects', 'maxBodySize', 'nonHtml', 'outDir', 'saveHtml', 'includeHtml', 'extract', 'parseExecutor', 'parseTask',
  'offloadBytes', 'executor', 'signal', 'onProgress', 'bufferSize',
] as const;
const CRAWL_KEYS = ['start', 'scope', 'exclude', 'maxDepth', 'maxPages', 'frontierMemory', 'spillDir'] as const;

function object(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where}: options must be an object, got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

function string(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string, got ${describeValue(value)}`);
  return value;
}

function fn<F>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${describeValue(value)}`);
  return value as F;
}

function executor(name: string, value: unknown): Executor | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<Executor> | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.submit !== 'function' || typeof candidate.submitWith !== 'function') {
    throw new TypeError(`${name} must be an executor of @futures (AsyncExecutor, ThreadPoolExecutor, ...), got ${describeValue(value)}`);
  }
  return value as Executor;
}

function milliseconds(name: string, value: unknown, fallback: number): number {
  return durationOption(name, value) ?? (value === Infinity ? Infinity : fallback);
}

/** Checks the options both entry points share. */
export function fetchSettings<T>(where: string, options: FetchAllOptions<T> | undefined, extraKeys: readonly string[] = []): Settings<T> {
  const o = options === undefined ? {} : object(where, options);
  rejectUnknownOptions(where, o, [...FETCH_KEYS, ...extraKeys]);
  const concurrency = integerOption('concurrency', o.concurrency, 16);
  const nonHtml = o.nonHtml ?? 'skip';
  if (nonHtml !== 'skip' && nonHtml !== 'save') throw new TypeError(`nonHtml must be 'skip' or 'save', got ${describeValue(nonHtml)}`);
  const outDir = string('outDir', o.outDir);
  const saveHtml = boolean('saveHtml', o.saveHtml, false);
  if (outDir === undefined && (nonHtml === 'save' || saveHtml)) throw new TypeError(`outDir is required with ${nonHtml === 'save' ? "nonHtml: 'save'" : 'saveHtml: true'}`);
  const headers = o.headers ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw new TypeError(`headers must be an object of strings, got ${describeValue(o.headers)}`);
  }
  const parseTask = o.parseTask;
  if (parseTask !== undefined && !isTaskRef(parseTask)) throw new TypeError(`parseTask must be a task reference (defineTasks), got ${describeValue(parseTask)}`);
  const parseExecutor = executor('parseExecutor', o.parseExecutor);
  if (parseTask !== undefined && parseExecutor === undefined) throw new TypeError('parseTask needs a parseExecutor to run on');
  const fetchExecutor = executor('executor', o.executor);
  if (fetchExecutor !== undefined && !fetchExecutor.capabilities.plainFunctions) {
    throw new TypeError('executor must run plain functions in this process (e.g. an AsyncExecutor): requests share connection pools; pass a thread pool as parseExecutor instead');
  }
  const signal = o.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(`signal must be an AbortSignal, got ${describeValue(signal)}`);
  return {
    concurrency,
    perHostConcurrency: integerOption('perHostConcurrency', o.perHostConcurrency, concurrency),
    perHostDelay: milliseconds('perHostDelay', o.perHostDelay, 0),
    respectRobots: boolean('respectRobots', o.respectRobots, true),
    userAgent: string('userAgent', o.userAgent) ?? DEFAULT_USER_AGENT,
    headers: headers as Record<string, string>,
    timeout: milliseconds('timeout', o.timeout, 30_000),
    retries: integerOption('retries', o.retries, 3, 0),
    retryDelay: milliseconds('retryDelay', o.retryDelay, 500),
    maxRetryAfter: milliseconds('maxRetryAfter', o.maxRetryAfter, 60_000),
    maxRedirects: integerOption('maxRedirects', o.maxRedirects, 20, 0),
    maxBodySize: limitOption('maxBodySize', o.maxBodySize, 10 * 1024 * 1024),
    nonHtml,
    outDir,
    saveHtml,
    includeHtml: boolean('includeHtml', o.includeHtml, false),
    extract: fn<ExtractFunction<T>>('extract', o.extract),
    parseExecutor,
    parseTask: parseTask as ParseTask<T> | undefined,
    offloadBytes: integerOption('offloadBytes', o.offloadBytes, 65_536, 0),
    executor: fetchExecutor,
    signal: signal as AbortSignal | undefined,
    onProgress: fn<(progress: ScrapeProgress<T>) => void>('onProgress', o.onProgress),
    bufferSize: integerOption('bufferSize', o.bufferSize, Math.max(64, 2 * concurrency)),
  };
}

/** Checks the options of `fetchAll`. */
export function fetchAllSettings<T>(options: (FetchAllOptions<T> & FetchAllOnlyOptions) | undefined): Settings<T> & { readonly dedupe: boolean } {
  const settings = fetchSettings('fetchAll()', options, ['dedupe']);
  return { ...settings, dedupe: boolean('dedupe', options?.dedupe, true) };
}

/** Checks the options of `crawl`. */
export function crawlSettings<T>(options: CrawlOptions<T>): CrawlSettings<T> {
  const o = object('crawl()', options);
  const settings = fetchSettings<T>('crawl()', options, CRAWL_KEYS);
  const startList: unknown[] = typeof o.start === 'string' ? [o.start] : Array.isArray(o.start) ? o.start : [];
  if (startList.length === 0) throw new TypeError(`start must be a URL or a non-empty array of URLs, got ${describeValue(o.start)}`);
  const start = startList.map((value) => {
    const url = typeof value === 'string' ? normalizeUrl(value) : undefined;
    if (url === undefined) throw new TypeError(`start must hold absolute http(s) URLs, got ${describeValue(value)}`);
    return url;
  });
  const scope = o.scope ?? 'origin';
  if (!(scope === 'origin' || scope === 'host' || scope === 'prefix' || scope instanceof RegExp || typeof scope === 'function')) {
    throw new TypeError(`scope must be 'origin', 'host', 'prefix', a RegExp or a function, got ${describeValue(scope)}`);
  }
  const exclude = o.exclude === undefined ? [] : o.exclude instanceof RegExp ? [o.exclude] : o.exclude;
  if (!Array.isArray(exclude) || exclude.some((e) => !(e instanceof RegExp))) throw new TypeError(`exclude must be a RegExp or an array of RegExps, got ${describeValue(o.exclude)}`);
  return {
    ...settings,
    start,
    scope: scope as Scope,
    exclude: (exclude as RegExp[]).map((e) => new RegExp(e.source, e.flags.replace(/[gy]/g, ''))),
    maxDepth: limitOption('maxDepth', o.maxDepth, Infinity, 0),
    maxPages: limitOption('maxPages', o.maxPages, Infinity),
    frontierMemory: integerOption('frontierMemory', o.frontierMemory, 100_000),
    spillDir: string('spillDir', o.spillDir) ?? tmpdir(),
  };
}
