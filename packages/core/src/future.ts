import { CancelledError, InvalidStateError } from './errors.js';
import { durationOption, optionsObject, rejectUnknownOptions } from './options.js';
import { checkSignal, noop, onAbort, startTimer, waitTimedOut } from './timing.js';

/** The four states of a {@link Future}, as in Python. */
export type FutureState = 'pending' | 'running' | 'cancelled' | 'finished';

/** Options of {@link Future.result} and {@link Future.exception}. */
export interface FutureWaitOptions {
  /** How long to wait, in milliseconds. `0` answers at once; `undefined` waits for ever. */
  readonly timeout?: number | undefined;
  /** Stops waiting (not the task) when aborted; the wait rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of the {@link Future} constructor. */
export interface FutureOptions {
  /** A label used in messages and when the future is printed, e.g. the task's name. */
  readonly name?: string | undefined;
}

type Listener<T> = (future: Future<T>) => void;

/** Internal hook used by `wait`/`asCompleted`: a removable listener that is not a done callback. */
export const kAddListener: unique symbol = Symbol('futures.addListener');

/** Internal hook used by `map`: the result of a future that finished successfully, else {@link kNotReady}. */
export const kPeek: unique symbol = Symbol('futures.peek');
export const kNotReady: unique symbol = Symbol('futures.notReady');

/** Internal hook used by `wait`: whether a finished future holds an error. */
export const kFailed: unique symbol = Symbol('futures.failed');

let nextId = 1;

/**
 * The result of an asynchronous computation, as in Python's `concurrent.futures.Future`.
 * `await future` gives its result (or throws its error).
 *
 * Executors create futures; user code reads them. Executor authors drive a future through
 * {@link Future.setRunningOrNotifyCancel}, {@link Future.setResult} and {@link Future.setException}.
 *
 * @example
 * const future = executor.submit(tasks.square, 7);
 * console.log(await future.result({ timeout: 1000 })); // 49
 */
export class Future<T = unknown> implements PromiseLike<T> {
  /**
   * Called when a done callback throws. The default prints the error with `console.error`;
   * replace it to route such errors elsewhere. The other callbacks run regardless.
   */
  static reportCallbackError: (error: unknown, future: Future<unknown>) => void = (error, future) => {
    console.error(`exception calling callback for ${String(future)}:`, error);
  };

  /** A number unique within this process, used in messages. */
  readonly id: number = nextId++;
  /** The label given at construction, e.g. the task's name. */
  readonly name: string | undefined;

  #state: FutureState = 'pending';
  #value: T | undefined = undefined;
  #error: unknown = undefined;
  #failed = false;
  // `any`, not T: a listener list typed with T would make Future<number> unassignable to Future<unknown>.
  #listeners: Listener<any>[] | undefined = undefined;
  #promise: Promise<T> | undefined = undefined;
  /** Settle #promise (created by the first `then` on a pending future) when the future is done. */
  #resolve: ((value: any) => void) | undefined = undefined; // `any`, not T: keeps Future<number> assignable to Future<unknown>
  #reject: ((error: unknown) => void) | undefined = undefined;

  /** Creates a pending future. Executors do this; user code rarely needs to. */
  constructor(options?: FutureOptions) {
    this.name = options?.name;
  }

  /** `'pending' | 'running' | 'cancelled' | 'finished'`. */
  get state(): FutureState {
    return this.#state;
  }

  /** True if the future was cancelled. */
  cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /** True if the task is running now (and so cannot be cancelled). */
  running(): boolean {
    return this.#state === 'running';
  }

  /** True if the future was cancelled or finished (with a result or an error). */
  done(): boolean {
    return this.#state === 'cancelled' || this.#state === 'finished';
  }

  /**
   * Cancels the future if it has not started. Returns true if it is cancelled now (or was
   * already), false if it is running or finished. Done callbacks run on cancel.
   * To stop a *running* task, pass an `AbortSignal` when submitting it.
   */
  cancel(): boolean {
    if (this.#state === 'cancelled') return true;
    if (this.#state !== 'pending') return false;
    this.#state = 'cancelled';
    this.#notify();
    return true;
  }

  /**
   * The task's result. Rejects with the task's own error if it failed, with `CancelledError`
   * if the future was cancelled, with `TimeoutError` if `timeout` ms pass first, and with
   * `signal.reason` if `signal` aborts the wait.
   */
  result(options?: FutureWaitOptions): Promise<T> {
    if (options === undefined) return this.#nativePromise();
    return this.#waitDone(options, 'result').then(() => this.#settledPromise());
  }

  /**
   * The task's error, or `undefined` if it succeeded. Rejects with `CancelledError` /
   * `TimeoutError` / `signal.reason` like {@link Future.result}.
   */
  exception(options?: FutureWaitOptions): Promise<unknown> {
    return this.#waitDone(options, 'exception').then(() => {
      if (this.#state === 'cancelled') throw this.#cancelledError();
      return this.#failed ? this.#error : undefined;
    });
  }

  /**
   * Calls `fn(future)` when the future is done (finished or cancelled), at once if it already
   * is. Callbacks run in the order they were added. A callback that throws is reported through
   * `Future.reportCallbackError` and does not stop the others.
   */
  addDoneCallback(fn: (future: Future<T>) => void): void {
    if (typeof fn !== 'function') throw new TypeError('addDoneCallback expects a function');
    const callback: Listener<T> = (future) => {
      try {
        fn(future);
      } catch (error) {
        try {
          Future.reportCallbackError(error, future as Future<unknown>);
        } catch {
          // a failing reporter must not stop the other callbacks or the executor
        }
      }
    };
    if (this.done()) callback(this);
    else (this.#listeners ??= []).push(callback);
  }

  /**
   * For executors: marks the future running and returns true, or returns false if it was
   * cancelled (then the executor must not run it). Throws `InvalidStateError` in any other state.
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === 'cancelled') return false;
    if (this.#state !== 'pending') {
      throw new InvalidStateError(`${this.#describe()} is ${this.#state}: cannot mark it running`);
    }
    this.#state = 'running';
    return true;
  }

  /** For executors: finishes the future with `value`. Throws `InvalidStateError` if it is done. */
  setResult(value: T): void {
    this.#finish('setResult');
    this.#value = value;
    this.#notify();
  }

  /** For executors: finishes the future with `error`. Throws `InvalidStateError` if it is done. */
  setException(error: unknown): void {
    this.#finish('setException');
    this.#error = error;
    this.#failed = true;
    this.#notify();
  }

  /** Lets `await future` and `Promise.resolve(future)` give the result. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#nativePromise().then(onfulfilled, onrejected);
  }

  /** `Future #3 (square) finished`, for logs. */
  toString(): string {
    return `${this.#describe()} ${this.#state}`;
  }

  /** Node's `util.inspect` shows the state and outcome. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    let outcome = '';
    if (this.#state === 'finished') outcome = this.#failed ? ` raised ${String((this.#error as Error)?.name ?? this.#error)}` : ' returned';
    return `<${this.#describe()} state=${this.#state}${outcome}>`;
  }

  /** Internal: a listener that `wait`/`asCompleted` can remove again. Returns the remover. */
  [kAddListener](listener: (future: Future<T>) => void): () => void {
    if (this.done()) {
      listener(this);
      return () => {};
    }
    const listeners = (this.#listeners ??= []);
    listeners.push(listener);
    return () => {
      const index = listeners.indexOf(listener);
      if (index === -1) return;
      // While #notify walks this array, splicing would make it skip the next listener.
      if (this.#listeners === listeners) listeners.splice(index, 1);
      else listeners[index] = noop;
    };
  }

  /** Internal: the result if the future finished successfully, else `kNotReady`. */
  [kPeek](): T | typeof kNotReady {
    return this.#state === 'finished' && !this.#failed ? (this.#value as T) : kNotReady;
  }

  /** Internal: true when the future finished with an error. */
  [kFailed](): boolean {
    return this.#failed;
  }

  #describe(): string {
    return this.name === undefined ? `Future #${this.id}` : `Future #${this.id} (${this.name})`;
  }

  #cancelledError(): CancelledError {
    return new CancelledError(`${this.#describe()} was cancelled`);
  }

  #finish(method: string): void {
    if (this.#state === 'cancelled' || this.#state === 'finished') {
      throw new InvalidStateError(`${this.#describe()} is already ${this.#state}: ${method} is not allowed`);
    }
    this.#state = 'finished';
  }

  #notify(): void {
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      const reject = this.#reject as (error: unknown) => void;
      this.#resolve = this.#reject = undefined;
      if (this.#state === 'cancelled') reject(this.#cancelledError());
      else if (this.#failed) reject(this.#error);
      else resolve(this.#value as T);
    }
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    this.#listeners = undefined;
    for (const listener of listeners) listener(this);
  }

  /** One native promise of the outcome, created on first use and settled by #notify. */
  #nativePromise(): Promise<T> {
    if (this.#promise === undefined) {
      this.#promise = this.done()
        ? this.#settledPromise()
        : new Promise<T>((resolve, reject) => {
            this.#resolve = resolve;
            this.#reject = reject;
          });
    }
    return this.#promise;
  }

  #settledPromise(): Promise<T> {
    if (this.#state === 'cancelled') return Promise.reject(this.#cancelledError());
    return this.#failed ? Promise.reject(this.#error) : Promise.resolve(this.#value as T);
  }

  /** Resolves when the future is done; rejects on timeout or abort. */
  #waitDone(options: FutureWaitOptions | undefined, method: string): Promise<void> {
    const opts = optionsObject(method, options);
    rejectUnknownOptions(method, opts, ['timeout', 'signal']);
    const timeout = durationOption('timeout', opts.timeout);
    const signal = checkSignal(opts.signal);
    if (this.done()) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (timeout === 0) return Promise.reject(waitTimedOut(this.#describe(), 0));
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown, failed = false): void => {
        removeListener();
        clearTimer();
        removeAbort();
        if (failed) reject(error);
        else resolve();
      };
      const removeListener = this[kAddListener](() => finish());
      const clearTimer = startTimer(timeout, () => finish(waitTimedOut(this.#describe(), timeout ?? 0), true));
      const removeAbort = onAbort(signal, () => finish(signal?.reason, true));
    });
  }
}
