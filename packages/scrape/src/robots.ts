/**
 * robots.txt rules for one origin, parsed by robots-parser (RFC 9309: groups per user agent,
 * longest match wins, `Allow` beats `Disallow` on ties, `*` and `$` wildcards), plus what to
 * assume when the file cannot be had, as the RFC says: a 4xx status means no rules (everything
 * allowed); a 5xx status or no answer at all, after the retries, means everything is disallowed.
 */
import { createRequire } from 'node:module';

/** robots-parser is CommonJS with a default-export typing that ESM cannot call: load it the CommonJS way. */
const robotsParser = createRequire(import.meta.url)('robots-parser') as typeof import('robots-parser').default;

/** What a crawl asks of an origin's robots.txt. */
export interface RobotsRules {
  /** Where the rules come from: `'file'`, `'none'` (4xx: everything allowed) or `'unavailable'` (5xx or network: nothing allowed). */
  readonly source: 'file' | 'none' | 'unavailable';
  /** True when `url` (absolute, on this origin) may be requested. */
  allowed(url: string): boolean;
  /** The `Crawl-delay` for our user agent, in milliseconds, if the file sets one. */
  readonly crawlDelayMs: number | undefined;
  /** The `Sitemap:` URLs listed in the file. */
  readonly sitemaps: readonly string[];
}

/** The rules when robots.txt is missing (4xx). */
export const NO_RULES: RobotsRules = { source: 'none', allowed: () => true, crawlDelayMs: undefined, sitemaps: [] };

/** The rules when robots.txt cannot be fetched (5xx, network errors): stay away. */
export const UNAVAILABLE: RobotsRules = { source: 'unavailable', allowed: () => false, crawlDelayMs: undefined, sitemaps: [] };

/**
 * The product token robots.txt groups are matched against: `futures-scrape` for
 * `futures-scrape/0.1 (+https://example.org/bot)`, `mybot` for `Mozilla/5.0 (compatible; MyBot/2.1; ...)`.
 */
export function robotsToken(userAgent: string): string {
  const compatible = /compatible;\s*([^/;)\s]+)/i.exec(userAgent)?.[1];
  return (compatible ?? userAgent.split(/[\s/]/, 1)[0] ?? userAgent).toLowerCase();
}

/** Parses the robots.txt at `robotsUrl` for the user-agent token `token`. */
export function parseRobots(robotsUrl: string, text: string, token: string): RobotsRules {
  const robots = robotsParser(robotsUrl, text);
  const delay = robots.getCrawlDelay(token);
  return {
    source: 'file',
    allowed: (url) => robots.isAllowed(url, token) !== false,
    crawlDelayMs: delay === undefined || !Number.isFinite(delay) || delay <= 0 ? undefined : delay * 1000,
    sitemaps: robots.getSitemaps(),
  };
}
