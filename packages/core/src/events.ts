import type { WorkerCrashedError } from './errors.js';
import type { Future } from './future.js';

/** Counters every executor keeps; cheap to read at any time (e.g. for a progress bar). */
export interface ExecutorStats {
  /** Tasks accepted by `submit` (including those cancelled later). */
  readonly submitted: number;
  /** Tasks waiting for a worker. */
  readonly queued: number;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks that finished with a result. */
  readonly completed: number;
  /** Tasks that finished with an error (including timeouts and aborts). */
  readonly failed: number;
  /** Futures cancelled before they started. */
  readonly cancelled: number;
}

/** The events an executor emits, with their listener signatures. */
export interface ExecutorEvents {
  /** A task was accepted by `submit`. */
  submitted: (future: Future) => void;
  /** A task started running. */
  started: (future: Future) => void;
  /** A future was settled: finished (result or error) or cancelled. */
  settled: (future: Future) => void;
  /**
   * A worker (thread or process) failed outside any task, e.g. while starting; the backend
   * replaced it or, when it cannot, the executor is now broken. No future fails because of it.
   */
  workerError: (error: WorkerCrashedError) => void;
  /** Nothing is queued or running any more. */
  idle: () => void;
  /** The executor finished shutting down: every task is settled and its resources are released. */
  shutdown: () => void;
}

/** A minimal typed event emitter: no allocation when nobody listens. */
export class Emitter<E extends { [K in keyof E]: (...args: never[]) => void }> {
  #listeners: { [K in keyof E]?: E[K][] } = {};
  /** How many events have listeners: lets hot paths skip the lookup when nobody listens. */
  #listened = 0;

  /** Adds `listener` for `event`; returns a function that removes it again. */
  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    if (typeof listener !== 'function') throw new TypeError(`listener for "${String(event)}" must be a function`);
    let list = this.#listeners[event];
    if (list === undefined) {
      list = this.#listeners[event] = [];
      this.#listened++;
    }
    list.push(listener);
    return () => this.off(event, listener);
  }

  /** Removes `listener` from `event`. */
  off<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.#listeners[event];
    if (list === undefined) return;
    const index = list.indexOf(listener);
    if (index !== -1) list.splice(index, 1);
    if (list.length === 0) {
      delete this.#listeners[event];
      this.#listened--;
    }
  }

  /** Adds `listener` for the next `event` only. */
  once<K extends keyof E>(event: K, listener: E[K]): () => void {
    const wrapper = ((...args: Parameters<E[K]>) => {
      this.off(event, wrapper);
      (listener as (...a: Parameters<E[K]>) => void)(...args);
    }) as unknown as E[K];
    return this.on(event, wrapper);
  }

  /** True when `event` has listeners (lets hot paths skip building event data). */
  protected hasListeners(event: keyof E): boolean {
    return this.#listened !== 0 && this.#listeners[event] !== undefined;
  }

  /** Calls the listeners of `event`; a throwing listener is reported and does not stop the others. */
  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const list = this.#listeners[event];
    if (list === undefined) return;
    for (const listener of [...list]) {
      try {
        (listener as (...a: Parameters<E[K]>) => void)(...args);
      } catch (error) {
        console.error(`exception in "${String(event)}" listener:`, error);
      }
    }
  }
}
