/** The errors a pool gives a task whose child died, named after how it died. */
import { WorkerCrashedError, isTaskRef, type RunningTask } from '@futures/core';
import type { ExitInfo } from './worker-process.js';

/** The task's name for messages. */
export function taskLabel(running: RunningTask | undefined): string {
  return running !== undefined && isTaskRef(running.task) ? running.task.name : 'task';
}

/** `exited with code 7`, `was killed by signal SIGKILL`, ... */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal !== null) {
    const hint = exit.signal === 'SIGABRT' ? ' (V8 aborts so when the heap limit is reached: out of memory?)' : exit.signal === 'SIGKILL' ? ' (killed by someone, or by the kernel out-of-memory killer)' : '';
    return `was killed by signal ${exit.signal}${hint}`;
  }
  if (exit.exitCode === 134) return 'exited with code 134 (out of memory: the heap limit was reached)';
  return `exited with code ${exit.exitCode ?? 'unknown'}`;
}

/**
 * The error of a task whose child died: `the child process worker 2 (pid 1234) running task
 * spin was killed by signal SIGKILL`, with the exit code or signal as fields and the child's
 * uncaught error (if it reported one) as the cause.
 */
export function crashError(noun: string, worker: string, running: RunningTask | undefined, exit: ExitInfo, uncaught: unknown): WorkerCrashedError {
  const because = uncaught === undefined ? '' : `: uncaught ${(uncaught as Error)?.name ?? 'error'}: ${(uncaught as Error)?.message ?? String(uncaught)}`;
  return new WorkerCrashedError(
    `the ${noun} ${worker} running task ${taskLabel(running)} ${describeExit(exit)}${because}; it was replaced`,
    { ...(exit.exitCode === null ? {} : { exitCode: exit.exitCode }), ...(exit.signal === null ? {} : { signal: exit.signal }) },
    uncaught === undefined ? undefined : { cause: uncaught },
  );
}
