import { ProcessPoolBase } from './pool/process-pool-base.js';
import type { ProcessPoolOptions } from './pool/options.js';
import { forkWorker } from './fork-process.js';

/** Options of {@link ProcessPoolExecutor}: see {@link ProcessPoolOptions}. */
export type ProcessPoolExecutorOptions = ProcessPoolOptions;

/**
 * Python's `ProcessPoolExecutor`, on Node.js child processes (`child_process.fork`): CPU-bound
 * (or crash-prone) tasks run in separate processes. Tasks are task references (a module and an
 * export), imported inside each child; arguments and results are copied by structured clone.
 *
 * @example
 * const tasks = defineTasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * await using executor = new ProcessPoolExecutor({ maxWorkers: 4 });
 * for await (const n of executor.map(tasks.fib, [30, 31, 32])) console.log(n);
 */
export class ProcessPoolExecutor extends ProcessPoolBase {
  /** Creates the executor; children start when tasks arrive. Every option is checked here. */
  constructor(options?: ProcessPoolExecutorOptions) {
    super({ name: 'ProcessPoolExecutor', noun: 'child process', launch: forkWorker }, options);
  }
}
