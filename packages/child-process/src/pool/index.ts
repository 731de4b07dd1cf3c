/**
 * `@futures/child-process/pool`: the process-pool engine that ProcessPoolExecutor and
 * ClusterExecutor share. A backend supplies a {@link WorkerLauncher} (how a child starts,
 * sends, dies) and extends {@link ProcessPoolBase}; scheduling, batching, crashes, timeouts,
 * output forwarding and shutdown are the engine's.
 *
 * @packageDocumentation
 */
export { ProcessPoolBase, type ProcessPoolBackend } from './process-pool-base.js';
export { poolConfig, type PoolSettings, type ProcessPoolOptions } from './options.js';
export type { ExitInfo, LaunchSpec, WorkerLauncher, WorkerProcess } from './worker-process.js';
export { ChildProcessWorker, childStdio, forkWorker } from '../fork-process.js';
