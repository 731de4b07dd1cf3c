/**
 * `makeThumbnails`: finds the inputs, plans the outputs, runs one task per input file on the
 * executor with a bounded number in flight, reports progress, and sums up.
 */
import { randomBytes } from 'node:crypto';
import { CancelledError, defineTasks, type Executor, type Future } from '@futures/core';
import { TaskFailedError, errorFromFailure, type ThumbnailError } from './errors.js';
import { createDefaultExecutor, defaultConcurrency } from './executor.js';
import { findInputs } from './inputs.js';
import type { JobOutcome, ThumbnailJob } from './job.js';
import { resolveOptions, type ThumbnailFileResult, type ThumbnailOptions, type ThumbnailSummary } from './options.js';
import { planJobs } from './plan.js';
import { removeTempFiles, removeTempFilesSync } from './temp-files.js';

/** The task module: its TypeScript source when running from sources (tests), else the built `.js`. */
const TASK_MODULE = new URL(import.meta.url.endsWith('.ts') ? './task.ts' : './task.js', import.meta.url);
const tasks = defineTasks<typeof import('./task.js')>(TASK_MODULE);

/** Jobs running in any run of this process: their temporary files are removed if the process exits meanwhile. */
const inFlightEverywhere = new Set<ThumbnailJob>();
let exitHookInstalled = false;

/**
 * Makes thumbnails of every image in `options.input` under `options.output`, on every core.
 * Resolves to a summary; a file that cannot be made (not an image, corrupt, too large, an output
 * collision) is counted in `failed` with its error, and the others go on. Rejects only for a
 * problem with the whole run: bad options (`TypeError`/`RangeError`), an input that does not
 * exist (`InputNotFoundError`), or `signal` aborted (`signal.reason`, once the images in progress
 * are finished: no partial file is left).
 *
 * @example
 * const summary = await makeThumbnails({ input: 'photos', output: 'thumbs', sizes: ['256x256', '1024x'], format: 'webp' });
 * console.log(`${summary.processed} processed, ${summary.skipped} up to date, ${summary.failed} failed`);
 */
export async function makeThumbnails(options: ThumbnailOptions): Promise<ThumbnailSummary> {
  const start = performance.now();
  const resolved = resolveOptions(options);
  const { signal, onProgress } = resolved;
  signal?.throwIfAborted();
  // sharp loaded here too: with worker threads, libvips must stay loaded while threads come and go.
  await import('sharp');
  const files = await findInputs(resolved.inputs, { extensions: resolved.extensions, base: resolved.base, exclude: resolved.output });
  const tempTag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const { jobs, collisions } = planJobs(files, resolved, { ...resolved.settings, tempTag });
  signal?.throwIfAborted();

  const counts = { total: jobs.length, done: 0, processed: 0, skipped: 0, failed: 0, outputs: 0, bytesIn: 0, bytesOut: 0 };
  const failures: { input: string; error: ThumbnailError }[] = [];
  let stopWith: { reason: unknown } | undefined;
  const record = (file: ThumbnailFileResult): void => {
    counts.done++;
    if (file.status === 'processed') {
      counts.processed++;
      counts.outputs += file.written.length;
      counts.bytesIn += file.bytesIn;
      counts.bytesOut += file.bytesOut;
    } else if (file.status === 'skipped') counts.skipped++;
    else {
      counts.failed++;
      failures.push({ input: file.input, error: file.error });
    }
    if (onProgress === undefined || stopWith !== undefined) return;
    try {
      onProgress({ ...counts, file });
    } catch (error) {
      stopWith = { reason: error }; // a throwing callback stops the run like an abort, with its error
    }
  };

  const owned = resolved.executor === undefined;
  const executor: Executor = resolved.executor ?? (await createDefaultExecutor(resolved.concurrency ?? defaultConcurrency()));
  const window = resolved.concurrency ?? executor.maxWorkers * 2;
  const inFlight = new Map<ThumbnailJob, Future<JobOutcome>>();
  let freed: (() => void) | undefined;
  const onAbort = (): void => {
    stopWith ??= { reason: signal?.reason };
    freed?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  installExitHook();
  try {
    for (const job of jobs) {
      if (stopWith !== undefined) break;
      const collision = collisions.get(job.input);
      if (collision !== undefined) {
        record({ status: 'failed', input: job.input, error: collision });
        continue;
      }
      while (inFlight.size >= window && stopWith === undefined) await new Promise<void>((resolve) => (freed = resolve));
      if (stopWith !== undefined) break;
      const future = executor.submit(tasks.thumbnailFile, job);
      inFlight.set(job, future);
      inFlightEverywhere.add(job);
      future.then(
        (outcome) => record(fileResult(job, outcome)),
        (error: unknown) => {
          if (!(error instanceof CancelledError && stopWith !== undefined)) {
            record({ status: 'failed', input: job.input, error: new TaskFailedError(`the task for ${job.input} failed: ${(error as Error)?.message ?? String(error)}`, { input: job.input, cause: error }) });
          }
        },
      ).finally(() => {
        inFlight.delete(job);
        inFlightEverywhere.delete(job);
        freed?.();
      });
    }
    if (stopWith !== undefined) for (const future of inFlight.values()) future.cancel(); // not started: never will
    // Images in progress are finished either way: a stop leaves complete thumbnails or none.
    await Promise.allSettled([...inFlight.values()]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await removeTempFiles(inFlight.keys());
    if (owned) await executor.shutdown({ cancelFutures: true });
  }
  if (stopWith !== undefined) throw stopWith.reason;
  return { ...counts, failures: sortByInput(failures, jobs), durationMs: performance.now() - start, executor: executor.toString() };
}

function fileResult(job: ThumbnailJob, outcome: JobOutcome): ThumbnailFileResult {
  switch (outcome.status) {
    case 'processed':
      return {
        status: 'processed',
        input: job.input,
        written: outcome.written,
        upToDate: outcome.upToDate,
        bytesIn: outcome.bytesIn,
        bytesOut: outcome.written.reduce((sum, output) => sum + output.bytes, 0),
      };
    case 'skipped':
      return { status: 'skipped', input: job.input, upToDate: outcome.upToDate };
    case 'failed':
      return { status: 'failed', input: job.input, error: errorFromFailure(outcome.failure, job.input) };
  }
}

function sortByInput<T extends { input: string }>(items: T[], jobs: readonly ThumbnailJob[]): T[] {
  const order = new Map(jobs.map((job, index) => [job.input, index]));
  return items.sort((a, b) => (order.get(a.input) ?? 0) - (order.get(b.input) ?? 0));
}

/** If the process exits while images are in progress (a second Ctrl-C), their temporary files go too. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => removeTempFilesSync(inFlightEverywhere));
}

