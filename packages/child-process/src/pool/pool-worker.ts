/**
 * One child of a process pool, on the parent side: its process, what it is running, its output
 * forwarding, and the routing of its messages (batch outcomes to the running job, Manager
 * requests to the Manager objects).
 */
import { serialize } from 'node:v8';
import { deserializeError, serializeError, type SerializedError, type OutcomeGroup } from '@futures/core';
import { callManaged } from '../manager/registry.js';
import { KIND, messageKind, type BundleMessage, type RunMessage, type InitFailedMessage, type ManagerReply, type ManagerRequest, type OutcomesMessage, type ParentMessage, type StartedMessage, type UncaughtMessage } from './messages.js';
import { forwardOutput } from './output.js';
import type { ExitInfo, WorkerProcess } from './worker-process.js';

/** What the engine does with the answers of the batch a child runs. */
export interface Job {
  /** The batch id. */
  readonly id: number;
  /** Outcomes from index `from` on; `ran` is set on the batch's last message. */
  outcomes(from: number, outcomes: OutcomeGroup, ran: number | undefined): void;
  /** The (single) task started. */
  started(): void;
  /** The child's initializer failed. */
  initFailed(error: unknown): void;
  /** The child died while running the batch. */
  exited(exit: ExitInfo): void;
  /** The child died before it started the batch (it was sent ahead). */
  notRun(): void;
}

/** A pool child. */
export class PoolWorker {
  /** The batch it runs, if any. */
  job: Job | undefined;
  /** Batches sent ahead, queued in the child behind `job`, in order. */
  readonly ahead: Job[] = [];
  /** Set when the engine stops the child on purpose (retire, abort, shutdown): its exit is no crash. */
  stopping: 'retire' | 'abort' | 'shutdown' | 'terminate' | undefined;
  /** Tasks run so far. */
  ran = 0;
  /** How the process ended, once it has. */
  exit: ExitInfo | undefined;
  /** The last uncaught error the child reported before dying. */
  uncaught: unknown;
  /** Resolves when the process has exited and its channel closed. */
  readonly exited: Promise<ExitInfo>;

  constructor(
    /** The pool's number for this child (1, 2, ...; shown in output prefixes and errors). */
    readonly id: number,
    readonly process: WorkerProcess,
    output: 'inherit' | 'forward' | 'prefix' | 'ignore',
    onExit: (worker: PoolWorker, exit: ExitInfo) => void,
  ) {
    if (output === 'forward' || output === 'prefix') {
      const prefix = output === 'prefix' ? `[worker ${id}] ` : undefined;
      if (process.stdout !== null) forwardOutput(process.stdout, globalThis.process.stdout, prefix);
      if (process.stderr !== null) forwardOutput(process.stderr, globalThis.process.stderr, prefix);
    }
    process.onMessage((message) => this.#onMessage(message));
    this.exited = new Promise((resolve) => {
      process.onExit((exit) => {
        this.exit = exit;
        onExit(this, exit);
        resolve(exit);
      });
    });
  }

  /** `worker 2 (pid 1234)`. */
  describe(): string {
    return `worker ${this.id} (pid ${this.process.pid ?? 'unknown'})`;
  }

  /** Messages waiting for the child to be ready. */
  #early: ParentMessage[] | undefined = [];

  /** Sends a message to the child (queued until it is ready); throws when it cannot be copied. */
  send(message: ParentMessage): void {
    if (this.#early === undefined) {
      this.process.send(message);
      return;
    }
    serialize(message); // throws now, as a send would, if it cannot be copied
    this.#early.push(message);
  }

  /** Run messages handed over in this turn of the event loop, written together at its end. */
  #outbox: { readonly message: RunMessage; readonly sendAlone: () => void }[] | undefined;

  /**
   * Sends a run message at the end of this turn of the event loop (a microtask), in one write
   * with the others handed to this child meanwhile. `sendAlone` sends it by itself and handles
   * its errors: it is called instead when the child is not ready yet, when it is the only one,
   * or when the bundle cannot be copied (some arguments cannot be cloned).
   */
  sendSoon(message: RunMessage, sendAlone: () => void): void {
    if (this.#early !== undefined) {
      sendAlone();
      return;
    }
    if (this.#outbox !== undefined) {
      this.#outbox.push({ message, sendAlone });
      return;
    }
    this.#outbox = [{ message, sendAlone }];
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    const outbox = this.#outbox ?? [];
    this.#outbox = undefined;
    if (this.exit !== undefined) return; // the exit handler failed or requeued their jobs
    if (outbox.length > 1) {
      try {
        this.process.send({ [KIND]: 'bundle', messages: outbox.map((entry) => entry.message) } satisfies BundleMessage);
        return;
      } catch {
        // one of them cannot be copied: each on its own, which fails only the calls concerned
      }
    }
    for (const entry of outbox) entry.sendAlone();
  }

  #onMessage(message: unknown): void {
    switch (messageKind(message)) {
      case 'ready': {
        const early = this.#early ?? [];
        this.#early = undefined;
        for (const queued of early) this.process.send(queued);
        break;
      }
      case 'outcomes': {
        const { id, from, outcomes, ran } = message as OutcomesMessage;
        if (ran !== undefined) this.ran = ran;
        if (this.job?.id === id) this.job.outcomes(from, outcomes, ran);
        break;
      }
      case 'started':
        if (this.job?.id === (message as StartedMessage).id) this.job.started();
        break;
      case 'init-failed':
        this.job?.initFailed(deserializeError((message as InitFailedMessage).error));
        break;
      case 'uncaught':
        this.uncaught = deserializeError((message as UncaughtMessage).error);
        break;
      case 'manager':
        void this.#serve(message as ManagerRequest);
        break;
      default:
      // a message the task sent itself: not ours
    }
  }

  /** Runs a Manager operation for this child and answers it. */
  async #serve(request: ManagerRequest): Promise<void> {
    let reply: ManagerReply;
    try {
      const value = await callManaged(request.manager, request.handle, request.op, request.args, this);
      reply = { [KIND]: 'manager-reply', req: request.req, ok: true, value };
    } catch (error) {
      reply = { [KIND]: 'manager-reply', req: request.req, ok: false, value: serializeError(error) as SerializedError };
    }
    if (this.exit !== undefined) return;
    try {
      this.send(reply);
    } catch (error) {
      this.send({ [KIND]: 'manager-reply', req: request.req, ok: false, value: serializeError(error) });
    }
  }
}
