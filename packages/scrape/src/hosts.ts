/**
 * Per-origin state of a run: the keep-alive connection pool's limits are enforced here (how
 * many requests are in progress, when the next one may start), along with the origin's
 * robots.txt and the work waiting for it.
 */
import type { RobotsRules } from './robots.js';

/** A URL on its way: a queued URL, then each redirect hop and retry of it. */
export interface Work {
  /** The URL as queued. */
  readonly url: string;
  readonly depth: number;
  readonly parent: string | undefined;
  readonly index: number | undefined;
  /** The URL of the next request (differs from `url` after redirects). */
  current: string;
  /** The URLs requested so far for it, in order (the redirect chain). */
  readonly chain: string[];
  /** HTTP requests made for it. */
  attempts: number;
  /** Retries of the current hop. */
  retries: number;
  /** `performance.now()` of the first request. */
  started: number;
}

/** One origin (scheme, host, port). */
export class Host {
  /** Requests in progress (robots.txt included). */
  inFlight = 0;
  /** Earliest `performance.now()` at which the next request may start. */
  nextStart = 0;
  /** ms between request starts: `perHostDelay`, raised by `Crawl-delay`. */
  delay: number;
  /** The robots.txt rules, once known. */
  robots: RobotsRules | undefined;
  robotsLoading = false;
  /** Work for this origin waiting for a free slot, its delay, or its robots.txt. */
  readonly waiting: Work[] = [];
  /** Wakes the scheduler when `nextStart` comes. */
  timer: ReturnType<typeof setTimeout> | undefined;

  /** @param origin the origin, @param delay the configured `perHostDelay`. */
  constructor(
    readonly origin: string,
    delay: number,
  ) {
    this.delay = delay;
  }
}
