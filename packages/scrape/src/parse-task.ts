/**
 * The task module of the built-in page scan, for running it off the event loop: pass a
 * `ThreadPoolExecutor` as `parseExecutor` and large pages are scanned in its threads. Import
 * `scanPage` from here to build your own parse task on top of it (see the README).
 */
import { scanHtml, type PageInfo } from './links.js';

/** The built-in scan as a task: `html` fetched from `url` → links and metadata. */
export function scanPage(html: string, url: string): PageInfo {
  return scanHtml(html, url);
}
