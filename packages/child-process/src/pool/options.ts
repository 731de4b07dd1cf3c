/**
 * The options every process pool accepts (ProcessPoolExecutor and ClusterExecutor), and their
 * validation: one place, so the same mistake gets the same message on both backends.
 */
import { availableParallelism } from 'node:os';
import { baseConfig, integerOption, isTaskRef, limitOption, type BaseExecutorOptions, type ExecutorConfig, type TaskRef } from '@futures/core';

/** Options of a process pool: `ProcessPoolExecutor` and `ClusterExecutor`. */
export interface ProcessPoolOptions extends BaseExecutorOptions {
  /**
   * Child processes at most: Python's `max_workers`. Children start when tasks arrive.
   * @default os.availableParallelism()
   */
  readonly maxWorkers?: number | undefined;
  /**
   * Replace a child after it ran this many tasks (Python's `max_tasks_per_child`): for tasks that
   * leak memory or state. Tasks then travel one per message, so the count is exact.
   * @default Infinity
   */
  readonly maxTasksPerChild?: number | undefined;
  /**
   * Most tasks sent to a child in one message when the queue is deeper than the children (fewer
   * messages for many small tasks). `map`'s `chunksize` may ask for more. `1` turns it off.
   * @default 256
   */
  readonly maxBatchSize?: number | undefined;
  /**
   * Runs in every new child before its first task (Python's `initializer`). If it throws, the
   * executor is broken: every task fails with `BrokenExecutorError` and the cause.
   * @example new ProcessPoolExecutor({ initializer: tasks.connect, initArgs: [url] })
   */
  readonly initializer?: TaskRef | undefined;
  /** Arguments of `initializer` (copied by structured clone). @default [] */
  readonly initArgs?: readonly unknown[] | undefined;
  /**
   * Node options of the children, e.g. `['--max-old-space-size=512']`.
   * @default the parent's `process.execArgv`, minus debugger flags and tsx loader flags
   */
  readonly execArgv?: readonly string[] | undefined;
  /**
   * Environment of the children. ProcessPoolExecutor: the whole environment (like
   * `child_process.fork`). ClusterExecutor: added to the parent's (`cluster.fork` merges).
   * @default the parent's `process.env`
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * What a child that dies while running a task (exit, signal, out of memory) does:
   * `'replace'` fails only that task, with `WorkerCrashedError`, and starts a new child when
   * needed; `'break'` is Python's semantics: the executor becomes broken and every pending task
   * fails with `BrokenExecutorError`.
   * @default 'replace'
   */
  readonly onWorkerCrash?: 'replace' | 'break' | undefined;
  /**
   * Where the children's stdout and stderr go. `'inherit'`: straight to the parent's (no copy);
   * `'forward'`: through the parent's `process.stdout` / `process.stderr` streams (so what
   * captures them sees it); `'prefix'`: forwarded line by line, each line prefixed with
   * `[worker <id>] `; `'ignore'`: discarded.
   * @default 'inherit'
   */
  readonly output?: 'inherit' | 'forward' | 'prefix' | 'ignore' | undefined;
}

/** The validated settings of a process pool. */
export interface PoolSettings {
  readonly maxTasksPerChild: number;
  readonly batchSize: number;
  readonly initializer: { readonly module: string; readonly name: string; readonly args: readonly unknown[] } | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly onWorkerCrash: 'replace' | 'break';
  readonly output: 'inherit' | 'forward' | 'prefix' | 'ignore';
}

const OPTION_KEYS = ['maxTasksPerChild', 'maxBatchSize', 'initializer', 'initArgs', 'execArgv', 'env', 'onWorkerCrash', 'output'];
const OUTPUTS = ['inherit', 'forward', 'prefix', 'ignore'];

/**
 * Checks the options of a process pool named `name` (for messages); throws a `TypeError` or
 * `RangeError` that names the option and the value received.
 */
export function poolConfig(name: string, options: ProcessPoolOptions | undefined): { readonly config: ExecutorConfig; readonly settings: PoolSettings } {
  const config = baseConfig(name, options, { maxWorkers: availableParallelism(), recordTiming: true }, OPTION_KEYS);
  const opts = config.options as ProcessPoolOptions;
  const maxTasksPerChild = limitOption('maxTasksPerChild', opts.maxTasksPerChild, Infinity);
  const maxBatchSize = integerOption('maxBatchSize', opts.maxBatchSize, 256);
  const onWorkerCrash = opts.onWorkerCrash ?? 'replace';
  if (onWorkerCrash !== 'replace' && onWorkerCrash !== 'break') {
    throw new TypeError(`onWorkerCrash must be 'replace' or 'break', got ${JSON.stringify(onWorkerCrash)}`);
  }
  const output = opts.output ?? 'inherit';
  if (!OUTPUTS.includes(output)) throw new TypeError(`output must be 'inherit', 'forward', 'prefix' or 'ignore', got ${JSON.stringify(output)}`);
  if (opts.initializer !== undefined && !isTaskRef(opts.initializer)) {
    throw new TypeError('initializer must be a task reference (from defineTasks), not a function: it runs inside each child process');
  }
  if (opts.initArgs !== undefined && !Array.isArray(opts.initArgs)) throw new TypeError('initArgs must be an array');
  if (opts.execArgv !== undefined && !(Array.isArray(opts.execArgv) && opts.execArgv.every((v) => typeof v === 'string'))) {
    throw new TypeError('execArgv must be an array of strings');
  }
  if (opts.env !== undefined && (typeof opts.env !== 'object' || opts.env === null || Array.isArray(opts.env))) throw new TypeError('env must be an object');
  const settings: PoolSettings = {
    maxTasksPerChild,
    // A child that must retire after N tasks gets them one at a time, so that N is exact.
    batchSize: maxTasksPerChild === Infinity ? maxBatchSize : 1,
    initializer: opts.initializer === undefined ? undefined : { module: opts.initializer.module, name: opts.initializer.name, args: [...(opts.initArgs ?? [])] },
    execArgv: opts.execArgv === undefined ? undefined : [...opts.execArgv],
    env: opts.env === undefined ? undefined : { ...opts.env },
    onWorkerCrash,
    output,
  };
  return { config, settings };
}
