/** Runs numbered jobs with a bound on how many run at once; the first failure stops the rest. */
import { setMaxListeners } from 'node:events';

/**
 * Runs `job(0)` … `job(count - 1)`, at most `limit` at a time. On the first failure no new job
 * starts, the jobs in flight see their signal abort, and once they have settled the first error
 * is thrown (so nothing is left running behind the caller's back).
 */
export async function eachLimited(count: number, limit: number, signal: AbortSignal | undefined, job: (index: number, signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const linked = signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
  setMaxListeners(0, linked); // one listener per request in flight: `limit` of them, by design
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  async function lane(): Promise<void> {
    while (failure === undefined && next < count && !linked.aborted) {
      const index = next++;
      try {
        await job(index, linked);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          controller.abort(error);
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  if (failure !== undefined) throw failure.error;
  signal?.throwIfAborted();
}
