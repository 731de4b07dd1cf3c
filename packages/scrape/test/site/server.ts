/**
 * A generated web site on a real `node:http` server on 127.0.0.1, for the tests and the bench
 * (one copy: the bench imports this file). Thousands of linked pages, and the traps a crawler
 * meets: slow pages, 429 with Retry-After, 500s that recover, a redirect loop, broken HTML, a
 * very large page, a robots.txt that disallows a section, non-HTML files, links that leave the
 * scope, a windows-1252 page, a `nofollow` page. The server records every request and counts
 * how many were in progress at once, per Host header.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the site is generated. */
export interface SiteOptions {
  /** Pages `/page/0` .. `/page/{pages-1}`. @default 2000 */
  readonly pages?: number;
  /** Serve the trap pages (and link them from `/`). Off for the bench. @default true */
  readonly traps?: boolean;
  /** ms a `/slow/N` page takes. @default 300 */
  readonly slowMs?: number;
  /** `/flaky/N` answers 500 this many times, then 200. @default 2 */
  readonly failuresBeforeSuccess?: number;
  /** `/rate/N` answers 429 with this `Retry-After` (seconds) once, then 200. @default 1 */
  readonly retryAfterSeconds?: number;
  /** Size of `/big` in bytes. @default 3_000_000 */
  readonly bigBytes?: number;
  /** Filler bytes in each page, to make pages realistic in size. @default 2000 */
  readonly pageBytes?: number;
}

/** One request the server saw. */
export interface RecordedRequest {
  readonly path: string;
  /** The Host header: `127.0.0.1:PORT`, or another name for out-of-scope origins served here. */
  readonly host: string;
  readonly userAgent: string;
}

/** A running site. */
export interface Site extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The same server under another origin (`http://localhost:PORT`): out of scope for a crawl of `origin`. */
  readonly otherOrigin: string;
  readonly pages: number;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** The most requests in progress at once, per Host header. */
  readonly maxInFlight: Map<string, number>;
  /** Requests per path (on `origin`). */
  count(path: string): number;
  /** The links of a page of the site (paths or absolute URLs), as served: lets tests compute what a crawl should reach. */
  linksOf(path: string): string[];
  /** Forgets the recorded requests and the per-path state (flaky counters), so a new run starts afresh. */
  reset(): void;
  close(): Promise<void>;
}

/** Paths robots.txt disallows. */
export const DISALLOWED_PREFIX = '/private/';

/** Starts the site on a free port of 127.0.0.1. */
export async function startSite(options: SiteOptions = {}): Promise<Site> {
  const pages = options.pages ?? 2000;
  const traps = options.traps ?? true;
  const slowMs = options.slowMs ?? 300;
  const failures = options.failuresBeforeSuccess ?? 2;
  const retryAfter = options.retryAfterSeconds ?? 1;
  const bigBytes = options.bigBytes ?? 3_000_000;
  const filler = `<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.max(1, Math.round((options.pageBytes ?? 2000) / 57)))}</p>`;

  const requests: RecordedRequest[] = [];
  const maxInFlight = new Map<string, number>();
  const inFlight = new Map<string, number>();
  let hits = new Map<string, number>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let origin = '';
  let otherOrigin = '';

  const html = (title: string, body: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
  const anchors = (links: readonly string[]): string => links.map((href) => `<a href="${href}">${href}</a>`).join(' ');

  function linksOf(path: string): string[] {
    if (path === '/') {
      const links = ['/page/0', '/page/1', '/#top'];
      if (traps) {
        links.push(
          '/slow/0', '/slow/1', '/rate/0', '/flaky/0', '/flaky/1', '/loop/a', '/moved', '/away', '/broken', '/big', '/latin1', '/nofollow', '/gone',
          `${DISALLOWED_PREFIX}secret`, `${DISALLOWED_PREFIX}more/deep`, '/files/report.pdf', '/files/data.json', '/no-type',
          'mailto:someone@example.org', 'javascript:void(0)', `${otherOrigin}/page/0`, 'https://example.invalid/elsewhere',
        );
      }
      return links;
    }
    const match = /^\/page\/(\d+)$/.exec(path);
    if (match !== null) {
      const i = Number(match[1]);
      const out = [2 * i + 2, 2 * i + 3, (i * 7 + 3) % pages].filter((n) => n < pages).map((n) => `/page/${n}`);
      return [...out, '/', `/page/${i}#section`, `${otherOrigin}/page/${i}`];
    }
    if (path === '/broken') return ['/page/5', '/page/6', '/page/7'];
    if (path === '/nofollow') return ['/hidden-by-nofollow'];
    if (path === '/latin1') return ['/page/8'];
    if (path === '/big') return ['/page/9'];
    return [];
  }

  function respond(request: IncomingMessage, response: ServerResponse, path: string, done: () => void): void {
    const send = (status: number, headers: Record<string, string | number>, body: string | Buffer = ''): void => {
      const data = typeof body === 'string' ? Buffer.from(body) : body;
      response.writeHead(status, { 'content-length': data.length, ...headers }).end(data, done);
    };
    const page = (title: string, links: readonly string[], extra = ''): void =>
      send(200, { 'content-type': 'text/html; charset=utf-8' }, html(title, `${extra}${anchors(links)}${filler}`));
    const later = (ms: number, fn: () => void): void => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    };
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);

    if (path === '/robots.txt') return send(200, { 'content-type': 'text/plain' }, `User-agent: *\nDisallow: ${DISALLOWED_PREFIX}\n\nUser-agent: badbot\nDisallow: /\n`);
    if (path === '/' || /^\/page\/\d+$/.test(path)) {
      const i = path === '/' ? -1 : Number(path.slice(6));
      if (i >= pages) return send(404, { 'content-type': 'text/plain' }, 'no such page');
      return page(path === '/' ? 'Home' : `Page ${i}`, linksOf(path));
    }
    if (!traps) return send(404, { 'content-type': 'text/plain' }, 'not found');
    if (/^\/slow\/\d+$/.test(path)) return later(slowMs, () => page(`Slow ${path.slice(6)}`, ['/page/2']));
    if (/^\/rate\/\d+$/.test(path)) {
      if (hit === 1) return send(429, { 'content-type': 'text/plain', 'retry-after': retryAfter }, 'slow down');
      return page(`Rate ${path.slice(6)}`, []);
    }
    if (/^\/flaky\/\d+$/.test(path)) {
      if (hit <= failures) return send(500, { 'content-type': 'text/plain' }, 'oops');
      return page(`Flaky ${path.slice(7)}`, []);
    }
    if (path === '/loop/a') return send(302, { location: '/loop/b' });
    if (path === '/loop/b') return send(302, { location: `${origin}/loop/a` });
    if (path === '/moved') return send(301, { location: '/moved-here' });
    if (path === '/moved-here') return page('Moved here', []);
    if (path === '/away') return send(302, { location: `${otherOrigin}/page/3` });
    if (path === '/broken') {
      return send(200, { 'content-type': 'text/html' }, '<html><head><title>Broken <b>page</title><body><div><p>unclosed <a href="/page/5">five<a href=/page/6>six</p></div></span><a href=\'/page/7\' <table><tr><td>cell');
    }
    if (path === '/big') {
      const head = '<!doctype html><title>Big</title><body>';
      const tail = '<a href="/page/9">nine</a></body>';
      return send(200, { 'content-type': 'text/html' }, head + 'x'.repeat(Math.max(0, bigBytes - head.length - tail.length)) + tail);
    }
    if (path === '/latin1') {
      return send(200, { 'content-type': 'text/html; charset=windows-1252' }, Buffer.from('<!doctype html><title>Caf\xe9 cr\xe8me</title><a href="/page/8">8</a>', 'latin1'));
    }
    if (path === '/nofollow') return page('No follow', linksOf(path), '<meta name="robots" content="nofollow">');
    if (path === '/files/report.pdf') return send(200, { 'content-type': 'application/pdf' }, Buffer.from('%PDF-1.4\n% not a real pdf\n'));
    if (path === '/files/data.json') return send(200, { 'content-type': 'application/json' }, '{"ok":true}');
    if (path === '/no-type') return send(200, {}, Buffer.from([0, 1, 2, 3, 4]));
    return send(404, { 'content-type': 'text/plain' }, 'not found');
  }

  const server = createServer((request, response) => {
    const host = request.headers.host ?? '';
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    requests.push({ path, host, userAgent: request.headers['user-agent'] ?? '' });
    const now = (inFlight.get(host) ?? 0) + 1;
    inFlight.set(host, now);
    if (now > (maxInFlight.get(host) ?? 0)) maxInFlight.set(host, now);
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
    };
    response.on('close', done);
    respond(request, response, host === new URL(origin).host ? path : `//${host}${path}`, done);
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  otherOrigin = `http://localhost:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.close(() => resolve());
      server.closeAllConnections();
    }));

  return {
    origin,
    otherOrigin,
    pages,
    requests,
    maxInFlight,
    count: (path) => requests.filter((r) => r.path === path && r.host === new URL(origin).host).length,
    linksOf,
    reset() {
      requests.length = 0;
      maxInFlight.clear();
      hits = new Map();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
