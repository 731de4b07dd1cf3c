/**
 * Error classes of @futures. Every class sets `name`, carries a stable string `code`, and
 * keeps `cause`. Match errors with `instanceof`, or with {@link isFuturesError} when two
 * copies of the package may be installed.
 */

/** The stable codes carried by the errors of this package. */
export type FuturesErrorCode =
  | 'ERR_FUTURE_CANCELLED'
  | 'ERR_FUTURE_TIMEOUT'
  | 'ERR_FUTURE_INVALID_STATE'
  | 'ERR_EXECUTOR_BROKEN'
  | 'ERR_EXECUTOR_SHUTDOWN'
  | 'ERR_EXECUTOR_QUEUE_FULL'
  | 'ERR_TASK_TIMEOUT'
  | 'ERR_WORKER_CRASHED';

/** Options accepted by every error constructor of this package. */
export interface FuturesErrorOptions {
  /** The underlying error, kept as `error.cause`. */
  readonly cause?: unknown;
}

/**
 * Base class of every error this package throws. Other @futures packages extend it with codes
 * of their own (the type parameter).
 */
export class FuturesError<C extends string = FuturesErrorCode> extends Error {
  /** A stable, documented code: match on it rather than on the message. */
  readonly code: C;

  /** @param code the stable code, @param message what happened, stated with its context. */
  constructor(code: C, message: string, options?: FuturesErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** The future was cancelled, so it has no result. */
export class CancelledError extends FuturesError {
  constructor(message = 'The future was cancelled', options?: FuturesErrorOptions) {
    super('ERR_FUTURE_CANCELLED', message, options);
  }
}

/** A wait (`result`, `exception`, `asCompleted`, `map`) ran out of time. The task itself goes on. */
export class TimeoutError extends FuturesError {
  constructor(message = 'The operation timed out', options?: FuturesErrorOptions) {
    super('ERR_FUTURE_TIMEOUT', message, options);
  }
}

/** An operation was not allowed in the future's current state (e.g. setting a result twice). */
export class InvalidStateError extends FuturesError {
  constructor(message: string, options?: FuturesErrorOptions) {
    super('ERR_FUTURE_INVALID_STATE', message, options);
  }
}

/** The executor can no longer run tasks (Python's `BrokenExecutor`). Backends may subclass it. */
export class BrokenExecutorError extends FuturesError {
  constructor(message: string, options?: FuturesErrorOptions) {
    super('ERR_EXECUTOR_BROKEN', message, options);
  }
}

/** A task was submitted after `shutdown()` was called. */
export class ExecutorShutdownError extends FuturesError {
  constructor(message = 'cannot schedule new futures after shutdown', options?: FuturesErrorOptions) {
    super('ERR_EXECUTOR_SHUTDOWN', message, options);
  }
}

/** `submit` found the bounded queue (`maxQueue`) full. Nothing was queued. */
export class QueueFullError extends FuturesError {
  constructor(message: string, options?: FuturesErrorOptions) {
    super('ERR_EXECUTOR_QUEUE_FULL', message, options);
  }
}

/** A task ran longer than its per-task `timeout` and was stopped. */
export class TaskTimeoutError extends FuturesError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeout: number;

  constructor(message: string, timeout: number, options?: FuturesErrorOptions) {
    super('ERR_TASK_TIMEOUT', message, options);
    this.timeout = timeout;
  }
}

/**
 * The worker running a task died (exited, was killed, ran out of memory) before the task
 * settled. Only that task's future fails with it; the worker is replaced.
 */
export class WorkerCrashedError extends FuturesError {
  /** The worker's exit code, when it exited. */
  readonly exitCode: number | undefined;
  /** The signal that ended the worker, when it was killed by one. */
  readonly signal: string | undefined;

  constructor(
    message: string,
    details: { readonly exitCode?: number | undefined; readonly signal?: string | undefined } = {},
    options?: FuturesErrorOptions,
  ) {
    super('ERR_WORKER_CRASHED', message, options);
    this.exitCode = details.exitCode;
    this.signal = details.signal;
  }
}

/**
 * True when `error` is an error of this package, optionally with the given `code`. Works
 * across two installed copies of the package, where `instanceof` does not.
 *
 * @example
 * if (isFuturesError(error, 'ERR_FUTURE_TIMEOUT')) retry();
 */
export function isFuturesError(error: unknown, code?: FuturesErrorCode): error is FuturesError {
  if (typeof error !== 'object' || error === null) return false;
  const actual = (error as { code?: unknown }).code;
  if (typeof actual !== 'string' || !actual.startsWith('ERR_')) return false;
  if (!(error instanceof Error) && typeof (error as { message?: unknown }).message !== 'string') return false;
  return code === undefined ? KNOWN_CODES.has(actual) : actual === code;
}

const KNOWN_CODES: ReadonlySet<string> = new Set<FuturesErrorCode>([
  'ERR_FUTURE_CANCELLED',
  'ERR_FUTURE_TIMEOUT',
  'ERR_FUTURE_INVALID_STATE',
  'ERR_EXECUTOR_BROKEN',
  'ERR_EXECUTOR_SHUTDOWN',
  'ERR_EXECUTOR_QUEUE_FULL',
  'ERR_TASK_TIMEOUT',
  'ERR_WORKER_CRASHED',
]);
