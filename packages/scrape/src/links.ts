/**
 * The built-in page scan: one streaming pass of htmlparser2 over the HTML (no DOM is built)
 * that collects what a crawler needs: the links, `<base href>`, the title, the meta description,
 * the canonical URL and the `<meta name="robots">` directives. It is forgiving like a browser:
 * broken HTML (unclosed tags, stray `<`, bad nesting) still gives every readable link.
 */
import { Parser } from 'htmlparser2';
import { normalizeUrl } from './url.js';

/** What the scan finds in a page. */
export interface PageInfo {
  /** The `<title>` text, whitespace collapsed; `undefined` when the page has none. */
  readonly title: string | undefined;
  /** `<meta name="description">`, if any. */
  readonly description: string | undefined;
  /** `<link rel="canonical">`, absolute and normalised, if any. */
  readonly canonical: string | undefined;
  /**
   * Every distinct http(s) link of the page, absolute and normalised, in document order:
   * `<a href>`, `<area href>`, `<frame src>`, `<iframe src>` (resolved against `<base href>`).
   */
  readonly links: string[];
  /** `<meta name="robots" content="nofollow">` (or `none`): the page asks crawlers not to follow its links. */
  readonly nofollow: boolean;
  /** `<meta name="robots" content="noindex">` (or `none`). */
  readonly noindex: boolean;
}

const LINK_ATTRIBUTE: Readonly<Record<string, string>> = { a: 'href', area: 'href', frame: 'src', iframe: 'src' };

/** Scans `html`, fetched from `url`, for links and metadata. */
export function scanHtml(html: string, url: string): PageInfo {
  const raw: string[] = [];
  let base: string | undefined;
  let title: string | undefined;
  let inTitle = false;
  let titleText = '';
  let description: string | undefined;
  let canonical: string | undefined;
  let nofollow = false;
  let noindex = false;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const attribute = LINK_ATTRIBUTE[name];
        if (attribute !== undefined) {
          const value = attribs[attribute];
          if (value !== undefined && value !== '') raw.push(value);
          return;
        }
        switch (name) {
          case 'base':
            if (base === undefined && attribs.href !== undefined) base = attribs.href;
            break;
          case 'title':
            if (title === undefined) inTitle = true;
            break;
          case 'link':
            if (canonical === undefined && attribs.href !== undefined && /(^|\s)canonical(\s|$)/i.test(attribs.rel ?? '')) canonical = attribs.href;
            break;
          case 'meta': {
            const metaName = (attribs.name ?? '').toLowerCase();
            const content = attribs.content ?? '';
            if (metaName === 'description' && description === undefined) description = content.trim();
            else if (metaName === 'robots') {
              const directives = content.toLowerCase().split(',').map((d) => d.trim());
              if (directives.includes('nofollow') || directives.includes('none')) nofollow = true;
              if (directives.includes('noindex') || directives.includes('none')) noindex = true;
            }
            break;
          }
        }
      },
      ontext(text) {
        if (inTitle) titleText += text;
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          title = titleText.replace(/\s+/g, ' ').trim();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  if (inTitle) title = titleText.replace(/\s+/g, ' ').trim(); // an unclosed <title>

  const baseUrl = (base === undefined ? undefined : normalizeUrl(base, url)) ?? url;
  const links: string[] = [];
  const seen = new Set<string>();
  for (const href of raw) {
    const link = normalizeUrl(href, baseUrl);
    if (link !== undefined && !seen.has(link)) {
      seen.add(link);
      links.push(link);
    }
  }
  return { title, description, canonical: canonical === undefined ? undefined : normalizeUrl(canonical, baseUrl), links, nofollow, noindex };
}
