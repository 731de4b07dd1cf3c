/** The messages between a ThreadPoolExecutor and its worker threads. */
import type { MessagePort } from 'node:worker_threads';
import type { SerializedError, TaskBatch, TaskOutcome } from '@futures/core/worker';

/** A batch of tasks for one worker (piscina's task). */
export interface BatchRequest {
  /** Identifies the batch in streamed outcomes. */
  readonly id: number;
  /** The tasks, in the shared protocol's format (module URLs and export names once). */
  readonly batch: TaskBatch;
  /** Post a {@link TaskStarted} when the (single) task starts: its timeout counts from then. */
  readonly notifyStart: boolean;
  /**
   * For a task sent ahead to a busy thread: its cell in the shared claim array. The thread
   * takes the task by writing the time into the cell's claim time, then turning the cell from 0
   * to 1 (no message: the main thread looks at the cells whenever it wakes up); the main thread
   * takes it back by turning it from 0 to 2, and the thread then skips it.
   */
  readonly claim?: number;
}

/** Posted when a task that has a timeout or a signal starts running in the thread. */
export interface TaskStarted {
  readonly '@futures/started': true;
  readonly id: number;
}

/** What the worker answers when the batch is done. */
export type BatchResponse =
  /** A batch of one: its outcome. */
  | { readonly kind: 'single'; readonly outcome: TaskOutcome; readonly threadId: number; readonly ran: number }
  /** A larger batch: every outcome was posted on the thread's outcome port before this answer. */
  | { readonly kind: 'streamed'; readonly count: number; readonly threadId: number; readonly ran: number }
  /** The worker's initializer failed: it runs no task. */
  | { readonly kind: 'initializer-failed'; readonly error: SerializedError; readonly threadId: number }
  /** A task sent ahead was taken back (cancelled) before the thread took it: it did not run. */
  | { readonly kind: 'revoked'; readonly threadId: number };

/**
 * One outcome of a larger batch, posted on the thread's outcome port as soon as the task
 * settles (so a crash later in the batch loses nothing already done): `[batch id, index, outcome]`.
 */
export type StreamedOutcome = readonly [id: number, index: number, outcome: TaskOutcome];

/**
 * Posted once by every thread when it loads, before piscina's "ready": the port on which it
 * streams outcomes. The main thread reads a batch's outcomes from it in one synchronous drain
 * (`receiveMessageOnPort`) instead of one message event per task.
 */
export interface OutcomePort {
  readonly '@futures/outcomes': MessagePort;
  readonly threadId: number;
}

/** What the worker finds in `workerData`. */
export interface WorkerSettings {
  readonly initializer?: { readonly module: string; readonly name: string; readonly args: readonly unknown[] };
  /** The claim cells of tasks sent ahead (see {@link BatchRequest.claim}): an Int32Array. */
  readonly claims?: SharedArrayBuffer;
  /** When the thread took each cell's task, `performance.timeOrigin + performance.now()`: a Float64Array. */
  readonly claimTimes?: SharedArrayBuffer;
}

/** A claim cell's states. */
export const CLAIM = { open: 0, taken: 1, revoked: 2 } as const;

/** True when a message from a worker says that a task started. */
export function isTaskStarted(message: unknown): message is TaskStarted {
  return typeof message === 'object' && message !== null && (message as Record<string, unknown>)['@futures/started'] === true;
}

/** True when a message from a worker hands over its outcome port. */
export function isOutcomePort(message: unknown): message is OutcomePort {
  return typeof message === 'object' && message !== null && typeof (message as Record<string, unknown>)['@futures/outcomes'] === 'object';
}
