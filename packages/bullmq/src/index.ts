/**
 * @futures/bullmq: Python's `concurrent.futures` across machines. A {@link DistributedExecutor}
 * puts each task on a BullMQ queue in Redis; {@link startWorker} (or `futures worker`) runs
 * them, on any number of machines, on any local @futures backend.
 *
 * @packageDocumentation
 */
export { DistributedExecutor, type DistributedExecutorOptions } from './executor.js';
export { startWorker, type DistributedWorker, type WorkerOptions } from './worker.js';
export type { QueueOptions } from './shared.js';
/** BullMQ's job class, as passed to the worker's events (`worker.worker.on('completed', (job) => ...)`). */
export type { Job } from 'bullmq';
export { DEFAULT_MAX_PAYLOAD_BYTES, PAYLOAD_FORMAT, type JobPayload } from './codec.js';
export { defaultConnection, type RedisConnection } from './connection.js';
export {
  InvalidPayloadError,
  JobNotFoundError,
  PayloadTooLargeError,
  RedisUnavailableError,
  TaskNotAllowedError,
  type DistributedErrorCode,
} from './errors.js';
