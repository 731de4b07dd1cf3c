/**
 * What becomes of a 2xx body: HTML is decoded, scanned for links (in place, or in a worker
 * thread for large pages when a `parseExecutor` is given), passed to `extract`, and optionally
 * saved; other content is skipped or saved, as `nonHtml` says.
 */
import { defineTasks } from '@futures/core';
import { load, type CheerioAPI } from 'cheerio/slim';
import { decodeBody } from './charset.js';
import { ScrapeError } from './errors.js';
import type { Attempt } from './http.js';
import type { Work } from './hosts.js';
import { scanHtml, type PageInfo } from './links.js';
import type { Settings } from './options.js';
import { saveFile, savePath } from './save.js';
import type { ExtractInput, PageResult, ParseTask, ScrapeResult } from './types.js';
import { failed, isHtmlType, resultBase, skipped } from './results.js';

const TASK_MODULE = new URL(import.meta.url.endsWith('.ts') ? './parse-task.ts' : './parse-task.js', import.meta.url);
/** The built-in scan as a task reference, for `parseExecutor`. */
export const scanPageTask: ParseTask<never> = defineTasks<typeof import('./parse-task.js')>(TASK_MODULE).scanPage;

/** Looks like HTML: the first non-blank character is `<` (for bodies without a Content-Type). */
function sniffHtml(body: Buffer): boolean {
  const head = body.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body') || head.startsWith('<!--') || head.startsWith('<title');
}

/** The result for a 2xx answer to `work`. */
export async function processBody<T>(work: Work, attempt: Attempt & { kind: 'body' }, settings: Settings<T>, signal: AbortSignal): Promise<ScrapeResult<T>> {
  const { status, headers, mediaType, body } = attempt;
  const html = isHtmlType(mediaType) || (mediaType === '' && body !== undefined && sniffHtml(body));
  const contentType = mediaType === '' ? (html ? 'text/html' : 'application/octet-stream') : mediaType;
  const common = {
    ...resultBase(work),
    outcome: 'ok' as const,
    finalUrl: work.current,
    redirects: work.chain.slice(0, -1),
    status,
    contentType,
    attempts: work.attempts,
  };
  if (!html) {
    if (settings.nonHtml === 'skip' || body === undefined || settings.outDir === undefined) return skipped(work, 'not-html', { status, contentType });
    const savedTo = await save(settings.outDir, work.current, body);
    return { ...common, bytes: body.length, durationMs: performance.now() - work.started, savedTo };
  }
  const bytes = body ?? Buffer.alloc(0);
  const { text, charset } = decodeBody(bytes, firstHeader(headers['content-type']));
  let info: PageInfo & { readonly data?: T | undefined };
  try {
    info = settings.parseExecutor !== undefined && bytes.length >= settings.offloadBytes
      ? await settings.parseExecutor.submitWith({ signal }, settings.parseTask ?? (scanPageTask as ParseTask<T>), text, work.current)
      : scanHtml(text, work.current);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return failed(work, new ScrapeError('ERR_SCRAPE_EXTRACT', `${work.current}: the parse task failed: ${(error as Error).message}`, { url: work.current }, { cause: error }), status);
  }
  let data: T | undefined = info.data;
  if (settings.extract !== undefined) {
    try {
      data = await settings.extract(extractInput(work, status, headers, text, info));
    } catch (error) {
      return failed(work, new ScrapeError('ERR_SCRAPE_EXTRACT', `${work.current}: extract threw: ${(error as Error).message}`, { url: work.current }, { cause: error }), status);
    }
  }
  const savedTo = settings.saveHtml && settings.outDir !== undefined ? await save(settings.outDir, work.current, bytes) : undefined;
  const result: PageResult<T> = {
    ...common,
    charset,
    bytes: bytes.length,
    durationMs: performance.now() - work.started,
    ...(info.title === undefined ? {} : { title: info.title }),
    ...(info.description === undefined ? {} : { description: info.description }),
    ...(info.canonical === undefined ? {} : { canonical: info.canonical }),
    links: info.links,
    ...(data === undefined ? {} : { data }),
    ...(settings.includeHtml ? { html: text } : {}),
    ...(savedTo === undefined ? {} : { savedTo }),
  };
  // Carried to the crawl, not part of the result: whether the page forbids following its links.
  if (info.nofollow) NOFOLLOW.add(result);
  return result;
}

/** Pages whose `<meta name="robots">` says nofollow. */
export const NOFOLLOW = new WeakSet<object>();

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function extractInput(work: Work, status: number, headers: ExtractInput['headers'], html: string, info: PageInfo): ExtractInput {
  let $: CheerioAPI | undefined;
  return {
    url: work.url,
    finalUrl: work.current,
    status,
    headers,
    html,
    info,
    get $() {
      return ($ ??= load(html, { baseURI: work.current }));
    },
  };
}

async function save(outDir: string, url: string, body: Uint8Array): Promise<string> {
  const path = savePath(outDir, url);
  try {
    await saveFile(path, body);
  } catch (error) {
    throw new ScrapeError('ERR_SCRAPE_OUTPUT', `cannot save ${url} to ${path}: ${(error as Error).message}`, { url }, { cause: error });
  }
  return path;
}
