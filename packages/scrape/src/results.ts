/** Building results from a piece of work. */
import type { ScrapeError } from './errors.js';
import type { FrontierEntry } from './frontier.js';
import type { Work } from './hosts.js';
import type { ScrapeResult, SkipReason } from './types.js';

/** `text/html` or `application/xhtml+xml`. */
export function isHtmlType(mediaType: string): boolean {
  return mediaType === 'text/html' || mediaType === 'application/xhtml+xml';
}

/** Fresh work for a frontier entry. */
export function newWork(entry: FrontierEntry): Work {
  return { url: entry.url, depth: entry.depth, parent: entry.parent, index: entry.index, current: entry.url, chain: [], attempts: 0, retries: 0, started: 0 };
}

/** The fields every result of `work` has. */
export function resultBase(work: Work): { url: string; depth: number; parent?: string; index?: number } {
  return {
    url: work.url,
    depth: work.depth,
    ...(work.parent === undefined ? {} : { parent: work.parent }),
    ...(work.index === undefined ? {} : { index: work.index }),
  };
}

/** A skipped result for `work`. */
export function skipped<T>(work: Work, reason: SkipReason, extra: { status?: number; contentType?: string; location?: string } = {}): ScrapeResult<T> & { outcome: 'skipped' } {
  return { ...resultBase(work), outcome: 'skipped', reason, ...extra };
}

/** A failed result for `work`. */
export function failed<T>(work: Work, error: ScrapeError, status?: number): ScrapeResult<T> {
  return { ...resultBase(work), outcome: 'failed', error, attempts: work.attempts, ...(status === undefined ? {} : { status }) };
}

