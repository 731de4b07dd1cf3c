/**
 * The task of `distributed-thumbnails.ts`, run by the worker processes (`startWorker` of
 * @futures/bullmq), which import this module by its URL: the thumbnails recipe on one photo, in
 * whichever worker took the job.
 *
 * The recipe's error classes are exported too: a task's error travels back through Redis as
 * data (class name, message, fields), and the submitter rebuilds it with the class of that name
 * that the task module exports, so `UnsupportedImageError` comes back as itself.
 */
import { AsyncExecutor } from '@futures/async';
import { makeThumbnails, type ThumbnailFileResult, type WrittenOutput } from '@futures/thumbnails';

export { CorruptImageError, ImageTooLargeError, ReadFailedError, ThumbnailError, UnsupportedImageError, WriteFailedError } from '@futures/thumbnails';

/** What one job gives back: the thumbnails, and which process made them. */
export interface ThumbnailJobResult {
  /** The worker process that ran the job. */
  readonly pid: number;
  readonly input: string;
  readonly written: readonly WrittenOutput[];
  readonly ms: number;
}

/**
 * Makes the thumbnails of the photo `input` under `output` (`<name>-<size>.webp`), with
 * `makeThumbnails` run on this worker's event loop (sharp does the work on libuv's threads).
 * Throws the recipe's error (`UnsupportedImageError`, ...) when the photo cannot be made, with
 * the worker's `pid` added to it.
 */
export async function thumbnail(input: string, output: string, sizes: readonly string[]): Promise<ThumbnailJobResult> {
  const start = performance.now();
  const files: ThumbnailFileResult[] = [];
  // One image: the recipe needs no pool of its own here (the worker runs several jobs at once).
  await using inline = new AsyncExecutor({ maxWorkers: 1 });
  await makeThumbnails({ input, output, sizes: [...sizes], format: 'webp', force: true, executor: inline, onProgress: (progress) => void files.push(progress.file) });
  const file = files[0];
  if (file === undefined) throw new Error(`makeThumbnails did not report ${input}`);
  if (file.status === 'failed') throw Object.assign(file.error, { pid: process.pid });
  return { pid: process.pid, input, written: file.status === 'processed' ? file.written : [], ms: Math.round(performance.now() - start) };
}
