/**
 * @futures/child-process: `ProcessPoolExecutor`, Python's `concurrent.futures` on Node.js child
 * processes, and `Manager`, Python's `multiprocessing.Manager()` (a lock, values and queues
 * shared by the children). The engine is exported on `@futures/child-process/pool`.
 *
 * @packageDocumentation
 */
export { ProcessPoolExecutor, type ProcessPoolExecutorOptions } from './process-pool.js';
export type { ProcessPoolOptions } from './pool/options.js';
export { Manager } from './manager/manager.js';
export { ManagedLock, ManagedQueue, ManagedValue, type WaitOptions } from './manager/handles.js';
