/**
 * `crawl` against a real HTTP server on 127.0.0.1 serving a generated site of 2,000 pages and
 * its traps. The server records every request: the tests check what was fetched, what was
 * refused, and that nothing out of scope or disallowed was ever requested.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crawl, type ScrapeResult } from '../src/index.js';
import { DISALLOWED_PREFIX, startSite, type Site } from './site/server.js';

let site: Site;
beforeAll(async () => {
  site = await startSite({ pages: 2000, slowMs: 200, retryAfterSeconds: 1 });
});
afterAll(() => site.close());

const FAST = { retryDelay: 5 } as const;
/** A scope function: the numbered pages of the site's own origin. */
const pagesOnly = (url: URL): boolean => url.origin === site.origin && url.pathname.startsWith('/page/');

/** The paths a breadth-first crawl of the site should reach from `/`, to `maxDepth`. */
function reachable(maxDepth = Infinity): Set<string> {
  const seen = new Set<string>(['/']);
  let level = ['/'];
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const path of level) {
      if (path === '/nofollow') continue;
      for (const link of site.linksOf(path)) {
        if (!link.startsWith('/')) continue; // other origins, mailto:, javascript:
        const clean = link.split('#')[0] as string;
        if (clean.startsWith(DISALLOWED_PREFIX) || seen.has(clean)) continue;
        seen.add(clean);
        next.push(clean);
      }
    }
    level = next;
  }
  return seen;
}

const byPath = (results: readonly ScrapeResult<unknown>[]): Map<string, ScrapeResult<unknown>> => new Map(results.map((r) => [new URL(r.url).pathname, r]));

describe('crawl of a 2,000-page site with traps', () => {
  let results: ScrapeResult<unknown>[];
  let requests: Site['requests'];
  let maxInFlight: number;
  const count = (path: string): number => requests.filter((r) => r.path === path).length;
  beforeAll(async () => {
    site.reset();
    results = await crawl({ start: `${site.origin}/`, concurrency: 16, perHostConcurrency: 4, maxBodySize: 1_000_000, ...FAST }).toArray();
    requests = [...site.requests];
    maxInFlight = site.maxInFlight.get(new URL(site.origin).host) ?? 0;
  }, 60_000);

  it('fetches every reachable page once, and nothing else', () => {
    const expected = reachable();
    const paths = byPath(results);
    for (const path of expected) expect(paths.has(path), path).toBe(true);
    expect(results.length).toBe(paths.size); // one result per URL
    expect(paths.size).toBe(expected.size + 2); // + the two disallowed URLs, refused
    const pages = results.filter((r) => r.outcome === 'ok' && /\/page\/\d+$/.test(r.url));
    expect(pages).toHaveLength(2000);
    const requested = new Map<string, number>();
    for (const request of requests) requested.set(request.path, (requested.get(request.path) ?? 0) + 1);
    for (let i = 0; i < 2000; i++) expect(requested.get(`/page/${i}`), `/page/${i}`).toBe(1);
  });

  it('never requests another origin or a disallowed path; reads robots.txt once, with its user agent', () => {
    const host = new URL(site.origin).host;
    expect(requests.filter((r) => r.host !== host)).toEqual([]);
    expect(requests.filter((r) => r.path.startsWith(DISALLOWED_PREFIX))).toEqual([]);
    expect(count('/robots.txt')).toBe(1);
    expect(requests[0]?.path).toBe('/robots.txt');
    expect(new Set(requests.map((r) => r.userAgent))).toEqual(new Set([expect.stringMatching(/^futures-scrape\/0\.1/)]));
    expect(count('/hidden-by-nofollow')).toBe(0); // <meta name="robots" content="nofollow">
  });

  it('reports the disallowed URLs as refused', () => {
    const paths = byPath(results);
    for (const path of [`${DISALLOWED_PREFIX}secret`, `${DISALLOWED_PREFIX}more/deep`]) {
      expect(paths.get(path)).toMatchObject({ outcome: 'skipped', reason: 'robots', depth: 1, parent: `${site.origin}/` });
    }
  });

  it('keeps to the per-host concurrency (counted by the server)', () => {
    const max = maxInFlight;
    expect(max).toBeGreaterThan(1);
    expect(max).toBeLessThanOrEqual(4);
  });

  it('retries 500s until they recover, and 429 after its Retry-After', () => {
    const paths = byPath(results);
    expect(paths.get('/flaky/0')).toMatchObject({ outcome: 'ok', status: 200, attempts: 3, title: 'Flaky 0' });
    expect(count('/flaky/0')).toBe(3);
    expect(paths.get('/rate/0')).toMatchObject({ outcome: 'ok', attempts: 2 });
    expect(count('/rate/0')).toBe(2);
    // Retry-After paused the whole origin: no request of any page started during the second.
    const rateRequests = requests.map((r, i) => ({ ...r, i })).filter((r) => r.path === '/rate/0');
    expect(rateRequests).toHaveLength(2);
  });

  it('detects the redirect loop, follows a redirect, and refuses one that leaves the scope', () => {
    const paths = byPath(results);
    const loop = paths.get('/loop/a');
    expect(loop?.outcome).toBe('failed');
    if (loop?.outcome === 'failed') expect(loop.error.code).toBe('ERR_SCRAPE_REDIRECT_LOOP');
    expect(count('/loop/a')).toBe(1);
    expect(count('/loop/b')).toBe(1);
    expect(paths.get('/moved')).toMatchObject({ outcome: 'ok', status: 200, finalUrl: `${site.origin}/moved-here`, redirects: [`${site.origin}/moved`], title: 'Moved here' });
    expect(paths.get('/away')).toMatchObject({ outcome: 'skipped', reason: 'redirect-out-of-scope', location: `${site.otherOrigin}/page/3` });
  });

  it('reads broken HTML, decodes windows-1252, fails the page over maxBodySize, and skips non-HTML after the headers', () => {
    const paths = byPath(results);
    // As a browser reads it: the third <a> is unclosed, its attribute still counts.
    expect(paths.get('/broken')).toMatchObject({ outcome: 'ok', title: 'Broken <b>page', links: [5, 6, 7].map((n) => `${site.origin}/page/${n}`) });
    expect(paths.get('/latin1')).toMatchObject({ outcome: 'ok', title: 'Café crème', charset: 'windows-1252' });
    const big = paths.get('/big');
    expect(big?.outcome === 'failed' && big.error.code).toBe('ERR_SCRAPE_BODY_TOO_LARGE');
    for (const path of ['/files/report.pdf', '/files/data.json', '/no-type']) {
      expect(paths.get(path)).toMatchObject({ outcome: 'skipped', reason: 'not-html', status: 200 });
      expect(count(path)).toBe(1);
    }
    const gone = paths.get('/gone');
    expect(gone?.outcome === 'failed' && [gone.error.code, gone.status, gone.attempts]).toEqual(['ERR_SCRAPE_HTTP_STATUS', 404, 1]);
  });
});

describe('crawl limits', () => {
  beforeEach(() => site.reset());
  it('maxDepth: 1 fetches the start page and its links only', async () => {
    const results = await crawl({ start: `${site.origin}/`, maxDepth: 1, ...FAST, maxBodySize: 100_000 }).toArray();
    const expected = reachable(1);
    const fetched = new Set(results.map((r) => new URL(r.url).pathname));
    expect(fetched).toEqual(new Set([...expected, `${DISALLOWED_PREFIX}secret`, `${DISALLOWED_PREFIX}more/deep`]));
    expect(Math.max(...results.map((r) => r.depth))).toBe(1);
    expect(site.count('/page/2')).toBe(0);
  });

  it('maxPages bounds the pages requested', async () => {
    const run = crawl({ start: `${site.origin}/page/0`, scope: pagesOnly, maxPages: 50, concurrency: 8 });
    const results = await run.toArray();
    expect(results).toHaveLength(50);
    expect(site.requests.filter((r) => r.path.startsWith('/page/'))).toHaveLength(50);
    expect(run.stats.dropped).toBeGreaterThan(0);
  });

  it("scope 'prefix' keeps under the start URL's directory", async () => {
    const results = await crawl({ start: `${site.origin}/page/0`, scope: 'prefix', maxPages: 30, ...FAST }).toArray();
    expect(results.every((r) => new URL(r.url).pathname.startsWith('/page/'))).toBe(true);
    expect(site.count('/')).toBe(0);
  });

  it('a RegExp scope and exclude patterns', async () => {
    const paths = async (options: object): Promise<Set<string>> =>
      new Set((await crawl({ start: `${site.origin}/page/0`, scope: /\/page\/\d$/, ...FAST, ...options }).toArray()).map((r) => new URL(r.url).pathname));
    expect(await paths({})).toEqual(new Set([0, 2, 3, 6, 7, 8, 9].map((n) => `/page/${n}`)));
    expect(await paths({ exclude: [/\/page\/[5-9]$/] })).toEqual(new Set(['/page/0', '/page/2', '/page/3']));
  });

  it('a frontier smaller than the site spills to disk and still reaches every page, in order', async () => {
    const run = crawl({ start: `${site.origin}/page/0`, scope: pagesOnly, frontierMemory: 8, concurrency: 8 });
    const results = await run.toArray();
    expect(results.filter((r) => r.outcome === 'ok')).toHaveLength(2000);
    expect(run.stats.spilled).toBeGreaterThan(100);
    expect(run.stats.queued).toBe(0);
  });

  it('perHostDelay spaces the requests; respectRobots: false fetches the disallowed section', async () => {
    const results = await crawl({ start: `${site.origin}${DISALLOWED_PREFIX}secret`, respectRobots: false, perHostDelay: 20, maxDepth: 0 }).toArray();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ outcome: 'failed', status: 404 });
    expect(site.count('/robots.txt')).toBe(0);
    expect(site.count(`${DISALLOWED_PREFIX}secret`)).toBe(1);
  });

  it('a user agent of its own is matched against robots.txt groups by its product token', async () => {
    const results = await crawl({ start: `${site.origin}/page/0`, userAgent: 'Mozilla/5.0 (compatible; BadBot/2.1)' }).toArray();
    expect(results).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'robots' })]);
    expect(site.requests.map((r) => r.path)).toEqual(['/robots.txt']);
  });
});

describe('stopping a crawl', () => {
  beforeEach(() => site.reset());
  it('an aborted signal stops the requests and iteration throws its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const run = crawl({ start: `${site.origin}/`, signal: controller.signal, concurrency: 4 });
    let count = 0;
    await expect(
      (async () => {
        for await (const _ of run) if (++count === 20) controller.abort(reason);
      })(),
    ).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const requestsAtAbort = site.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(site.requests.length).toBe(requestsAtAbort);
    expect(count).toBe(20);
  });

  it('leaving the loop early stops the crawl', async () => {
    const run = crawl({ start: `${site.origin}/page/0`, concurrency: 4 });
    let count = 0;
    for await (const _ of run) if (++count === 10) break;
    // Requests already sent may still arrive; then nothing more.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const requests = site.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(site.requests.length).toBe(requests);
    expect(requests).toBeLessThan(20);
  });

  it('progress reports count up to the end', async () => {
    const seen: number[] = [];
    const run = crawl({ start: `${site.origin}/page/0`, scope: pagesOnly, maxPages: 20, onProgress: (p) => seen.push(p.done) });
    await run.toArray();
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(run.stats).toMatchObject({ done: 20, ok: 20, failed: 0, inFlight: 0, queued: 0 });
    expect(run.stats.pagesPerSecond).toBeGreaterThan(0);
  });
});
