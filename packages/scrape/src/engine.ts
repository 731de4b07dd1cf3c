/**
 * The scheduler behind `fetchAll` and `crawl`: takes URLs from the frontier, runs one HTTP
 * request at a time per piece of work on the fetch executor, within the total and per-origin
 * limits, and turns what comes back into results, redirect hops or retries.
 *
 * Bounded memory: work leaves the frontier only when it can start soon. At most
 * `concurrency` requests run; at most `concurrency` more pieces of work wait for their origin
 * (a slot, its delay, its robots.txt) or for a retry; and fetching pauses while `bufferSize`
 * results wait for the consumer. Everything else stays in the frontier, which spills to disk.
 */
import { AsyncExecutor } from '@futures/async';
import type { Executor } from '@futures/core';
import { setMaxListeners } from 'node:events';
import { Agent } from 'undici';
import { ScrapeError } from './errors.js';
import type { Frontier } from './frontier.js';
import { Host, type Work } from './hosts.js';
import { requestOnce, type Attempt, type RequestSpec } from './http.js';
import { processBody } from './page.js';
import { backoff } from './retry.js';
import { NO_RULES, UNAVAILABLE, parseRobots, robotsToken, type RobotsRules } from './robots.js';
import type { Settings } from './options.js';
import type { ScrapeResult, ScrapeStats, SkipReason } from './types.js';
import { failed, isHtmlType, newWork, skipped } from './results.js';
import { normalizeUrl } from './url.js';

/** The longest `Crawl-delay` obeyed, in ms. */
export const MAX_CRAWL_DELAY_MS = 30_000;
/** Largest robots.txt read (RFC 9309 asks for at least 500 KiB). */
const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_MAX_REDIRECTS = 5;

/** What the crawl adds on top of fetching: following links. */
export interface LinkSink<T> {
  /** Called with each fetched page; may queue its links and emit results (robots refusals). */
  onPage(result: ScrapeResult<T> & { outcome: 'ok' }, engine: Engine<T>): void;
  /** Decides whether a redirect target may be followed: `undefined` if yes, else why not. */
  checkRedirect(target: string): SkipReason | undefined;
  /** A URL queued for a page was refused before being requested (robots): give its budget back. */
  onRefused(): void;
}

type Outcome<T> = { kind: 'result'; result: ScrapeResult<T> } | { kind: 'redirect'; to: string } | { kind: 'retry'; attempt: Attempt & { kind: 'retry' } };

/** One run: a frontier in, results out (see `ScrapeRun` for the public face). */
export class Engine<T> {
  readonly settings: Settings<T>;
  readonly frontier: Frontier;
  readonly #sink: LinkSink<T> | undefined;
  readonly #controller = new AbortController();
  readonly #agent: Agent;
  readonly #executor: Executor;
  readonly #ownExecutor: boolean;
  readonly #hosts = new Map<string, Host>();
  /** Hosts with waiting work. */
  readonly #waitingHosts = new Set<Host>();
  readonly #requestHeaders: Readonly<Record<string, string>>;
  readonly #robotsToken: string;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #inFlight = 0;
  #parked = 0;
  #delayed = 0;
  #robotsLoading = 0;
  #inputDone = false;
  #finished = false;
  #failure: { error: unknown } | undefined;
  readonly #started = performance.now();
  #stats = { done: 0, ok: 0, skipped: 0, failed: 0, requests: 0, retries: 0, bytes: 0, outOfScope: 0, dropped: 0 };
  /** Results not taken by the consumer yet. */
  readonly #results: ScrapeResult<T>[] = [];
  #resultsHead = 0;
  #wake: (() => void) | undefined;
  /** Called once, the next time an entry leaves the frontier or the run ends (fetchAll's input reader waits on it). */
  onFrontierRoom: (() => void) | undefined;

  constructor(settings: Settings<T>, frontier: Frontier, sink: LinkSink<T> | undefined) {
    this.settings = settings;
    this.frontier = frontier;
    setMaxListeners(0, this.#controller.signal); // one listener per request in progress
    this.#sink = sink;
    this.#agent = new Agent({ connections: settings.perHostConcurrency, pipelining: 1, keepAliveTimeout: 10_000 });
    this.#ownExecutor = settings.executor === undefined;
    this.#executor = settings.executor ?? new AsyncExecutor({ maxWorkers: settings.concurrency });
    this.#requestHeaders = { 'user-agent': settings.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...lowerCaseKeys(settings.headers) };
    this.#robotsToken = robotsToken(settings.userAgent);
    if (settings.signal !== undefined) {
      const signal = settings.signal;
      if (signal.aborted) this.fail(signal.reason);
      else signal.addEventListener('abort', () => this.fail(signal.reason), { once: true });
    }
  }

  /** The counters now. */
  get stats(): ScrapeStats {
    const elapsedMs = performance.now() - this.#started;
    return {
      ...this.#stats,
      queued: this.frontier.length + this.#parked + this.#delayed,
      inFlight: this.#inFlight,
      spilled: this.frontier.spilledTotal,
      elapsedMs,
      pagesPerSecond: elapsedMs > 0 ? (this.#stats.ok * 1000) / elapsedMs : 0,
    };
  }

  /** Counts a link not followed. */
  countLink(kind: 'outOfScope' | 'dropped'): void {
    this.#stats[kind]++;
  }

  /** The robots.txt rules of `url`'s origin when already known (always allow when robots are off). */
  knownRobots(url: string): RobotsRules | undefined {
    if (!this.settings.respectRobots) return NO_RULES;
    return this.#hosts.get(new URL(url).origin)?.robots;
  }

  /** No more input will be added to the frontier. */
  inputDone(): void {
    this.#inputDone = true;
    this.pump();
  }

  /** Stops the run with `error`: requests are aborted and the consumer gets the error. */
  fail(error: unknown): void {
    if (this.#finished) return;
    this.#failure ??= { error };
    this.#finish();
  }

  /** Stops the run without an error (the consumer stopped iterating). */
  stop(): void {
    this.#finish();
  }

  /** Resolves with the next result, or `undefined` at the end; rejects with a fatal error. */
  async next(): Promise<ScrapeResult<T> | undefined> {
    for (;;) {
      if (this.#resultsHead < this.#results.length) {
        const result = this.#results[this.#resultsHead] as ScrapeResult<T>;
        this.#results[this.#resultsHead++] = undefined as unknown as ScrapeResult<T>;
        if (this.#resultsHead > 1024 && this.#resultsHead * 2 > this.#results.length) {
          this.#results.splice(0, this.#resultsHead);
          this.#resultsHead = 0;
        }
        this.pump();
        return result;
      }
      if (this.#failure !== undefined) throw this.#failure.error;
      if (this.#finished) return undefined;
      this.pump();
      if (this.#resultsHead < this.#results.length || this.#finished) continue;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Adds a result for the consumer. */
  emit(result: ScrapeResult<T>): void {
    if (this.#finished) return;
    this.#stats.done++;
    this.#stats[result.outcome === 'ok' ? 'ok' : result.outcome]++;
    if (result.outcome === 'ok') this.#stats.bytes += result.bytes;
    this.#results.push(result);
    if (this.settings.onProgress !== undefined) {
      try {
        this.settings.onProgress({ ...this.stats, result });
      } catch (error) {
        this.fail(error);
        return;
      }
    }
    this.#notify();
  }

  /** Starts what can start now; ends the run when nothing is left. */
  pump(): void {
    if (this.#finished) return;
    const { concurrency, bufferSize } = this.settings;
    while (this.#inFlight < concurrency && this.#results.length - this.#resultsHead < bufferSize && !this.#finished) {
      const work = this.#nextWork();
      if (work === undefined) break;
      this.#start(work);
    }
    if (this.#inFlight === 0 && this.#parked === 0 && this.#delayed === 0 && this.#robotsLoading === 0 && this.#inputDone && this.frontier.length === 0) this.#finish();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#controller.abort(this.#failure?.error ?? new Error('the run was stopped'));
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const host of this.#hosts.values()) clearTimeout(host.timer);
    this.frontier.close();
    const agent = this.#agent;
    const ownExecutor = this.#ownExecutor ? this.#executor : undefined;
    // Idle connections close now; busy ones were aborted above.
    void agent.close().catch(() => agent.destroy().catch(() => {}));
    void ownExecutor?.shutdown({ cancelFutures: true }).catch(() => {});
    this.#frontierRoom();
    this.#notify();
  }

  #frontierRoom(): void {
    const wake = this.onFrontierRoom;
    this.onFrontierRoom = undefined;
    wake?.();
  }

  /** True once the run has ended (finished, failed or stopped). */
  get finished(): boolean {
    return this.#finished;
  }

  #host(url: string): Host {
    const origin = new URL(url).origin;
    let host = this.#hosts.get(origin);
    if (host === undefined) {
      host = new Host(origin, this.settings.perHostDelay);
      if (!this.settings.respectRobots) host.robots = NO_RULES;
      this.#hosts.set(origin, host);
    }
    return host;
  }

  /** True when `host` can take a request now; starts what it waits for (robots.txt, its delay). */
  #ready(host: Host): boolean {
    if (host.robots === undefined) {
      if (!host.robotsLoading) void this.#loadRobots(host);
      return false;
    }
    if (host.inFlight >= this.settings.perHostConcurrency || this.#inFlight >= this.settings.concurrency) return false;
    const now = performance.now();
    if (now < host.nextStart) {
      if (host.timer === undefined) {
        host.timer = setTimeout(() => {
          host.timer = undefined;
          this.pump();
        }, Math.ceil(host.nextStart - now));
      }
      return false;
    }
    return true;
  }

  /** The next work that can start now, or undefined. Refuses robots-disallowed URLs on the way. */
  #nextWork(): Work | undefined {
    for (const host of this.#waitingHosts) {
      if (!this.#ready(host)) continue;
      const work = host.waiting.shift() as Work;
      if (host.waiting.length === 0) this.#waitingHosts.delete(host);
      this.#parked--;
      return work;
    }
    while (this.#parked < this.settings.concurrency) {
      const entry = this.frontier.shift();
      if (entry === undefined) break;
      this.#frontierRoom();
      const work = newWork(entry);
      const host = this.#host(work.current);
      if (host.robots !== undefined && this.#refused(work, host.robots)) continue;
      if (host.waiting.length === 0 && this.#ready(host)) return work;
      this.#park(host, work, false);
    }
    return undefined;
  }

  #park(host: Host, work: Work, front: boolean): void {
    if (front) host.waiting.unshift(work);
    else host.waiting.push(work);
    this.#waitingHosts.add(host);
    this.#parked++;
  }

  /** Emits a skipped result when robots.txt disallows the work's URL; true if it did. */
  #refused(work: Work, robots: RobotsRules): boolean {
    if (robots.allowed(work.current)) return false;
    if (work.chain.length === 0) this.#sink?.onRefused();
    this.emit(skipped(work, robots.source === 'unavailable' ? 'robots-unavailable' : 'robots'));
    return true;
  }

  #start(work: Work): void {
    const host = this.#host(work.current);
    host.inFlight++;
    this.#inFlight++;
    host.nextStart = performance.now() + host.delay;
    if (work.attempts === 0) work.started = performance.now();
    work.attempts++;
    work.chain.push(work.current);
    this.#stats.requests++;
    const release = (): void => {
      host.inFlight--;
      this.#inFlight--;
    };
    this.#executor.submitWith({ signal: this.#controller.signal }, () => this.#hop(work)).then(
      (outcome) => {
        release();
        this.#settle(work, host, outcome);
      },
      (error: unknown) => {
        release();
        this.fail(error);
      },
    );
  }

  /** One request for `work`, and what to do next. */
  async #hop(work: Work): Promise<Outcome<T>> {
    const attempt = await requestOnce(work.current, this.#spec);
    switch (attempt.kind) {
      case 'retry':
        return { kind: 'retry', attempt };
      case 'failed':
        return { kind: 'result', result: failed(work, attempt.error, attempt.status) };
      case 'redirect': {
        const to = attempt.location === undefined ? undefined : normalizeUrl(attempt.location, work.current);
        if (to === undefined) {
          const error = new ScrapeError('ERR_SCRAPE_BAD_REDIRECT', `GET ${work.current}: HTTP ${attempt.status} without a usable Location (${JSON.stringify(attempt.location ?? null)})`, { url: work.current, status: attempt.status });
          return { kind: 'result', result: failed(work, error, attempt.status) };
        }
        return { kind: 'redirect', to };
      }
      case 'body':
        return { kind: 'result', result: await processBody(work, attempt, this.settings, this.#controller.signal) };
    }
  }

  get #spec(): RequestSpec {
    const settings = this.settings;
    return {
      agent: this.#agent,
      headers: this.#requestHeaders,
      timeout: settings.timeout,
      maxBodySize: settings.maxBodySize,
      signal: this.#controller.signal,
      wantBody: (mediaType) => mediaType === '' || isHtmlType(mediaType) || settings.nonHtml === 'save',
    };
  }

  #settle(work: Work, previousHost: Host, outcome: Outcome<T>): void {
    if (this.#finished) return;
    try {
      if (outcome.kind === 'result') {
        this.emit(outcome.result);
        if (outcome.result.outcome === 'ok') this.#sink?.onPage(outcome.result, this);
      } else if (outcome.kind === 'redirect') this.#redirect(work, outcome.to);
      else this.#retry(work, previousHost, outcome.attempt);
    } catch (error) {
      this.fail(error);
    }
    this.pump();
  }

  #redirect(work: Work, to: string): void {
    if (work.chain.includes(to)) {
      const error = new ScrapeError('ERR_SCRAPE_REDIRECT_LOOP', `GET ${work.url}: redirect loop ${[...work.chain, to].join(' → ')}`, { url: work.url });
      this.emit(failed(work, error));
      return;
    }
    if (work.chain.length > this.settings.maxRedirects) {
      const error = new ScrapeError('ERR_SCRAPE_TOO_MANY_REDIRECTS', `GET ${work.url}: more than ${this.settings.maxRedirects} redirects (maxRedirects)`, { url: work.url });
      this.emit(failed(work, error));
      return;
    }
    const refusal = this.#sink?.checkRedirect(to);
    if (refusal !== undefined) {
      this.emit(skipped(work, refusal, { location: to }));
      return;
    }
    work.current = to;
    work.retries = 0;
    const host = this.#host(to);
    if (host.robots !== undefined && this.#refused(work, host.robots)) return;
    this.#park(host, work, true);
  }

  #retry(work: Work, host: Host, attempt: Attempt & { kind: 'retry' }): void {
    if (work.retries >= this.settings.retries || (attempt.retryAfterMs !== undefined && attempt.retryAfterMs > this.settings.maxRetryAfter)) {
      const note = work.retries >= this.settings.retries ? ` (after ${work.retries} ${work.retries === 1 ? 'retry' : 'retries'})` : ` (Retry-After ${attempt.retryAfterMs} ms is more than maxRetryAfter)`;
      const error = new ScrapeError(attempt.error.code, `${attempt.error.message}${note}`, { url: work.current, ...(attempt.status === undefined ? {} : { status: attempt.status }) }, { cause: attempt.error.cause });
      this.emit(failed(work, error, attempt.status));
      return;
    }
    work.retries++;
    this.#stats.retries++;
    work.chain.pop(); // the same hop again
    const wait = attempt.retryAfterMs ?? backoff(work.retries, this.settings.retryDelay);
    // Retry-After speaks for the whole origin: pause all of it, not only this URL.
    if (attempt.retryAfterMs !== undefined) host.nextStart = Math.max(host.nextStart, performance.now() + attempt.retryAfterMs);
    this.#delayed++;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#delayed--;
      this.#park(host, work, true);
      this.pump();
    }, wait);
    this.#timers.add(timer);
  }

  async #loadRobots(host: Host): Promise<void> {
    host.robotsLoading = true;
    this.#robotsLoading++;
    host.inFlight++;
    this.#inFlight++;
    let rules: RobotsRules = UNAVAILABLE;
    try {
      rules = await this.#fetchRobots(`${host.origin}/robots.txt`);
    } catch (error) {
      if (!this.#finished) this.fail(error);
      return;
    } finally {
      host.robotsLoading = false;
      this.#robotsLoading--;
      host.inFlight--;
      this.#inFlight--;
    }
    host.robots = rules;
    if (rules.crawlDelayMs !== undefined) host.delay = Math.max(host.delay, Math.min(rules.crawlDelayMs, MAX_CRAWL_DELAY_MS));
    const waiting = host.waiting.splice(0);
    this.#parked -= waiting.length;
    for (const work of waiting) if (!this.#refused(work, rules)) this.#park(host, work, false);
    if (host.waiting.length === 0) this.#waitingHosts.delete(host);
    this.pump();
  }

  /** GETs robots.txt with redirects (5 at most) and retries; 4xx → no rules, 5xx/network → unavailable. */
  async #fetchRobots(robotsUrl: string): Promise<RobotsRules> {
    const spec: RequestSpec = { ...this.#spec, maxBodySize: ROBOTS_MAX_BYTES, wantBody: () => true };
    let url = robotsUrl;
    let retries = 0;
    for (let hops = 0; hops <= ROBOTS_MAX_REDIRECTS; ) {
      this.#stats.requests++;
      const attempt = await requestOnce(url, spec);
      if (attempt.kind === 'body') return parseRobots(url, (attempt.body ?? Buffer.alloc(0)).toString('utf8'), this.#robotsToken);
      if (attempt.kind === 'redirect') {
        const next = attempt.location === undefined ? undefined : normalizeUrl(attempt.location, url);
        if (next === undefined) return NO_RULES;
        url = next;
        hops++;
        continue;
      }
      if (attempt.kind === 'retry' && retries < this.settings.retries && (attempt.retryAfterMs ?? 0) <= this.settings.maxRetryAfter) {
        retries++;
        this.#stats.retries++;
        await this.#sleep(attempt.retryAfterMs ?? backoff(retries, this.settings.retryDelay));
        continue;
      }
      const status = attempt.status;
      if (attempt.kind === 'failed' && attempt.error.code === 'ERR_SCRAPE_BODY_TOO_LARGE') return NO_RULES;
      return status !== undefined && status >= 400 && status < 500 && status !== 429 ? NO_RULES : UNAVAILABLE;
    }
    return NO_RULES; // RFC 9309: after 5 redirects, as if there were no robots.txt
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = this.#controller.signal;
      if (signal.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#timers.add(timer);
    });
  }
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
