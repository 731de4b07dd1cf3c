/**
 * `fetchAll(urls, options)`: fetch a list (or an endless stream) of URLs, no link following,
 * with the same politeness, retries and limits as `crawl`. The input is read lazily.
 */
import { describeValue } from '@futures/core';
import { Engine } from './engine.js';
import { ScrapeError } from './errors.js';
import { Frontier } from './frontier.js';
import { fetchAllSettings } from './options.js';
import { ScrapeRun } from './run.js';
import type { FetchAllOnlyOptions, FetchAllOptions } from './types.js';
import { hashUrl, normalizeUrl } from './url.js';

/**
 * Fetches every URL of `urls` (an array, any iterable, or an async iterable, read only as fast
 * as requests start, so an endless input is fine). Returns a {@link ScrapeRun}: one result per
 * distinct URL, in completion order, with `index` its position in the input. A URL that is not
 * absolute http(s) gives a failed result (`ERR_SCRAPE_BAD_URL`).
 *
 * @example
 * const run = fetchAll(['https://a.example/', 'https://b.example/'], { concurrency: 8, extract: ({ $ }) => $('h1').text() });
 * for await (const result of run) if (result.outcome === 'ok') console.log(result.url, result.data);
 */
export function fetchAll<T = undefined>(urls: Iterable<string | URL> | AsyncIterable<string | URL>, options?: FetchAllOptions<T> & FetchAllOnlyOptions): ScrapeRun<T> {
  if (typeof urls === 'string') throw new TypeError('urls must be an iterable of URLs, not a string: wrap a single URL in an array');
  if (urls === null || typeof urls !== 'object' || (!(Symbol.iterator in urls) && !(Symbol.asyncIterator in urls))) {
    throw new TypeError(`urls must be an iterable or async iterable of URLs, got ${describeValue(urls)}`);
  }
  const settings = fetchAllSettings(options);
  const cap = Math.max(1024, 2 * settings.concurrency);
  const frontier = new Frontier(cap, settings.outDir ?? '.');
  const engine = new Engine<T>(settings, frontier, undefined);
  const seen = new Set<number>();

  const feed = async (): Promise<void> => {
    let index = 0;
    for await (const raw of urls) {
      if (engine.finished) return;
      const i = index++;
      const text = raw instanceof URL ? raw.href : raw;
      const url = typeof text === 'string' ? normalizeUrl(text) : undefined;
      if (url === undefined) {
        const error = new ScrapeError('ERR_SCRAPE_BAD_URL', `not an absolute http(s) URL: ${describeValue(raw)}`);
        engine.emit({ url: String(raw), depth: 0, index: i, outcome: 'failed', error, attempts: 0 });
        continue;
      }
      if (settings.dedupe) {
        const hash = hashUrl(url);
        if (seen.has(hash)) continue;
        seen.add(hash);
      }
      frontier.push({ url, depth: 0, parent: undefined, index: i });
      engine.pump();
      while (frontier.length >= cap && !engine.finished) await new Promise<void>((resolve) => (engine.onFrontierRoom = resolve));
    }
    engine.inputDone();
  };
  return new ScrapeRun(engine, () => void feed().catch((error: unknown) => engine.fail(error)));
}
