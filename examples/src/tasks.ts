/**
 * Task functions shared by the examples that name their tasks with `defineTasks`, so the very
 * same call site runs on every backend: `AsyncExecutor` here; `ThreadPoolExecutor` imports this
 * module in its threads, and the process pool (a later issue) in its processes. The tasks of the examples that run in
 * worker threads are in `tasks/`.
 */

/** `square(x)` from the tutorials' `executor.map(square, range(1, 6))`. */
export function square(x: number): number {
  return x * x;
}
