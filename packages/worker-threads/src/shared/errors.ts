import { FuturesError } from '@futures/core';
/**
 * Error classes of the shared-memory primitives. Every class sets `name`, carries a stable
 * string `code` and keeps `cause`. Match them with `instanceof`, or with
 * {@link isSharedStateError} when two copies of the package may be installed.
 */

/** The stable codes carried by the errors of the shared-memory primitives. */
export type SharedStateErrorCode =
  | 'ERR_LOCK_NOT_HELD'
  | 'ERR_SEMAPHORE_OVER_RELEASED'
  | 'ERR_ACQUIRE_TIMEOUT'
  | 'ERR_QUEUE_FULL'
  | 'ERR_QUEUE_EMPTY'
  | 'ERR_QUEUE_CLOSED'
  | 'ERR_TASK_DONE_TOO_OFTEN';

/** Options accepted by every error constructor of the shared-memory primitives. */
export interface SharedStateErrorOptions {
  /** The underlying error, kept as `error.cause`. */
  readonly cause?: unknown;
}

/** Base class of every error the shared-memory primitives throw (a `FuturesError` with their own codes). */
export class SharedStateError extends FuturesError<SharedStateErrorCode> {}

/** `release()` was called on a `Lock` that is not locked (Python's `RuntimeError: release unlocked lock`). */
export class LockNotHeldError extends SharedStateError {
  constructor(message = 'release() called on an unlocked Lock', options?: SharedStateErrorOptions) {
    super('ERR_LOCK_NOT_HELD', message, options);
  }
}

/** A `BoundedSemaphore` was released above its initial value (Python's `ValueError: Semaphore released too many times`). */
export class SemaphoreOverReleasedError extends SharedStateError {
  constructor(message: string, options?: SharedStateErrorOptions) {
    super('ERR_SEMAPHORE_OVER_RELEASED', message, options);
  }
}

/** `hold()`, `holdSync()` or `withLock()` could not acquire a lock or semaphore within its `timeout`. */
export class AcquireTimeoutError extends SharedStateError {
  constructor(message: string, options?: SharedStateErrorOptions) {
    super('ERR_ACQUIRE_TIMEOUT', message, options);
  }
}

/** `Queue.put` found the queue full until its `timeout` passed (Python's `queue.Full`). */
export class QueueFull extends SharedStateError {
  constructor(message: string, options?: SharedStateErrorOptions) {
    super('ERR_QUEUE_FULL', message, options);
  }
}

/** `Queue.get` found the queue empty until its `timeout` passed (Python's `queue.Empty`). */
export class QueueEmpty extends SharedStateError {
  constructor(message: string, options?: SharedStateErrorOptions) {
    super('ERR_QUEUE_EMPTY', message, options);
  }
}

/** `put` on a closed `Queue`, or `get` on a closed queue that has been drained. */
export class QueueClosedError extends SharedStateError {
  constructor(message: string, options?: SharedStateErrorOptions) {
    super('ERR_QUEUE_CLOSED', message, options);
  }
}

/** `Queue.taskDone()` was called more times than items were put (Python's `ValueError: task_done() called too many times`). */
export class TaskDoneTooOftenError extends SharedStateError {
  constructor(message: string, options?: SharedStateErrorOptions) {
    super('ERR_TASK_DONE_TOO_OFTEN', message, options);
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set<SharedStateErrorCode>([
  'ERR_LOCK_NOT_HELD',
  'ERR_SEMAPHORE_OVER_RELEASED',
  'ERR_ACQUIRE_TIMEOUT',
  'ERR_QUEUE_FULL',
  'ERR_QUEUE_EMPTY',
  'ERR_QUEUE_CLOSED',
  'ERR_TASK_DONE_TOO_OFTEN',
]);

/**
 * True when `error` is an error of the shared-memory primitives, optionally with the given
 * `code`. Works across two installed copies of the package, and on errors rebuilt after
 * crossing from a worker, where `instanceof` does not.
 *
 * @example
 * try { await queue.get({ timeout: 100 }); } catch (error) { if (isSharedStateError(error, 'ERR_QUEUE_EMPTY')) idle(); }
 */
export function isSharedStateError(error: unknown, code?: SharedStateErrorCode): error is SharedStateError {
  if (typeof error !== 'object' || error === null) return false;
  const actual = (error as { code?: unknown }).code;
  if (typeof actual !== 'string') return false;
  return code === undefined ? KNOWN_CODES.has(actual) : actual === code;
}
