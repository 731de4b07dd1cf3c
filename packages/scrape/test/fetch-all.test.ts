/**
 * `fetchAll`, extraction (cheerio, a parse task in worker threads), saving, JSONL, option
 * checks and the small pure helpers, against the same generated site.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crawl, decodeBody, fetchAll, normalizeUrl, parseRetryAfter, robotsToken, type PageResult } from '../src/index.js';
import { Frontier } from '../src/frontier.js';
import { startSite, type Site } from './site/server.js';

let site: Site;
beforeAll(async () => {
  site = await startSite({ pages: 200, slowMs: 100 });
});
afterAll(() => site.close());
beforeEach(() => site.reset());

describe('fetchAll', () => {
  it('fetches each distinct URL once, reads the input lazily, and reports bad URLs', async () => {
    async function* input(): AsyncGenerator<string | URL> {
      yield `${site.origin}/page/1`;
      yield new URL(`${site.origin}/page/2#x`);
      yield `${site.origin}/page/1`; // a duplicate after normalisation
      yield 'ftp://example.org/file';
      yield `${site.origin}/flaky/0`;
    }
    const results = await fetchAll(input(), { retryDelay: 5, extract: ({ $ }) => $('h1').text() }).toArray();
    const byIndex = new Map(results.map((r) => [r.index, r]));
    expect([...byIndex.keys()].sort()).toEqual([0, 1, 3, 4]);
    expect(byIndex.get(0)).toMatchObject({ outcome: 'ok', data: 'Page 1', title: 'Page 1' });
    expect(byIndex.get(1)).toMatchObject({ outcome: 'ok', url: `${site.origin}/page/2`, data: 'Page 2' });
    const bad = byIndex.get(3);
    expect(bad?.outcome === 'failed' && bad.error.code).toBe('ERR_SCRAPE_BAD_URL');
    expect(byIndex.get(4)).toMatchObject({ outcome: 'ok', attempts: 3 });
    expect(site.count('/page/1')).toBe(1);
  });

  it('retries give up after `retries`, with the last status', async () => {
    const results = await fetchAll([`${site.origin}/flaky/1`], { retries: 1, retryDelay: 1 }).toArray();
    expect(results[0]).toMatchObject({ outcome: 'failed', status: 500, attempts: 2 });
    expect(results[0]?.outcome === 'failed' && results[0].error.message).toMatch(/HTTP 500 \(after 1 retry\)/);
  });

  it('a Retry-After longer than maxRetryAfter fails at once', async () => {
    const results = await fetchAll([`${site.origin}/rate/7`], { maxRetryAfter: 100 }).toArray();
    expect(results[0]).toMatchObject({ outcome: 'failed', status: 429, attempts: 1 });
  });

  it('too many redirects fail; a timeout is retried then fails', async () => {
    const [moved] = await fetchAll([`${site.origin}/moved`], { maxRedirects: 0 }).toArray();
    expect(moved?.outcome === 'failed' && moved.error.code).toBe('ERR_SCRAPE_TOO_MANY_REDIRECTS');
    const [slow] = await fetchAll([`${site.origin}/slow/3`], { timeout: 20, retries: 1, retryDelay: 1 }).toArray();
    expect(slow?.outcome === 'failed' && [slow.error.code, slow.attempts]).toEqual(['ERR_SCRAPE_TIMEOUT', 2]);
  });

  it('saves non-HTML and HTML bodies in wget layout, and writes JSONL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scrape-save-'));
    try {
      const run = fetchAll([`${site.origin}/files/report.pdf`, `${site.origin}/`, `${site.origin}/gone`], { nonHtml: 'save', saveHtml: true, outDir: dir });
      const stats = await run.writeJsonl(join(dir, 'out.jsonl'));
      expect(stats).toMatchObject({ done: 3, ok: 2, failed: 1 });
      const host = `127.0.0.1_${new URL(site.origin).port}`;
      expect(await readFile(join(dir, host, 'files/report.pdf'), 'latin1')).toMatch(/^%PDF/);
      expect(await readFile(join(dir, host, 'index.html'), 'utf8')).toMatch(/<title>Home<\/title>/);
      const lines = (await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(3);
      expect(lines.find((l) => l.outcome === 'failed')).toMatchObject({ status: 404, error: { code: 'ERR_SCRAPE_HTTP_STATUS' } });
      expect(lines.find((l) => (l.url as string).endsWith('.pdf'))).toMatchObject({ contentType: 'application/pdf', savedTo: join(dir, host, 'files/report.pdf') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a throwing extract fails its page only', async () => {
    const results = await fetchAll([`${site.origin}/page/1`, `${site.origin}/page/2`], {
      extract: ({ url }) => {
        if (url.endsWith('/1')) throw new Error('no price');
        return 1;
      },
    }).toArray();
    const failed = results.find((r) => r.outcome === 'failed');
    expect(failed?.outcome === 'failed' && [failed.error.code, failed.error.message]).toEqual(['ERR_SCRAPE_EXTRACT', `${site.origin}/page/1: extract threw: no price`]);
    expect(results.filter((r) => r.outcome === 'ok')).toHaveLength(1);
  });
});

describe('parsing in worker threads', () => {
  it('parseExecutor scans pages in threads with the built-in task: the same links as in place', async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 });
    const start = `${site.origin}/page/0`;
    const scope = (url: URL): boolean => url.origin === site.origin && url.pathname.startsWith('/page/');
    const inThreads = await crawl({ start, scope, maxPages: 40, parseExecutor: pool, offloadBytes: 0 }).toArray();
    const inPlace = await crawl({ start, scope, maxPages: 40 }).toArray();
    const links = (results: typeof inPlace): Map<string, readonly string[] | undefined> => new Map(results.map((r) => [r.url, (r as PageResult).links]));
    const threaded = links(inThreads);
    const common = [...links(inPlace)].filter(([url]) => threaded.has(url));
    expect(common.length).toBeGreaterThan(10); // which 40 pages depends on completion order
    for (const [url, list] of common) expect(threaded.get(url), url).toEqual(list);
    expect(pool.stats.completed).toBeGreaterThanOrEqual(40);
  });
});

describe('options are checked', () => {
  it('with exact messages naming the option', () => {
    expect(() => crawl({ start: 'not a url' })).toThrow(new TypeError('start must hold absolute http(s) URLs, got "not a url"'));
    expect(() => crawl({ start: [] })).toThrow(new TypeError('start must be a URL or a non-empty array of URLs, got an instance of Array'));
    expect(() => crawl({ start: site.origin, concurrency: 0 })).toThrow(new RangeError('concurrency must be >= 1, got 0'));
    expect(() => crawl({ start: site.origin, maxDepth: -1 })).toThrow(new RangeError('maxDepth must be >= 0, got -1'));
    expect(() => crawl({ start: site.origin, timeout: -5 })).toThrow(new RangeError('timeout must be >= 0 milliseconds, got -5'));
    expect(() => crawl({ start: site.origin, nonHtml: 'keep' as never })).toThrow(new TypeError('nonHtml must be \'skip\' or \'save\', got "keep"'));
    expect(() => crawl({ start: site.origin, nonHtml: 'save' })).toThrow(new TypeError("outDir is required with nonHtml: 'save'"));
    expect(() => crawl({ start: site.origin, scope: 'domain' as never })).toThrow(new TypeError('scope must be \'origin\', \'host\', \'prefix\', a RegExp or a function, got "domain"'));
    expect(() => crawl({ start: site.origin, maxdepth: 2 } as never)).toThrow(/crawl\(\): unknown option "maxdepth"; known options are concurrency, /);
    expect(() => fetchAll('http://a.example/' as never)).toThrow(new TypeError('urls must be an iterable of URLs, not a string: wrap a single URL in an array'));
    expect(() => fetchAll([], { retries: 1.5 })).toThrow(new TypeError('retries must be an integer, got 1.5'));
  });

  it('an executor that cannot run plain functions is refused for requests', async () => {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => fetchAll([], { executor: pool })).toThrow(/^executor must run plain functions in this process/);
  });
});

describe('helpers', () => {
  it('normalizeUrl', () => {
    expect(normalizeUrl('HTTP://Example.ORG:80/a/./b/../c?#frag')).toBe('http://example.org/a/c');
    expect(normalizeUrl('/x%7Ey%2F', 'https://a.example/dir/')).toBe('https://a.example/x~y%2F');
    expect(normalizeUrl('mailto:a@b.c')).toBeUndefined();
    expect(normalizeUrl('http://[bad')).toBeUndefined();
  });

  it('parseRetryAfter', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('decodeBody: BOM, header, meta, fallback', () => {
    expect(decodeBody(Buffer.from('caf\xe9', 'latin1'), 'text/html; charset=ISO-8859-1')).toEqual({ text: 'café', charset: 'windows-1252' });
    expect(decodeBody(Buffer.concat([Buffer.from('<meta charset="shift_jis">'), Buffer.from([0x82, 0xa0])]), 'text/html').text).toMatch(/あ$/);
    expect(decodeBody(Buffer.from('\ufeffhé'), 'text/html; charset=latin1').charset).toBe('utf-8');
    expect(decodeBody(Buffer.from('hé'), undefined)).toEqual({ text: 'hé', charset: 'utf-8' });
  });

  it('robotsToken', () => {
    expect(robotsToken('futures-scrape/0.1 (+https://x)')).toBe('futures-scrape');
    expect(robotsToken('Mozilla/5.0 (compatible; MyBot/2.1; +http://x)')).toBe('mybot');
  });

  it('the frontier keeps FIFO order across memory and disk', () => {
    const frontier = new Frontier(3, tmpdir());
    const out: number[] = [];
    for (let i = 0; i < 2000; i++) {
      frontier.push({ url: `http://x/${i}`, depth: i, parent: undefined, index: undefined });
      if (i % 3 === 0) out.push(frontier.shift()?.depth ?? -1);
    }
    for (let entry = frontier.shift(); entry !== undefined; entry = frontier.shift()) out.push(entry.depth);
    expect(out).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(frontier.spilledTotal).toBeGreaterThan(1000);
    frontier.close();
  });
});
