/**
 * `futures scrape`, spawned for real (from the TypeScript sources through tsx) against the
 * generated site of @futures/scrape's tests on 127.0.0.1: JSONL out, plain progress lines off a
 * terminal, --json, exit codes, usage errors, -i, Ctrl-C.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { futures, type Result } from './run-cli.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSite, type Site } from '../../scrape/test/site/server.ts';



/** Runs `futures scrape ...args`. */
const scrape = (args: readonly string[], onStderr?: (text: string) => boolean): Promise<Result> => futures(['scrape', ...args], onStderr);

let site: Site;
let dir: string;
beforeAll(async () => {
  site = await startSite({ pages: 300, slowMs: 50 });
  dir = await mkdtemp(join(tmpdir(), 'futures-cli-scrape-'));
});
afterAll(async () => {
  await site.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => site.reset());

describe('futures scrape', () => {
  it('crawls to a depth, writes JSON lines, prints a line per URL off a terminal, and exits 1 when some failed', async () => {
    const out = join(dir, 'pages.jsonl');
    const result = await scrape([`${site.origin}/`, '--depth', '1', '--concurrency', '8', '--per-host', '4', '--max-size', '1M', '--out', out]);
    expect(result.code).toBe(1); // /gone (404), /loop/a, /big
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { url: string; outcome: string; depth: number; error?: { code: string } });
    const paths = new Set(lines.map((l) => new URL(l.url).pathname));
    expect(paths.has('/page/0') && paths.has('/flaky/0') && paths.has('/private/secret')).toBe(true);
    expect(Math.max(...lines.map((l) => l.depth))).toBe(1);
    expect(lines.find((l) => l.url.endsWith('/loop/a'))?.error?.code).toBe('ERR_SCRAPE_REDIRECT_LOOP');
    expect(site.requests.filter((r) => r.path.startsWith('/private/'))).toEqual([]);
    expect(result.stderr).toMatch(/^\[\d+ done, \d+ queued, \d+ failed\] 200 http:\/\/127\.0\.0\.1:\d+\/ \(/m);
    expect(result.stderr).toMatch(/FAILED http:\/\/127\.0\.0\.1:\d+\/gone: GET .*HTTP 404 \[ERR_SCRAPE_HTTP_STATUS\]/);
    expect(result.stdout).toMatch(/^\d+ pages fetched, \d+ skipped, 3 failed \(\d+ requests, \d+ retries\)\n.* pages\/s\)\n {2}failed: /);
  });

  it('--json prints the summary; everything fetched exits 0', async () => {
    const result = await scrape([`${site.origin}/page/0`, '--accept-regex', `^${site.origin}/page/`, '--max-pages', '25', '--json', '-j', '4']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ interrupted: false, done: 25, ok: 25, failed: 0, failures: [] });
    expect(result.stderr).toBe('');
  });

  it('-i fetches a list of URLs without following links; -o - writes JSON lines to stdout', async () => {
    const list = join(dir, 'urls.txt');
    await writeFile(list, `# some pages\n${site.origin}/page/1\n\n${site.origin}/page/2\n`);
    const result = await scrape(['-i', list, '-o', '-', '-U', 'TestBot/1.0', '-H', 'X-Test: yes']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { url: string; title: string });
    expect(lines.map((l) => l.title).sort()).toEqual(['Page 1', 'Page 2']);
    expect(site.requests.map((r) => r.path).sort()).toEqual(['/page/1', '/page/2', '/robots.txt']);
    expect(new Set(site.requests.map((r) => r.userAgent))).toEqual(new Set(['TestBot/1.0']));
  });

  it('usage errors exit 2 with a pointer to --help', async () => {
    const none = await scrape([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('futures scrape: expected at least one <url> (or -i <file>)\nTry: futures scrape --help');
    const bad = await scrape(['ftp://x', '--depth', 'two']);
    expect(bad.code).toBe(2);
    const flag = await scrape([site.origin, '--wait', 'soon']);
    expect(flag.stderr).toContain('--wait expects seconds (a number >= 0), got "soon"');
    const help = await scrape(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: futures scrape <url\.\.\.> \[options\]/);
  });

  it('Ctrl-C stops cleanly with exit 130 and a summary', async () => {
    const result = await scrape([`${site.origin}/`, '--wait', '0.05', '-j', '2'], (stderr) => stderr.split('\n').length > 5);
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/^interrupted: \d+ pages fetched/);
    expect(result.stderr).toContain('interrupted: stopping');
  });
});
