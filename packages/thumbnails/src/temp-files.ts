/**
 * Removal of temporary files left by a run that stopped: a task writes each thumbnail to a dot
 * file and renames it, so a worker stopped between the two (killed thread or process, crash)
 * leaves the dot file behind. The run removes the temporary file of every output of every job
 * that did not report back.
 */
import { unlink } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { tempPath, type ThumbnailJob } from './job.js';

/** Removes the temporary files `jobs` may have left; missing ones are fine. */
export async function removeTempFiles(jobs: Iterable<ThumbnailJob>): Promise<void> {
  const paths = [...jobs].flatMap((job) => job.outputs.map((output) => tempPath(output.path, job.settings.tempTag)));
  await Promise.all(paths.map((path) => unlink(path).catch(() => undefined)));
}

/** The same, synchronously: for a process that is about to exit (a second Ctrl-C). */
export function removeTempFilesSync(jobs: Iterable<ThumbnailJob>): void {
  for (const job of jobs) {
    for (const output of job.outputs) {
      try {
        unlinkSync(tempPath(output.path, job.settings.tempTag));
      } catch {
        // not there: nothing to remove
      }
    }
  }
}
