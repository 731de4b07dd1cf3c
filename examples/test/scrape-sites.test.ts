/** The scraping example (`src/scrape-sites.ts`): what it downloaded, crawled and was refused. */
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main as scrapeSites } from '../src/scrape-sites.ts';

const SITES = ['www.google.com', 'www.youtube.com', 'www.facebook.com', 'www.twitter.com', 'www.instagram.com'];

describe('seed 001: Practical Examples: 1. Web Scraping, with @futures/scrape', () => {
  it('scrape-sites: five headings in input order, a crawl of 20 pages, /private/ refused by robots.txt', async () => {
    const lines: string[] = [];
    const result = await scrapeSites((...args: unknown[]) => lines.push(format(...args)));
    expect(result.headings).toEqual(SITES.map((site) => `Welcome to ${site}`));
    expect(result.crawled).toEqual(SITES.flatMap((site) => [`/${site}`, `/${site}/about`, `/${site}/news`, `/${site}/team`]).sort());
    expect(result.refused).toEqual(['/private/admin']);
    // 5 downloads + robots.txt, then 20 pages + robots.txt (a new run reads it again).
    expect(result.requests).toBe(27);
    expect(lines.filter((line) => line.startsWith('Downloaded '))).toHaveLength(5);
    expect(lines.at(-1)).toMatch(/^Crawled 20 pages \(1 refused by robots.txt, 21 requests\) in [\d.]+ second\(s\)$/);
  });
});
