/**
 * `crawl(options)`: from start URLs, follow links breadth first within a scope, a depth and a
 * page budget, politely (robots.txt, per-origin limits and delays), with bounded memory.
 */
import { Engine, type LinkSink } from './engine.js';
import { Frontier } from './frontier.js';
import { crawlSettings } from './options.js';
import { NOFOLLOW } from './page.js';
import { ScrapeRun } from './run.js';
import type { CrawlOptions } from './types.js';
import { hashUrl, scopeTest } from './url.js';

/**
 * Crawls from `options.start`. Returns a {@link ScrapeRun}: iterate it (or `writeJsonl`) to run
 * the crawl; one result per URL requested or refused, as they complete.
 *
 * @example
 * for await (const page of crawl({ start: 'https://example.org/', maxDepth: 2, concurrency: 32 })) {
 *   if (page.outcome === 'ok') console.log(page.status, page.url, page.title);
 * }
 */
export function crawl<T = undefined>(options: CrawlOptions<T>): ScrapeRun<T> {
  const settings = crawlSettings(options);
  const frontier = new Frontier(settings.frontierMemory, settings.spillDir);
  /** Every URL queued, refused or judged out of scope, as a hash: each is considered once. */
  const seen = new Set<number>();
  const inScope = scopeTest(settings.scope, settings.start);
  const followable = (link: string): boolean => {
    if (settings.exclude.some((pattern) => pattern.test(link))) return false;
    return inScope(new URL(link));
  };
  let admitted = 0;

  const sink: LinkSink<T> = {
    onPage(page, engine) {
      if (settings.respectRobots && NOFOLLOW.has(page)) return;
      const depth = page.depth + 1;
      for (const link of page.links ?? []) {
        const hash = hashUrl(link);
        if (seen.has(hash)) continue;
        seen.add(hash);
        if (!followable(link)) {
          engine.countLink('outOfScope');
          continue;
        }
        if (depth > settings.maxDepth || admitted >= settings.maxPages) {
          engine.countLink('dropped');
          continue;
        }
        const robots = engine.knownRobots(link);
        if (robots !== undefined && !robots.allowed(link)) {
          engine.emit({ url: link, depth, parent: page.finalUrl, outcome: 'skipped', reason: robots.source === 'unavailable' ? 'robots-unavailable' : 'robots' });
          continue;
        }
        admitted++;
        frontier.push({ url: link, depth, parent: page.finalUrl, index: undefined });
      }
    },
    checkRedirect(target) {
      if (!followable(target)) return 'redirect-out-of-scope';
      const hash = hashUrl(target);
      if (seen.has(hash)) return 'duplicate';
      seen.add(hash);
      return undefined;
    },
    onRefused() {
      admitted--;
    },
  };

  const engine = new Engine<T>(settings, frontier, sink);
  return new ScrapeRun(engine, () => {
    for (const url of settings.start) {
      const hash = hashUrl(url);
      if (seen.has(hash) || admitted >= settings.maxPages) continue;
      seen.add(hash);
      admitted++;
      frontier.push({ url, depth: 0, parent: undefined, index: undefined });
    }
    engine.inputDone();
  });
}
