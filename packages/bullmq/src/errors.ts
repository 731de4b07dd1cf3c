/**
 * Error classes of @futures/bullmq. Each carries a stable `code`; the errors of @futures/core
 * (`CancelledError`, `TaskTimeoutError`, `BrokenExecutorError`, `WorkerCrashedError`) keep
 * their meaning here.
 */
import { BrokenExecutorError, FuturesError, type FuturesErrorOptions } from '@futures/core';

/** The stable codes of this package's errors. */
export type DistributedErrorCode = 'ERR_PAYLOAD_TOO_LARGE' | 'ERR_PAYLOAD_INVALID' | 'ERR_TASK_NOT_ALLOWED' | 'ERR_JOB_NOT_FOUND';

/**
 * A task's arguments or result, serialized, exceed `maxPayloadBytes`. Nothing was sent: the
 * arguments never reached Redis, or the result was not stored (the task's future fails with
 * this error instead).
 */
export class PayloadTooLargeError extends FuturesError<DistributedErrorCode> {
  /** The serialized size, in bytes. */
  readonly bytes: number;
  /** The limit, in bytes. */
  readonly limit: number;
  constructor(message: string, details: { readonly bytes: number; readonly limit: number }, options?: FuturesErrorOptions) {
    super('ERR_PAYLOAD_TOO_LARGE', message, options);
    this.bytes = details.bytes;
    this.limit = details.limit;
  }
}

/** A job's data is not a @futures task (another producer wrote to the queue, or it was edited). */
export class InvalidPayloadError extends FuturesError<DistributedErrorCode> {
  constructor(message: string, options?: FuturesErrorOptions) {
    super('ERR_PAYLOAD_INVALID', message, options);
  }
}

/** A worker refused a job whose task module is outside its `allowModules` list. */
export class TaskNotAllowedError extends FuturesError<DistributedErrorCode> {
  constructor(message: string, options?: FuturesErrorOptions) {
    super('ERR_TASK_NOT_ALLOWED', message, options);
  }
}

/** `attach(jobId)` found no such job: it never existed, or BullMQ removed it (`removeOnComplete`/`removeOnFail`). */
export class JobNotFoundError extends FuturesError<DistributedErrorCode> {
  /** The job id that was asked for. */
  readonly jobId: string;
  constructor(message: string, jobId: string, options?: FuturesErrorOptions) {
    super('ERR_JOB_NOT_FOUND', message, options);
    this.jobId = jobId;
  }
}

/**
 * Redis could not be reached for `connectionTimeout` ms (or refused us): the executor is broken.
 * Futures whose jobs were already in Redis fail with it too, though their jobs may still run:
 * reattach to them by id (`attach`) once Redis is back. `code` is `ERR_EXECUTOR_BROKEN`, as for
 * every broken executor; `redisCode` says why (`ECONNREFUSED`, `NOAUTH`, ...), when known.
 */
export class RedisUnavailableError extends BrokenExecutorError {
  /** The Redis or socket error code, when there was one. */
  readonly redisCode: string | undefined;
  constructor(message: string, redisCode: string | undefined, options?: FuturesErrorOptions) {
    super(message, options);
    this.redisCode = redisCode;
  }
}
