/**
 * `scrape.crawl`: crawl a generated local site of 5,000 pages (the site of @futures/scrape's
 * tests, without its traps) at the same concurrency with @futures/scrape, crawlee's
 * CheerioCrawler and a naive fetch + p-limit + cheerio loop, in the same run; pages/s and ratios.
 */
import { startSite } from '../../packages/scrape/test/site/server.ts';
import { formatRatio } from '../lib/format.js';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { printTable } from '../lib/table.js';
import { CASES } from './cases.js';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function run(context: BenchContext): Promise<void> {
  const pages = context.args.tasks ?? (context.args.quick ? 500 : 5000);
  const rounds = context.args.runs ?? (context.args.quick ? 1 : 3);
  const concurrency = 32;
  await using site = await startSite({ pages, traps: false, pageBytes: 4000 });
  const rates = CASES.map(() => [] as number[]);
  const fetched = CASES.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < CASES.length; k++) {
      const index = (k + round) % CASES.length; // rotate the order across rounds
      const item = CASES[index];
      if (item === undefined) continue;
      site.reset();
      globalThis.gc?.();
      const start = performance.now();
      const count = await item.run(`${site.origin}/`, concurrency);
      const seconds = (performance.now() - start) / 1000;
      (rates[index] as number[]).push(count / seconds);
      fetched[index] = count;
    }
  }
  const rateOf = (i: number): number => median(rates[i] ?? [0]);
  printTable({
    title: `(scrape.crawl) crawl of a local site of ${pages + 1} HTML pages (~5 kB, 6 links each), concurrency ${concurrency}; median of ${rounds} round${rounds === 1 ? '' : 's'}`,
    columns: [{ header: 'case' }, { header: 'pages', align: 'right' }, { header: 'pages/s', align: 'right' }, { header: 'min – max', align: 'right' }, { header: 'vs crawlee', align: 'right' }, { header: 'vs naive', align: 'right' }],
    rows: CASES.map((item, i) => [
      item.name,
      String(fetched[i]),
      rateOf(i).toFixed(0),
      `${Math.min(...(rates[i] ?? [0])).toFixed(0)} – ${Math.max(...(rates[i] ?? [0])).toFixed(0)}`,
      formatRatio(rateOf(i) / rateOf(1)),
      formatRatio(rateOf(i) / rateOf(2)),
    ]),
    notes: [
      'Same site, same start URL, same concurrency (crawlee: minConcurrency = maxConcurrency); every crawler follows same-origin links and dedups.',
      '@futures/scrape also reads robots.txt; crawlee keeps its request queue in memory (persistStorage: false).',
    ],
  });
}

export const scrapeScenarios: readonly Scenario[] = [{ id: 'scrape.crawl', title: 'crawl 5,000 local pages: @futures/scrape vs crawlee vs fetch + p-limit', run }];
