/** Settings and the task shared by the AsyncExecutor / p-limit / p-queue benches. */

/** The concurrency bound given to every library: AsyncExecutor `maxWorkers`, p-limit / p-queue `concurrency`. */
export const CONCURRENCY = 64;

/** Tasks outstanding (submitted, result not yet consumed) in the windowed scenario. */
export const WINDOW = 1000;

/** Tasks per timed run in the throughput scenarios. */
export const TASKS = 100_000;

/** With --quick. */
export const QUICK_TASKS = 20_000;

/** The trivial task: an async function returning a number, no timers, no I/O. */
export async function trivialTask(i: number): Promise<number> {
  return i;
}
