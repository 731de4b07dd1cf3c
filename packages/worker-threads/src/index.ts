/**
 * @futures/worker-threads: `ThreadPoolExecutor`, Python's `concurrent.futures` on Node.js
 * worker threads (built on piscina).
 *
 * @packageDocumentation
 */
export { ThreadPoolExecutor, type ThreadPoolExecutorOptions } from './thread-pool.js';
export { transfer, type Transferable } from './transfer.js';
export * from './shared/index.js';
