/**
 * Shared-memory synchronisation for worker threads, after Python's `threading` and
 * `multiprocessing`: `Lock`, `Semaphore`, `BoundedSemaphore`, `Event`, `Value`, `SharedArray`
 * and `Queue`. Create them in the main thread and pass them to tasks as arguments: every copy
 * works on the same `SharedArrayBuffer`. Async methods (`acquire`, `wait`, `put`, `get`) leave
 * the event loop free; `...Sync` methods block the calling thread and are meant for workers.
 *
 * @packageDocumentation
 */

export { Acquirable, type Held } from './acquirable.js';
export { SHARED_KEY, isSharedData, type SharedData, type SharedKind } from './data.js';
export {
  AcquireTimeoutError,
  LockNotHeldError,
  QueueClosedError,
  QueueEmpty,
  QueueFull,
  SemaphoreOverReleasedError,
  SharedStateError,
  TaskDoneTooOftenError,
  isSharedStateError,
  type SharedStateErrorCode,
  type SharedStateErrorOptions,
} from './errors.js';
export { Event, type EventData } from './event.js';
export { Lock, type LockData } from './lock.js';
export { Queue, type QueueData, type QueueOptions } from './queue.js';
export { BoundedSemaphore, Semaphore, type SemaphoreData } from './semaphore.js';
export { SharedArray, type SharedArrayData } from './shared-array.js';
export { MAX_TRANSFER_DEPTH, fromTransferable, isSharedPrimitive, toTransferable, type SharedPrimitive } from './transferable.js';
export type { BigIntTypeCode, ElementInput, ElementOf, FloatTypeCode, IntegerTypeCode, TypeCode, TypedArrayOf } from './types.js';
export type { SharedSyncWaitOptions, SharedWaitOptions } from './validate.js';
export { Value, type SharedValueOptions, type ValueData } from './value.js';
