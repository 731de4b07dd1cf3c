/**
 * Downloading several pages at once.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Practical Examples: 1. Web Scraping":
 *
 *     def download_site(url):
 *         print(f"Downloading {url}...")
 *         response = requests.get(url)
 *         print(f"Downloaded {url}: {len(response.content)} bytes")
 *         return response.content
 *
 *     urls = ["https://www.google.com", "https://www.youtube.com", ...]   # five sites
 *     with concurrent.futures.ThreadPoolExecutor(max_workers=5) as executor:
 *         results = executor.map(download_site, urls)
 *     print(f"Finished in {round(finish-start, 2)} second(s)")
 *
 * The five sites are served by a real HTTP server that the example starts on 127.0.0.1 (on a
 * free port) and stops at the end; each page takes 60-140 ms to answer. `requests.get` is
 * Node's built-in `fetch`. The five downloads overlap, so the whole takes about as long as
 * the slowest page, not the sum.
 */
import { AsyncExecutor } from '@futures/async';
import { startLocalServer, type Route } from './lib/local-server.ts';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';

const SITES = ['www.google.com', 'www.youtube.com', 'www.facebook.com', 'www.twitter.com', 'www.instagram.com'];

/** A page of `bytes` bytes (ASCII), so each site has its own, known size. */
function page(site: string, bytes: number): string {
  const head = `<!doctype html><title>${site}</title><p>`;
  return head + 'x'.repeat(bytes - head.length);
}

export interface DownloadSitesResult {
  /** The URLs downloaded, in input order. */
  readonly urls: string[];
  /** The size in bytes of each page, in input order (what `map` yielded). */
  readonly sizes: number[];
  /** The most requests the server had in progress at the same moment. */
  readonly maxInFlight: number;
  /** Seconds taken (for display). */
  readonly seconds: number;
}

export async function main(log: Log = console.log): Promise<DownloadSitesResult> {
  const routes: Record<string, Route> = {};
  SITES.forEach((site, i) => {
    routes[`/${site}`] = { body: page(site, 1000 * (i + 1)), delayMs: 60 + 20 * i };
  });
  await using server = await startLocalServer(routes);
  const urls = SITES.map((site) => server.url(`/${site}`));

  async function downloadSite(url: string): Promise<Uint8Array> {
    log(`Downloading ${url}...`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const content = new Uint8Array(await response.arrayBuffer());
    log(`Downloaded ${url}: ${content.byteLength} bytes`);
    return content;
  }

  const start = performance.now();
  const sizes: number[] = [];
  {
    await using executor = new AsyncExecutor({ maxWorkers: 5 });
    const results = executor.map(downloadSite, urls);
    for await (const content of results) sizes.push(content.byteLength);
  }
  const seconds = secondsSince(start);
  log(`Finished in ${seconds} second(s)`);
  return { urls, sizes, maxInFlight: server.stats.maxInFlight, seconds };
}

if (isEntryPoint(import.meta.url)) await main();
