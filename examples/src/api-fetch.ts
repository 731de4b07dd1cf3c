/**
 * Calling an API one request at a time, then all at once.
 *
 * Ports "Python Module - concurrent.futures" (Scaler Topics, seed 002_62c9057b8e45881c),
 * "Examples for Understanding: Example 3". The seed kept only the prose, not the code:
 *
 *     "The code below makes an HTTP request to retrieve items from the internet; we are using
 *      the request library to do this. The first piece of the code calls the API one at a
 *      time, which causes the fetch to be slow, but the second section uses threads to perform
 *      a simultaneous request for the API."
 *
 * which is, in Python:
 *
 *     def fetch(url): return requests.get(url).json()
 *     items = [fetch(url) for url in urls]                   # one at a time: slow
 *     with ThreadPoolExecutor() as executor:
 *         items = list(executor.map(fetch, urls))             # simultaneous
 *
 * The API is a real HTTP server the example starts on 127.0.0.1 (free port) and stops at the
 * end; each of its 6 items takes 80 ms to answer, so one at a time takes about 0.5 s and all
 * at once about 0.08 s. Both ways give the same items in the same order.
 */
import { AsyncExecutor } from '@futures/async';
import { startLocalServer, type Route } from './lib/local-server.ts';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';

/** One item of the API. */
export interface Item {
  readonly id: number;
  readonly title: string;
}

const ITEM_COUNT = 6;
const DELAY_MS = 80;

export interface ApiFetchResult {
  /** The items fetched one at a time. */
  readonly sequential: Item[];
  /** The items fetched at once with `map` (input order). */
  readonly concurrent: Item[];
  /** Seconds taken by each way (for display). */
  readonly seconds: { readonly sequential: number; readonly concurrent: number };
  /** The most requests the server had in progress at the same moment. */
  readonly maxInFlight: number;
}

export async function main(log: Log = console.log): Promise<ApiFetchResult> {
  const routes: Record<string, Route> = {};
  for (let id = 1; id <= ITEM_COUNT; id++) {
    const item: Item = { id, title: `item number ${id}` };
    routes[`/api/items/${id}`] = { body: JSON.stringify(item), contentType: 'application/json', delayMs: DELAY_MS };
  }
  await using server = await startLocalServer(routes);
  const urls = Array.from({ length: ITEM_COUNT }, (_, i) => server.url(`/api/items/${i + 1}`));

  async function fetchItem(url: string): Promise<Item> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return (await response.json()) as Item;
  }

  // One at a time.
  let start = performance.now();
  const sequential: Item[] = [];
  for (const url of urls) {
    const item = await fetchItem(url);
    log(`fetched #${item.id}: ${item.title}`);
    sequential.push(item);
  }
  const sequentialSeconds = secondsSince(start);
  log(`One at a time: ${ITEM_COUNT} items in ${sequentialSeconds} second(s)`);

  // All at once.
  start = performance.now();
  const concurrent: Item[] = [];
  {
    await using executor = new AsyncExecutor();
    for await (const item of executor.map(fetchItem, urls)) {
      log(`fetched #${item.id}: ${item.title}`);
      concurrent.push(item);
    }
  }
  const concurrentSeconds = secondsSince(start);
  log(`All at once: ${ITEM_COUNT} items in ${concurrentSeconds} second(s)`);

  return {
    sequential,
    concurrent,
    seconds: { sequential: sequentialSeconds, concurrent: concurrentSeconds },
    maxInFlight: server.stats.maxInFlight,
  };
}

if (isEntryPoint(import.meta.url)) await main();
