/**
 * URLs: normalisation (so that one page has one spelling), a compact hash for the set of URLs
 * already seen, and the crawl scope.
 */

/**
 * The normalised absolute form of `href` resolved against `base`, or `undefined` when it is not
 * an http(s) URL. Normalising: scheme and host lower-cased, default port dropped, `.`/`..`
 * segments resolved, an empty path made `/`, the `#fragment` dropped (it never reaches the
 * server), spaces and other unsafe characters percent-encoded (all done by WHATWG `URL`), and
 * percent-escapes of unreserved characters decoded (`%7E` → `~`).
 */
export function normalizeUrl(href: string, base?: string | URL): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return normalizedHref(url);
}

/** {@link normalizeUrl} for a parsed URL (which it changes in place). */
export function normalizedHref(url: URL): string {
  url.hash = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  if (url.pathname.includes('%')) url.pathname = decodeUnreserved(url.pathname);
  if (url.search === '' && url.href.includes('?')) url.search = ''; // a bare `?`
  return url.href;
}

const UNRESERVED_ESCAPE = /%(2[DdEe]|3\d|[46][1-9A-Fa-f]|[57][0-9Aa]|5[Ff]|7[Ee])/g;

function decodeUnreserved(path: string): string {
  return path.replace(UNRESERVED_ESCAPE, (escape) => {
    const char = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
  });
}

/**
 * A 53-bit hash of `text` (cyrb53): the set of URLs already seen keeps these numbers, not the
 * URLs, so it costs a few tens of bytes per URL however long the URLs are. Two different URLs
 * share a hash with a probability of about n²/2^54 (one in 18,000 for a million URLs): the
 * second one would then not be crawled.
 */
export function hashUrl(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Which URLs a crawl may request, besides the start URLs:
 * - `'origin'`: the same scheme, host and port as one of the start URLs (the default);
 * - `'host'`: the same host name as one of the start URLs, any scheme or port;
 * - `'prefix'`: URLs that begin with a start URL's directory, the start URL up to the last `/`
 *   of its path (wget's `--no-parent`): from `https://a.org/docs/intro.html`, everything under
 *   `https://a.org/docs/`;
 * - a `RegExp`, tested against the normalised absolute URL;
 * - a function of the parsed URL.
 */
export type Scope = 'origin' | 'host' | 'prefix' | RegExp | ((url: URL) => boolean);

/** The test for `scope` given the (normalised) start URLs. */
export function scopeTest(scope: Scope, starts: readonly string[]): (url: URL) => boolean {
  if (typeof scope === 'function') return scope;
  if (scope instanceof RegExp) {
    const pattern = new RegExp(scope.source, scope.flags.replace(/[gy]/g, '')); // no lastIndex state
    return (url) => pattern.test(url.href);
  }
  if (scope === 'origin') {
    const origins = new Set(starts.map((start) => new URL(start).origin));
    return (url) => origins.has(url.origin);
  }
  if (scope === 'host') {
    const hosts = new Set(starts.map((start) => new URL(start).hostname));
    return (url) => hosts.has(url.hostname);
  }
  const prefixes = starts.map((start) => {
    const url = new URL(start);
    url.search = '';
    url.pathname = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
    return url.href;
  });
  return (url) => prefixes.some((prefix) => url.href.startsWith(prefix));
}
