/**
 * The three crawlers of `scrape.crawl`, each crawling the whole generated site from `/` within
 * its origin at the same concurrency, and returning how many pages it fetched.
 */
import { CheerioCrawler, Configuration, LogLevel, log } from '@crawlee/cheerio';
import { crawl } from '@futures/scrape';
import { load } from 'cheerio';
import pLimit from 'p-limit';

/** One crawler under test. */
export interface CrawlCase {
  readonly name: string;
  /** Crawls from `start` with `concurrency` requests at once; resolves to the pages fetched. */
  run(start: string, concurrency: number): Promise<number>;
}

/** @futures/scrape: robots.txt, per-origin pool, retries, link scan on htmlparser2 (no DOM). */
const ours: CrawlCase = {
  name: '@futures/scrape crawl()',
  async run(start, concurrency) {
    const run = crawl({ start, concurrency });
    for await (const _ of run) void _;
    return run.stats.ok;
  },
};

log.setLevel(LogLevel.OFF); // its per-run INFO lines would break the table

/** crawlee's CheerioCrawler, storage in memory only, at a fixed concurrency. */
const crawlee: CrawlCase = {
  name: 'crawlee CheerioCrawler',
  async run(start, concurrency) {
    let pages = 0;
    const config = new Configuration({ persistStorage: false, purgeOnStart: true });
    const crawler = new CheerioCrawler(
      {
        minConcurrency: concurrency,
        maxConcurrency: concurrency,
        maxRequestRetries: 3,
        async requestHandler({ enqueueLinks }) {
          pages++;
          await enqueueLinks({ strategy: 'same-origin' });
        },
      },
      config,
    );
    await crawler.run([start]);
    await crawler.teardown();
    return pages;
  },
};

/** The loop people write first: fetch + p-limit + cheerio, a Set for dedup. */
const naive: CrawlCase = {
  name: 'naive fetch + p-limit + cheerio',
  async run(start, concurrency) {
    const limit = pLimit(concurrency);
    const origin = new URL(start).origin;
    const seen = new Set<string>([start]);
    let pages = 0;
    let pending = 0;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const schedule = (url: string): void => {
      pending++;
      void limit(() => visit(url)).finally(() => {
        if (--pending === 0) finish();
      });
    };
    const visit = async (url: string): Promise<void> => {
      const response = await fetch(url);
      if (!response.ok || !(response.headers.get('content-type') ?? '').includes('html')) {
        await response.body?.cancel();
        return;
      }
      const $ = load(await response.text());
      pages++;
      $('a[href]').each((_, element) => {
        const href = $(element).attr('href');
        if (href === undefined) return;
        let link: URL;
        try {
          link = new URL(href, url);
        } catch {
          return;
        }
        link.hash = '';
        if (link.origin !== origin || seen.has(link.href)) return;
        seen.add(link.href);
        schedule(link.href);
      });
    };
    schedule(start);
    await finished;
    return pages;
  },
};

/** The cases, in the order of the table. */
export const CASES: readonly CrawlCase[] = [ours, crawlee, naive];
