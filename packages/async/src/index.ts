/**
 * @futures/async: `AsyncExecutor`, bounded concurrency on the event loop for I/O-bound work:
 * the Node.js counterpart of Python's `ThreadPoolExecutor`.
 *
 * @packageDocumentation
 */
export { AsyncExecutor, type AsyncExecutorOptions } from './async-executor.js';
