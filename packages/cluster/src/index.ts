/**
 * @futures/cluster: `ClusterExecutor`, Python's `concurrent.futures` on `node:cluster` workers,
 * built on the process-pool engine of @futures/child-process (whose `Manager` it re-exports).
 *
 * @packageDocumentation
 */
export { ClusterExecutor, type ClusterExecutorOptions } from './cluster-executor.js';
export { Manager, ManagedLock, ManagedQueue, ManagedValue, type WaitOptions } from '@futures/child-process';
