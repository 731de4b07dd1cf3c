import {
  Executor,
  baseConfig,
  isTaskRef,
  resolveTaskRef,
  type BaseExecutorOptions,
  type ExecutorCapabilities,
  type RunningTask,
  type TaskFunction,
} from '@futures/core';

/** Options of {@link AsyncExecutor}. */
export interface AsyncExecutorOptions extends BaseExecutorOptions {
  /**
   * How many tasks run at once (a hard bound: a slot is freed only when the task's promise
   * settles, even if its future was settled earlier by an abort or timeout).
   * @default 32
   * @example new AsyncExecutor({ maxWorkers: 64 })
   */
  readonly maxWorkers?: number | undefined;
  /**
   * How many tasks may wait for a slot. When the queue is full, `submit` throws
   * `QueueFullError` and nothing is queued; `map` waits for room instead.
   * @default Infinity
   * @example new AsyncExecutor({ maxWorkers: 8, maxQueue: 1000 })
   */
  readonly maxQueue?: number | undefined;
  /**
   * Default per-task time limit in ms, from when a task starts. When it passes, the future
   * rejects with `TaskTimeoutError` and the task's `this.signal` aborts.
   * @default undefined (no limit)
   * @example new AsyncExecutor({ taskTimeout: 30_000 })
   */
  readonly taskTimeout?: number | undefined;
  /**
   * Record how long tasks wait and run: `executor.timing` then gives percentiles.
   * @default false
   */
  readonly recordTiming?: boolean | undefined;
}

/** The default concurrency: Python's `ThreadPoolExecutor` caps its default at 32 as well. */
const DEFAULT_MAX_WORKERS = 32;

/**
 * Runs tasks on the event loop with at most `maxWorkers` running at once: for I/O-bound work
 * (HTTP, S3, databases). Accepts plain functions and task references. A task can read
 * `this.signal`, which aborts when the task is aborted or times out.
 *
 * @example
 * await using executor = new AsyncExecutor({ maxWorkers: 8 });
 * const page = await executor.submit(fetchText, 'http://127.0.0.1:8080/');
 */
export class AsyncExecutor extends Executor {
  /** In-process: plain functions work, stopping is cooperative, objects are shared. */
  readonly capabilities: ExecutorCapabilities = Object.freeze({
    plainFunctions: true,
    stopRunning: 'cooperative',
    sameObjects: true,
  });

  /** Creates an executor; every option is checked here, with an error naming the bad one. */
  constructor(options?: AsyncExecutorOptions) {
    super(baseConfig('AsyncExecutor', options, { maxWorkers: DEFAULT_MAX_WORKERS }));
  }

  protected runTask(running: RunningTask): unknown {
    const { task, args } = running;
    if (!isTaskRef(task)) return (task as TaskFunction).apply(running.context, args as unknown[]);
    const resolved = resolveTaskRef(task);
    if (typeof resolved === 'function') return resolved.apply(running.context, args as unknown[]);
    return resolved.then((fn) => {
      // Aborted (or timed out) while its module loaded: its future has settled; the task never starts.
      if (running.stoppable && running.signal.aborted) throw running.signal.reason;
      return fn.apply(running.context, args as unknown[]);
    });
  }
}
