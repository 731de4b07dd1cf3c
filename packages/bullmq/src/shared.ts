/**
 * What the submitting side and the workers agree on: the queue's name and key prefix, the
 * channel that stops running jobs, and how a failed job's error is brought back.
 */
import * as core from '@futures/core';
import { WorkerCrashedError, deserializeError, fromTaskOutcome, type SerializedError } from '@futures/core';
import type { Job } from 'bullmq';
import { decodeValue } from './codec.js';
import * as errors from './errors.js';

/** Options both sides take to name the queue. */
export interface QueueOptions {
  /**
   * Where Redis is: a URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS) or
   * ioredis options.
   * @default process.env.FUTURES_REDIS_URL, else 'redis://127.0.0.1:6379'
   */
  readonly connection?: string | import('ioredis').RedisOptions | undefined;
  /**
   * The BullMQ queue's name: submitters and workers of one pool use the same one.
   * @default 'futures'
   */
  readonly queue?: string | undefined;
  /**
   * BullMQ's key prefix in Redis.
   * @default 'bull'
   */
  readonly prefix?: string | undefined;
  /**
   * Arguments and results above this many bytes, serialized, are refused with
   * `PayloadTooLargeError` (Redis holds every job in memory).
   * @default 1_048_576 (1 MiB)
   */
  readonly maxPayloadBytes?: number | undefined;
  /**
   * How long (ms) Redis may be unreachable before the executor breaks (or the worker stops) with
   * `RedisUnavailableError`, rather than waiting for ever.
   * @default 10_000
   */
  readonly connectionTimeout?: number | undefined;
}

/** Checks the queue name and prefix. */
export function queueOptions(where: string, options: QueueOptions): { readonly queue: string; readonly prefix: string } {
  const queue = options.queue ?? 'futures';
  const prefix = options.prefix ?? 'bull';
  for (const [key, value] of [['queue', queue], ['prefix', prefix]] as const) {
    if (typeof value !== 'string' || value === '' || value.includes(':')) {
      throw new TypeError(`${where}: ${key} must be a non-empty string without ':', got ${JSON.stringify(value)}`);
    }
  }
  return { queue, prefix };
}

/** The pub/sub channel on which submitters ask workers to stop a running job. */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:futures:stop`;
}

/** Classes a worker's error may come back as without the task module's help: ours and core's. */
const KNOWN_ERRORS: Readonly<Record<string, unknown>> = { ...core, ...errors };

/** BullMQ's reason when a job's worker stopped renewing its lock more than `maxStalledCount` times. */
const STALLED = /stalled more than allowable limit/i;

/**
 * The error of a failed job: the task's own error (class, message, stack, fields) when the
 * worker recorded it, else one built from BullMQ's reason (a worker that died too often gives
 * `WorkerCrashedError`).
 */
export async function jobFailure(job: Job | undefined, failedReason: string, module: string, jobId: string): Promise<unknown> {
  const recorded = (job?.data as { error?: unknown } | undefined)?.error;
  if (recorded !== undefined) {
    let data: SerializedError;
    try {
      data = decodeValue(recorded, `the error of job ${jobId}`) as SerializedError;
    } catch (error) {
      return error;
    }
    if (data.kind === 'error' && data.className in KNOWN_ERRORS) return deserializeError(data, KNOWN_ERRORS);
    const settlement = await fromTaskOutcome([false, data], module || ((job?.data as { module?: string } | undefined)?.module ?? ''));
    return settlement.value;
  }
  if (STALLED.test(failedReason)) {
    return new WorkerCrashedError(`job ${jobId}: its worker stopped (killed, or lost its lock) while running it more often than the queue allows (BullMQ: ${failedReason})`);
  }
  const error = new Error(failedReason || `job ${jobId} failed`);
  const stack = job?.stacktrace?.at(-1);
  if (typeof stack === 'string') error.stack = stack;
  return error;
}
