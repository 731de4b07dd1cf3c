/**
 * Scraping several sites politely with @futures/scrape: the tutorial's downloads, then a crawl.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Practical Examples: 1. Web Scraping", the way a
 * scraper grows out of it:
 *
 *     def download_site(url):
 *         print(f"Downloading {url}...")
 *         response = requests.get(url)
 *         print(f"Downloaded {url}: {len(response.content)} bytes")
 *         return response.content
 *
 *     with concurrent.futures.ThreadPoolExecutor(max_workers=5) as executor:
 *         results = executor.map(download_site, urls)
 *
 * `download-sites.ts` ports it line for line on `AsyncExecutor`. Here `fetchAll` does the same
 * five downloads (on an AsyncExecutor of 5 workers inside) and extracts each page's `<h1>` with
 * cheerio; then `crawl` follows the links of the five home pages, two levels deep, obeying the
 * robots.txt that keeps it out of `/private/`. Everything is served by a real HTTP server the
 * example starts on 127.0.0.1 and stops at the end.
 */
import { crawl, fetchAll } from '@futures/scrape';
import { startLocalServer, type Route } from './lib/local-server.ts';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';

const SITES = ['www.google.com', 'www.youtube.com', 'www.facebook.com', 'www.twitter.com', 'www.instagram.com'];

export interface ScrapeSitesResult {
  /** The `<h1>` of each home page, in input order. */
  readonly headings: string[];
  /** The pages the crawl fetched (paths), sorted. */
  readonly crawled: string[];
  /** The URLs robots.txt kept the crawl away from (paths), sorted. */
  readonly refused: string[];
  /** Requests the server answered, robots.txt included. */
  readonly requests: number;
}

export async function main(log: Log = console.log): Promise<ScrapeSitesResult> {
  const page = (title: string, links: readonly string[]): Route => ({
    body: `<!doctype html><title>${title}</title><h1>${title}</h1>${links.map((href) => `<a href="${href}">${href}</a>`).join(' ')}`,
    delayMs: 40,
  });
  const routes: Record<string, Route> = { '/robots.txt': { body: 'User-agent: *\nDisallow: /private/\n', contentType: 'text/plain' } };
  for (const site of SITES) {
    routes[`/${site}`] = page(`Welcome to ${site}`, [`/${site}/about`, `/${site}/news`, '/private/admin']);
    routes[`/${site}/about`] = page(`About ${site}`, [`/${site}/news`, `/${site}/team`]);
    routes[`/${site}/news`] = page(`News of ${site}`, [`/${site}`]);
    routes[`/${site}/team`] = page(`Team of ${site}`, []);
  }
  await using server = await startLocalServer(routes);
  const urls = SITES.map((site) => server.url(`/${site}`));

  // 1. The tutorial: five downloads at once, each page's heading extracted.
  let start = performance.now();
  const headings: string[] = new Array<string>(urls.length);
  for await (const result of fetchAll(urls, { concurrency: 5, extract: ({ $ }) => $('h1').text() })) {
    if (result.outcome !== 'ok') throw new Error(`${result.url}: ${result.outcome}`);
    log(`Downloaded ${result.url}: ${result.bytes} bytes, "${result.data}"`);
    headings[result.index as number] = result.data ?? '';
  }
  log(`Finished in ${secondsSince(start)} second(s)`);

  // 2. A crawl from the five home pages, two links deep, within this origin.
  start = performance.now();
  const crawled: string[] = [];
  const refused: string[] = [];
  const run = crawl({ start: urls, maxDepth: 2, concurrency: 8 });
  for await (const result of run) {
    const path = new URL(result.url).pathname;
    if (result.outcome === 'ok') crawled.push(path);
    else if (result.outcome === 'skipped' && result.reason === 'robots') refused.push(path);
    log(`${result.outcome === 'ok' ? `${result.status} ${path}: ${result.title}` : `${result.outcome} ${path}`}`);
  }
  const { ok, skipped, requests } = run.stats;
  log(`Crawled ${ok} pages (${skipped} refused by robots.txt, ${requests} requests) in ${secondsSince(start)} second(s)`);
  return { headings, crawled: crawled.sort(), refused: refused.sort(), requests: server.stats.requests };
}

if (isEntryPoint(import.meta.url)) await main();
