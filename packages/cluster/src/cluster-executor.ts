import { ProcessPoolBase, type ProcessPoolOptions } from '@futures/child-process/pool';
import { clusterFork } from './cluster-worker.js';

/**
 * Options of {@link ClusterExecutor}: those of every process pool. `env` is *added* to the
 * primary's environment (`cluster.fork` merges).
 */
export type ClusterExecutorOptions = ProcessPoolOptions;

/**
 * Python's `ProcessPoolExecutor` API on `node:cluster` workers. Same engine, options and
 * behaviour as `ProcessPoolExecutor`; the children are cluster workers, so they appear in
 * `cluster.workers`, emit the cluster events, and can listen on ports shared with the other
 * workers (start a server from the `initializer`).
 *
 * @example
 * await using executor = new ClusterExecutor({ maxWorkers: 4, initializer: tasks.listen, initArgs: [8080] });
 * for await (const n of executor.map(tasks.fib, [30, 31, 32])) console.log(n);
 */
export class ClusterExecutor extends ProcessPoolBase {
  /** Creates the executor in the cluster primary; workers start when tasks arrive. Every option is checked here. */
  constructor(options?: ClusterExecutorOptions) {
    super({ name: 'ClusterExecutor', noun: 'cluster worker', launch: clusterFork }, options);
  }
}
