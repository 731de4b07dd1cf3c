import { kAddListener, kFailed, type Future } from './future.js';
import { durationOption, optionsObject, rejectUnknownOptions } from './options.js';
import { formatMs } from './timing.js';
import { TimeoutError } from './errors.js';

/** `wait` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait` returns when any future finishes with an error, or when all are done. */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait` returns when every future is done. */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** One of {@link FIRST_COMPLETED}, {@link FIRST_EXCEPTION}, {@link ALL_COMPLETED}. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of {@link wait}. */
export interface WaitOptions {
  /** Milliseconds to wait at most; when they pass, `wait` returns what is done so far (it does not throw). */
  readonly timeout?: number | undefined;
  /** When to return. @default ALL_COMPLETED */
  readonly returnWhen?: ReturnWhen | undefined;
}

/** What {@link wait} returns: the futures that are done, and the others. */
export interface WaitResult<F extends Future<unknown>> {
  /** Futures that finished or were cancelled. */
  readonly done: Set<F>;
  /** Futures still pending or running. */
  readonly notDone: Set<F>;
}

/**
 * How TypeScript sees each future that {@link asCompleted} yields: the `Future` without `then`.
 * TypeScript types the variable of a `for await` loop as the *awaited* element type, which
 * would turn a thenable `Future<T>` into `T`; at run time the element is the Future itself.
 * Read it with `future.result()` / `future.exception()`; where the `Future` type is needed
 * (e.g. `futureToUrl.get(future as Future<string>)`), cast it back.
 */
export type CompletedFuture<F> = Omit<F, 'then'>;

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /** Milliseconds, counted from the call; when they pass with futures left, iteration throws `TimeoutError`. */
  readonly timeout?: number | undefined;
}

/**
 * Waits for the futures as Python's `concurrent.futures.wait`: returns `{ done, notDone }` when
 * `returnWhen` is met or `timeout` ms pass. Duplicates count once.
 *
 * @example
 * const { done, notDone } = await wait(futures, { returnWhen: FIRST_COMPLETED });
 */
export function wait<F extends Future<unknown>>(futures: Iterable<F>, options?: WaitOptions): Promise<WaitResult<F>> {
  const opts = optionsObject('wait', options);
  rejectUnknownOptions('wait', opts, ['timeout', 'returnWhen']);
  const timeout = durationOption('timeout', opts.timeout);
  const returnWhen = opts.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new TypeError(`returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got ${String(returnWhen)}`);
  }
  const all = uniqueFutures(futures, 'wait');
  const done = new Set<F>();
  const notDone = new Set<F>();
  for (const future of all) (future.done() ? done : notDone).add(future);

  const satisfied = (): boolean =>
    notDone.size === 0 ||
    (returnWhen === FIRST_COMPLETED && done.size > 0) ||
    (returnWhen === FIRST_EXCEPTION && [...done].some(failed));
  if (satisfied() || timeout === 0) return Promise.resolve({ done, notDone });

  return new Promise((resolve) => {
    const removers: (() => void)[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const remove of removers) remove();
      resolve({ done, notDone });
    };
    for (const future of [...notDone]) {
      removers.push(
        future[kAddListener](() => {
          notDone.delete(future);
          done.add(future);
          if (notDone.size === 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && failed(future))) finish();
        }),
      );
      if (finished) return;
    }
    if (timeout !== undefined) timer = setTimeout(finish, timeout);
  });
}

/**
 * Yields the futures as they complete (finished or cancelled), as Python's
 * `concurrent.futures.as_completed`: those already done first, then the rest in completion
 * order. Duplicates are yielded once. It yields the `Future` objects themselves; read each
 * with `await future` or `future.result()`. Throws `TimeoutError` when `timeout` ms (counted
 * from the call) pass with futures left.
 *
 * @example
 * for await (const future of asCompleted(futures)) console.log(await future.result());
 */
export function asCompleted<F extends Future<unknown>>(futures: Iterable<F>, options?: AsCompletedOptions): AsyncIterableIterator<CompletedFuture<F>> {
  const opts = optionsObject('asCompleted', options);
  rejectUnknownOptions('asCompleted', opts, ['timeout']);
  const timeout = durationOption('timeout', opts.timeout);
  return new AsCompletedIterator(uniqueFutures(futures, 'asCompleted'), timeout);
}

/**
 * Hand-built async iterator: an `async function*` would adopt each yielded Future (they are
 * thenable) and yield its result instead of the future.
 */
class AsCompletedIterator<F extends Future<unknown>> implements AsyncIterableIterator<F> {
  readonly #ready: F[] = [];
  #readHead = 0;
  #pending: number;
  readonly #total: number;
  readonly #removers: (() => void)[] = [];
  readonly #deadline: number;
  readonly #timeout: number | undefined;
  /** Unanswered `next()` calls, oldest first (only while no future is ready). */
  readonly #waiters: Waiter<F>[] = [];
  #closed = false;

  constructor(futures: Set<F>, timeout: number | undefined) {
    this.#timeout = timeout;
    this.#deadline = timeout === undefined ? Infinity : performance.now() + timeout;
    this.#total = futures.size;
    const waiting: F[] = [];
    for (const future of futures) (future.done() ? this.#ready : waiting).push(future);
    this.#pending = waiting.length;
    for (const future of waiting) {
      this.#removers.push(
        future[kAddListener](() => {
          this.#pending--;
          const waiter = this.#waiters.shift();
          if (waiter === undefined) {
            this.#ready.push(future);
            return;
          }
          clearTimeout(waiter.timer);
          // Resolve with a plain object: resolving with the future itself would adopt it.
          waiter.resolve({ done: false, value: future });
          if (this.#pending === 0) this.#close(); // later waiters get { done: true }
        }),
      );
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<F>> {
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    if (this.#readHead < this.#ready.length) return Promise.resolve({ done: false, value: this.#take() });
    if (this.#pending === 0) {
      this.#close();
      return Promise.resolve({ done: true, value: undefined });
    }
    const remaining = this.#timeout === undefined ? undefined : this.#deadline - performance.now();
    if (remaining !== undefined && remaining <= 0) return Promise.reject(this.#timedOut());
    return new Promise((resolve, reject) => {
      const waiter: Waiter<F> = { resolve, timer: undefined };
      if (remaining !== undefined) {
        waiter.timer = setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(this.#timedOut());
        }, remaining);
      }
      this.#waiters.push(waiter);
    });
  }

  return(): Promise<IteratorResult<F>> {
    this.#close();
    return Promise.resolve({ done: true, value: undefined });
  }

  #take(): F {
    const future = this.#ready[this.#readHead] as F;
    this.#ready[this.#readHead++] = undefined as unknown as F;
    return future;
  }

  #timedOut(): TimeoutError {
    const left = this.#pending;
    this.#close();
    return new TimeoutError(`${left} (of ${this.#total}) futures unfinished after ${formatMs(this.#timeout ?? 0)}`);
  }

  #close(): void {
    this.#closed = true;
    for (const remove of this.#removers) remove();
    this.#removers.length = 0;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve({ done: true, value: undefined });
    }
  }
}

interface Waiter<F> {
  readonly resolve: (result: IteratorResult<F>) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

function failed(future: Future<unknown>): boolean {
  // A finished future whose exception is set; cancelled futures do not count (as in Python).
  return future.state === 'finished' && future[kFailed]();
}


function uniqueFutures<F extends Future<unknown>>(futures: Iterable<F>, where: string): Set<F> {
  if (futures == null || typeof (futures as Iterable<F>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${where} expects an iterable of futures`);
  }
  const set = new Set<F>();
  for (const future of futures) {
    if (typeof future?.done !== 'function' || typeof (future as Partial<Future>)[kAddListener] !== 'function') {
      throw new TypeError(`${where} expects futures, got ${future === null ? 'null' : typeof future} in the list`);
    }
    set.add(future);
  }
  return set;
}
