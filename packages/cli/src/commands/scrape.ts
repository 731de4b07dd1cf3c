/**
 * `futures scrape <url...> [options]`: @futures/scrape from the shell, with flags in the style
 * of wget and curl (`--level`, `--wait`, `-U`, `-H`, `-P`, `--reject-regex`, `-i urls.txt`).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { crawl, fetchAll, type CrawlOptions, type FetchAllOptions, type ScrapeResult, type ScrapeRun, type ScrapeStats } from '@futures/scrape';
import { EXIT, UsageError, parseCommandArgs, type CommandIO, type ParsedArgs } from '../command.js';
import { formatBytes, formatDuration } from '../format.js';
import { createStatusLine, isLiveTerminal } from '../progress.js';

const HELP = `Usage: futures scrape <url...> [options]
       futures scrape -i <file> [options]

Crawl from <url...> (breadth first, within a scope), or fetch a list of URLs without following
links (-i). Politely: robots.txt is obeyed, requests per site are limited, 429/5xx/resets are
retried with backoff honouring Retry-After. One result per URL goes to --out as JSON lines.

Crawl:
  -l, --depth <n>            links followed from a start URL (wget --level)          [inf]
      --max-pages <n>        pages requested at most                                 [inf]
      --scope <scope>        origin, host (any port or scheme), prefix (under the
                               start URL's directory, wget --no-parent)             [origin]
      --accept-regex <re>    follow only links matching <re> (replaces --scope)
      --reject-regex <re>    never follow links matching <re>; repeat for several
  -i, --input-file <file>    fetch the URLs in <file>, one a line ("-": stdin); no crawling

Politeness:
  -j, --concurrency <n>      requests in progress at once                            [16]
      --per-host <n>         requests in progress at once to one site               [= -j]
  -w, --wait <seconds>       wait between two requests to one site                   [0]
      --rate <n>             at most <n> requests per second to one site (= --wait 1/n)
      --no-robots            ignore robots.txt and <meta name="robots">
  -U, --user-agent <ua>      User-Agent header                  [futures-scrape/0.1 (+...)]
  -H, --header <h>           extra header "Name: value"; repeat for several

HTTP:
  -T, --timeout <seconds>    limit per request, body included                        [30]
      --retries <n>          retries after 429, 5xx, resets, timeouts                [3]
      --max-redirect <n>     redirects followed per URL                              [20]
      --max-size <size>      largest body: bytes, or with k, M, G (1024-based)       [10M]

Output:
  -o, --out <file>           results as JSON lines ("-": stdout)                     [none]
  -P, --save-dir <dir>       save every page and file under <dir>/<host>/<path> (wget -x)
      --html                 put each page's HTML into its JSON line
      --json                 print the summary as JSON on stdout
      --quiet                no progress (failures are still printed)
  -h, --help                 this text

Progress goes to stderr: a status line (done / queued / failed, pages/s) on a terminal, one
line per URL otherwise. Ctrl-C stops cleanly (the results so far are kept in --out).

Exit status: 0 done, 1 some URLs failed or a fatal error, 2 bad usage, 130 interrupted.

Examples:
  futures scrape https://example.org/ --depth 2 --concurrency 64 --out pages.jsonl
  futures scrape https://example.org/docs/ --scope prefix -w 0.5 -P mirror
  futures scrape -i urls.txt -j 32 --per-host 4 -o - --quiet | jq .title
`;

const FLAGS = {
  depth: { type: 'string', short: 'l' },
  'max-pages': { type: 'string' },
  scope: { type: 'string' },
  'accept-regex': { type: 'string' },
  'reject-regex': { type: 'string', multiple: true },
  'input-file': { type: 'string', short: 'i' },
  concurrency: { type: 'string', short: 'j' },
  'per-host': { type: 'string' },
  wait: { type: 'string', short: 'w' },
  rate: { type: 'string' },
  'no-robots': { type: 'boolean' },
  'user-agent': { type: 'string', short: 'U' },
  header: { type: 'string', short: 'H', multiple: true },
  timeout: { type: 'string', short: 'T' },
  retries: { type: 'string' },
  'max-redirect': { type: 'string' },
  'max-size': { type: 'string' },
  out: { type: 'string', short: 'o' },
  'save-dir': { type: 'string', short: 'P' },
  html: { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ParsedArgs<typeof FLAGS>['values'];

/** Failures kept for the summary (the JSONL output has them all). */
const MAX_LISTED_FAILURES = 100;

/** Runs the command; resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, FLAGS);
  if (values.help === true) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const inputFile = values['input-file'];
  if (inputFile === undefined && positionals.length === 0) throw new UsageError('expected at least one <url> (or -i <file>)');
  if (inputFile !== undefined && positionals.length > 0) throw new UsageError('give either <url...> to crawl or -i <file> to fetch, not both');
  if (values.out === '-' && values.json === true) throw new UsageError('--out - and --json both write to stdout: pick one');

  const controller = new AbortController();
  const interruption = new Error('interrupted');
  const common: FetchAllOptions = { ...fetchOptions(values), signal: controller.signal };
  const display = createDisplay(io, values.quiet === true || values.json === true || values.out === '-');
  const failures: { url: string; code: string; message: string }[] = [];
  const onProgress = (progress: ScrapeStats & { result: ScrapeResult }): void => {
    const { result } = progress;
    if (result.outcome === 'failed' && failures.length < MAX_LISTED_FAILURES) failures.push({ url: result.url, code: result.error.code, message: result.error.message });
    display.update(progress, result);
  };
  const options = { ...common, onProgress };
  const scrape: ScrapeRun =
    inputFile === undefined ? crawl({ ...options, ...crawlOptions(values), start: positionals.map((url) => startUrl(url)) }) : fetchAll(readLines(inputFile), options);
  const unsubscribe = io.onInterrupt(() => {
    display.message('interrupted: stopping (the results so far are kept)');
    controller.abort(interruption);
  });

  let interrupted = false;
  try {
    if (values.out === undefined) for await (const _ of scrape) void _;
    else await scrape.writeJsonl(values.out === '-' ? io.stdout : values.out);
  } catch (error) {
    if (error !== interruption) throw error;
    interrupted = true;
  } finally {
    display.stop();
    unsubscribe();
  }
  const stats = scrape.stats;
  if (values.json === true) io.stdout.write(`${JSON.stringify({ interrupted, ...summaryJson(stats), failures }, null, 2)}\n`);
  else if (values.out !== '-') io.stdout.write(`${humanSummary(stats, interrupted, failures)}\n`);
  if (interrupted) return EXIT.interrupted;
  return stats.failed > 0 ? EXIT.someFailed : EXIT.ok;
}

async function* readLines(file: string): AsyncGenerator<string> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    const url = line.trim();
    if (url !== '' && !url.startsWith('#')) yield url;
  }
}

function startUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // below
  }
  throw new UsageError(`<url> must be an absolute http(s) URL, got ${JSON.stringify(text)}`);
}

function fetchOptions(values: Values): FetchAllOptions {
  const wait = values.wait === undefined ? undefined : seconds('--wait', values.wait);
  const rate = values.rate === undefined ? undefined : positiveNumber('--rate', values.rate);
  if (wait !== undefined && rate !== undefined) throw new UsageError('give --wait or --rate, not both');
  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header expects "Name: value", got ${JSON.stringify(header)}`);
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  const saveDir = values['save-dir'];
  return {
    ...(values.concurrency === undefined ? {} : { concurrency: integer('--concurrency', values.concurrency) }),
    ...(values['per-host'] === undefined ? {} : { perHostConcurrency: integer('--per-host', values['per-host']) }),
    ...(wait === undefined ? {} : { perHostDelay: wait }),
    ...(rate === undefined ? {} : { perHostDelay: 1000 / rate }),
    ...(values['no-robots'] === true ? { respectRobots: false } : {}),
    ...(values['user-agent'] === undefined ? {} : { userAgent: values['user-agent'] }),
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    ...(values.timeout === undefined ? {} : { timeout: seconds('--timeout', values.timeout) }),
    ...(values.retries === undefined ? {} : { retries: integer('--retries', values.retries) }),
    ...(values['max-redirect'] === undefined ? {} : { maxRedirects: integer('--max-redirect', values['max-redirect']) }),
    ...(values['max-size'] === undefined ? {} : { maxBodySize: size('--max-size', values['max-size']) }),
    ...(saveDir === undefined ? {} : { outDir: saveDir, saveHtml: true, nonHtml: 'save' as const }),
    ...(values.html === true ? { includeHtml: true } : {}),
  };
}

function crawlOptions(values: Values): Omit<CrawlOptions, 'start'> {
  const scope = values.scope;
  if (scope !== undefined && scope !== 'origin' && scope !== 'host' && scope !== 'prefix') throw new UsageError(`--scope must be origin, host or prefix, got ${JSON.stringify(scope)}`);
  if (scope !== undefined && values['accept-regex'] !== undefined) throw new UsageError('give --scope or --accept-regex, not both');
  return {
    ...(values.depth === undefined || values.depth === 'inf' ? {} : { maxDepth: integer('--depth', values.depth) }),
    ...(values['max-pages'] === undefined ? {} : { maxPages: integer('--max-pages', values['max-pages']) }),
    ...(scope === undefined ? {} : { scope }),
    ...(values['accept-regex'] === undefined ? {} : { scope: regex('--accept-regex', values['accept-regex']) }),
    ...(values['reject-regex'] === undefined ? {} : { exclude: values['reject-regex'].map((re) => regex('--reject-regex', re)) }),
  };
}

function integer(flag: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isInteger(value)) throw new UsageError(`${flag} expects a whole number, got ${JSON.stringify(text)}`);
  return value;
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} expects a number > 0, got ${JSON.stringify(text)}`);
  return value;
}

/** Seconds (wget style) → ms. */
function seconds(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`${flag} expects seconds (a number >= 0), got ${JSON.stringify(text)}`);
  return Math.round(value * 1000);
}

function size(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(text.trim());
  if (match === null) throw new UsageError(`${flag} expects a size like 500000, 512k, 10M or 1G, got ${JSON.stringify(text)}`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * unit);
}

function regex(flag: string, text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** The progress display: a status line on a terminal, a line per URL otherwise, failures only when quiet. */
interface Display {
  update(stats: ScrapeStats, result: ScrapeResult): void;
  message(text: string): void;
  stop(): void;
}

function describeResult(result: ScrapeResult): string {
  switch (result.outcome) {
    case 'ok':
      return `${result.status} ${result.url}${result.finalUrl === result.url ? '' : ` → ${result.finalUrl}`} (${formatBytes(result.bytes)}${result.title ? `, "${result.title}"` : ''})`;
    case 'skipped':
      return `skipped ${result.url}: ${result.reason}${result.location === undefined ? '' : ` (${result.location})`}`;
    case 'failed':
      return `FAILED ${result.url}: ${result.error.message} [${result.error.code}]`;
  }
}

function statusLine(stats: ScrapeStats): string {
  return `${stats.done} done (${stats.ok} ok, ${stats.skipped} skipped, ${stats.failed} failed) | ${stats.queued} queued, ${stats.inFlight} in flight | ${stats.pagesPerSecond.toFixed(1)} pages/s | ${formatBytes(stats.bytes)}`;
}

function createDisplay(io: CommandIO, quiet: boolean): Display {
  const write = (text: string): void => void io.stderr.write(text);
  if (quiet) {
    return { update: (_stats, result) => result.outcome === 'failed' && write(`${describeResult(result)}\n`), message: (text) => write(`${text}\n`), stop() {} };
  }
  if (!isLiveTerminal(io)) {
    return { update: (stats, result) => write(`[${stats.done} done, ${stats.queued} queued, ${stats.failed} failed] ${describeResult(result)}\n`), message: (text) => write(`${text}\n`), stop() {} };
  }
  const status = createStatusLine(io);
  return {
    update(stats, result) {
      if (result.outcome === 'failed') status.message(describeResult(result));
      status.set(statusLine(stats));
    },
    message: (text) => status.message(text),
    stop: () => status.stop(),
  };
}

function summaryJson(stats: ScrapeStats): Record<string, number> {
  return {
    done: stats.done,
    ok: stats.ok,
    skipped: stats.skipped,
    failed: stats.failed,
    requests: stats.requests,
    retries: stats.retries,
    bytes: stats.bytes,
    outOfScope: stats.outOfScope,
    dropped: stats.dropped,
    durationMs: Math.round(stats.elapsedMs),
    pagesPerSecond: Math.round(stats.pagesPerSecond * 10) / 10,
  };
}

function humanSummary(stats: ScrapeStats, interrupted: boolean, failures: readonly { url: string; code: string }[]): string {
  return [
    `${interrupted ? 'interrupted: ' : ''}${stats.ok} pages fetched, ${stats.skipped} skipped, ${stats.failed} failed (${stats.requests} requests, ${stats.retries} retries)`,
    `${formatBytes(stats.bytes)} in ${formatDuration(stats.elapsedMs)} (${stats.pagesPerSecond.toFixed(1)} pages/s)`,
    ...failures.map(({ url, code }) => `  failed: ${url}: ${code}`),
    ...(stats.failed > failures.length ? [`  ... and ${stats.failed - failures.length} more`] : []),
  ].join('\n');
}
