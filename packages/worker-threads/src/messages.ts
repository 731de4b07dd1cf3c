/** The messages between a ThreadPoolExecutor and its worker threads. */
import type { SerializedError, TaskCall, TaskOutcome } from '@futures/core';

/** A batch of tasks for one worker. */
export interface BatchRequest {
  /** Identifies the batch in streamed outcomes. */
  readonly batch: number;
  readonly calls: readonly TaskCall[];
  /** Post a {@link TaskStarted} when the (single) task starts: its timeout counts from then. */
  readonly notifyStart: boolean;
}

/** Posted when a task that has a timeout or a signal starts running in the thread. */
export interface TaskStarted {
  readonly '@futures/started': true;
  readonly batch: number;
}

/** What the worker answers when the batch is done. */
export type BatchResponse =
  /** A batch of one: its outcome. */
  | { readonly kind: 'single'; readonly outcome: TaskOutcome; readonly threadId: number; readonly ran: number }
  /** A larger batch: every outcome was streamed through `parentPort` before this answer. */
  | { readonly kind: 'streamed'; readonly count: number; readonly threadId: number; readonly ran: number }
  /** The worker's initializer failed: it runs no task. */
  | { readonly kind: 'initializer-failed'; readonly error: SerializedError; readonly threadId: number };

/** One outcome of a larger batch, posted as soon as the task settles. */
export interface StreamedOutcome {
  readonly '@futures/outcome': true;
  readonly batch: number;
  readonly index: number;
  readonly outcome: TaskOutcome;
}

/** What the worker finds in `workerData`. */
export interface WorkerSettings {
  readonly initializer?: { readonly module: string; readonly name: string; readonly args: readonly unknown[] };
}

/** True when a message from a worker says that a task started. */
export function isTaskStarted(message: unknown): message is TaskStarted {
  return typeof message === 'object' && message !== null && (message as Record<string, unknown>)['@futures/started'] === true;
}

/** True when a message from a worker is a streamed outcome. */
export function isStreamedOutcome(message: unknown): message is StreamedOutcome {
  return typeof message === 'object' && message !== null && (message as Record<string, unknown>)['@futures/outcome'] === true;
}
