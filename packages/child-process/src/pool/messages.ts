/**
 * The messages between the process-pool engine and its children, over the IPC channel. Task
 * batches and outcomes use the shared protocol of @futures/core; every message carries the key
 * `'@futures/pool'` (its kind), so messages a task sends itself with `process.send` pass by.
 */
import type { OutcomeGroup, SerializedError, TaskBatch } from '@futures/core';

/** The key that marks the engine's messages; its value is the message kind. */
export const KIND = '@futures/pool';

/** Parent → child, first message: who the child is and what to run before any task. */
export interface SetupMessage {
  readonly [KIND]: 'setup';
  readonly workerId: number;
  readonly initializer?: { readonly module: string; readonly name: string; readonly args: readonly unknown[] };
}

/** Parent → child: run these tasks in order. */
export interface RunMessage {
  readonly [KIND]: 'run';
  /** Identifies the batch in the answers. */
  readonly id: number;
  readonly batch: TaskBatch;
  /** Say when the (single) task starts: its timeout counts from then. */
  readonly notifyStart: boolean;
  /** The calls of a map chunk: their outcomes settle nothing alone, so the child may group them longer. */
  readonly chunk?: boolean;
}

/**
 * Parent → child: several run messages written at once, in order (the batches the engine handed
 * one child in one turn of the event loop: each write that wakes a sleeping child costs the
 * parent more than the bytes it carries).
 */
export interface BundleMessage {
  readonly [KIND]: 'bundle';
  readonly messages: readonly RunMessage[];
}

/**
 * Child → parent, once its message listener is in place: the parent may send. (A cluster
 * worker reads its channel from the start, so a message sent earlier would be lost.)
 */
export interface ReadyMessage {
  readonly [KIND]: 'ready';
}

/** Child → parent: the task of batch `id` started. */
export interface StartedMessage {
  readonly [KIND]: 'started';
  readonly id: number;
}

/**
 * Child → parent: outcomes of batch `id`, starting at index `from`. Quick tasks' outcomes are
 * grouped (a few ms at most); `ran` is present on the last message of the batch: how many tasks
 * the child has run in all.
 */
export interface OutcomesMessage {
  readonly [KIND]: 'outcomes';
  readonly id: number;
  readonly from: number;
  readonly outcomes: OutcomeGroup;
  readonly ran?: number;
}

/** Child → parent: the initializer failed; the child runs no task. */
export interface InitFailedMessage {
  readonly [KIND]: 'init-failed';
  readonly error: SerializedError;
}

/** Child → parent, just before it exits: an error nothing caught (reported as the crash's cause). */
export interface UncaughtMessage {
  readonly [KIND]: 'uncaught';
  readonly error: SerializedError;
}

/** Child → parent: an operation on a Manager object (lock, value, queue) the parent holds. */
export interface ManagerRequest {
  readonly [KIND]: 'manager';
  /** Identifies the request in the reply. */
  readonly req: number;
  readonly manager: string;
  readonly handle: number;
  readonly op: string;
  readonly args: readonly unknown[];
}

/** Parent → child: the answer to a {@link ManagerRequest}. */
export interface ManagerReply {
  readonly [KIND]: 'manager-reply';
  readonly req: number;
  readonly ok: boolean;
  /** The result, or the error as data. */
  readonly value: unknown;
}

/** Every message a child sends. */
export type ChildMessage = ReadyMessage | StartedMessage | OutcomesMessage | InitFailedMessage | UncaughtMessage | ManagerRequest;

/** Every message the parent sends. */
export type ParentMessage = SetupMessage | RunMessage | BundleMessage | ManagerReply;

/** The kind of an engine message, or `undefined` for anything else. */
export function messageKind(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const kind = (message as Record<string, unknown>)[KIND];
  return typeof kind === 'string' ? kind : undefined;
}
