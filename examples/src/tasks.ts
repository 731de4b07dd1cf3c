/**
 * Task functions shared by the examples that name their tasks with `defineTasks`, so the very
 * same call site runs on every backend: `AsyncExecutor` here; the thread and process pools
 * (later issues) import this module in their workers.
 */

/** `square(x)` from the tutorials' `executor.map(square, range(1, 6))`. */
export function square(x: number): number {
  return x * x;
}
