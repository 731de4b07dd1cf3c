/**
 * `ScrapeRun`: what `fetchAll` and `crawl` return. An async iterable of results (one per URL, in
 * the order they complete), with live counters, and JSONL output.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Engine } from './engine.js';
import { ScrapeError } from './errors.js';
import type { ScrapeResult, ScrapeStats } from './types.js';

/** Where {@link ScrapeRun.writeJsonl} writes: a file path or a writable stream (left open). */
export type JsonlTarget = string | NodeJS.WritableStream;

/** A running `fetchAll` or `crawl`. Requests start when iteration starts. */
export class ScrapeRun<T = undefined> implements AsyncIterable<ScrapeResult<T>> {
  readonly #engine: Engine<T>;
  readonly #begin: () => void;
  #iterated = false;

  /** @internal built by `fetchAll` and `crawl`. */
  constructor(engine: Engine<T>, begin: () => void) {
    this.#engine = engine;
    this.#begin = begin;
  }

  /** The counters now (done, ok, skipped, failed, queued, in flight, pages/s, ...); final once iteration ended. */
  get stats(): ScrapeStats {
    return this.#engine.stats;
  }

  /**
   * Iterates the results as they complete. A run can be iterated once. Leaving the loop early
   * (`break`) stops the run: requests in progress are aborted. A fatal error (the signal
   * aborted, a file that cannot be written, a throwing `onProgress`) is thrown here.
   */
  [Symbol.asyncIterator](): AsyncIterator<ScrapeResult<T>> {
    if (this.#iterated) throw new TypeError('a ScrapeRun can be iterated only once');
    this.#iterated = true;
    this.#begin();
    const engine = this.#engine;
    return {
      async next(): Promise<IteratorResult<ScrapeResult<T>>> {
        const value = await engine.next();
        return value === undefined ? { value: undefined, done: true } : { value, done: false };
      },
      async return(): Promise<IteratorResult<ScrapeResult<T>>> {
        engine.stop();
        return { value: undefined, done: true };
      },
    };
  }

  /** Consumes the run into an array (for small runs; large ones should iterate). */
  async toArray(): Promise<ScrapeResult<T>[]> {
    const results: ScrapeResult<T>[] = [];
    for await (const result of this) results.push(result);
    return results;
  }

  /**
   * Consumes the run, writing one JSON object per line (see {@link resultToJson}) to `target`,
   * with backpressure: fetching pauses while the stream is full. Resolves with the final stats.
   */
  async writeJsonl(target: JsonlTarget): Promise<ScrapeStats> {
    const stream: NodeJS.WritableStream = typeof target === 'string' ? createWriteStream(target) : target;
    let streamError: unknown;
    const onError = (error: unknown): void => {
      streamError ??= error;
    };
    stream.on('error', onError);
    try {
      for await (const result of this) {
        if (streamError !== undefined) break;
        if (!stream.write(`${JSON.stringify(resultToJson(result))}\n`)) await once(stream, 'drain');
      }
      if (typeof target === 'string') await new Promise<void>((resolve, reject) => (stream as NodeJS.WritableStream).end(() => (streamError === undefined ? resolve() : reject(streamError as Error))));
    } finally {
      stream.off('error', onError);
    }
    if (streamError !== undefined) {
      throw new ScrapeError('ERR_SCRAPE_OUTPUT', `cannot write the results${typeof target === 'string' ? ` to ${target}` : ''}: ${(streamError as Error).message}`, {}, { cause: streamError });
    }
    return this.stats;
  }
}

/** A result as plain JSON: the error becomes `{ code, message }`. */
export function resultToJson(result: ScrapeResult<unknown>): Record<string, unknown> {
  if (result.outcome !== 'failed') return { ...result };
  const { error, ...rest } = result;
  return { ...rest, error: { code: error.code, message: error.message } };
}
