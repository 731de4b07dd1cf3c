import { TimeoutError } from './errors.js';
import { kNotReady, kPeek, type Future } from './future.js';
import { durationOption, integerOption, optionsObject, rejectUnknownOptions } from './options.js';
import { checkSignal, formatMs } from './timing.js';

/** Options of `Executor.map` and `Executor.starmap`. */
export interface MapOptions {
  /**
   * Milliseconds, counted from the `map` call, for the whole iteration. When it passes, the
   * iterator throws `TimeoutError` and cancels every task that has not started.
   */
  readonly timeout?: number | undefined;
  /**
   * Items sent to a worker per message by thread and process backends (fewer messages for
   * many small tasks). In-process executors ignore it.
   * @default 1
   */
  readonly chunksize?: number | undefined;
  /**
   * At most this many items are submitted and not yet yielded: the input is read lazily, so an
   * endless input uses bounded memory. Without it every item is submitted at once (Python's default).
   * @default undefined (submit everything)
   */
  readonly buffersize?: number | undefined;
  /**
   * Aborts the whole map: tasks not started are cancelled, running ones are stopped, and the
   * iterator throws `signal.reason`.
   */
  readonly signal?: AbortSignal | undefined;
}

/** How a map submits its items: provided by the executor. */
export interface MapSubmitter {
  /** Submits one item's arguments; `chunk` is the map's `chunksize`. */
  submit(args: unknown[], signal: AbortSignal | undefined, chunk: number): Future<unknown>;
  /** A promise while the executor's queue is full, `undefined` when there is room. */
  waitForRoom(): Promise<void> | undefined;
}

/** An error that surfaces at its position in the results (the other slots hold futures). */
class SlotError {
  constructor(readonly error: unknown) {}
}

type Slot = Future<unknown> | SlotError;

/**
 * The iterator behind `map`/`starmap`: submits items (all at once, or `buffersize` ahead),
 * yields results in input order, and cancels what has not started when it stops early.
 */
export class MapIterator<R> implements AsyncIterableIterator<R> {
  readonly #submitter: MapSubmitter;
  readonly #toArgs: (item: unknown) => unknown[];
  readonly #buffersize: number | undefined;
  readonly #chunk: number;
  readonly #signal: AbortSignal | undefined;
  readonly #timeout: number | undefined;
  readonly #deadline: number;
  readonly #name: string;
  readonly #slots: Slot[] = [];
  #head = 0;
  #syncInput: Iterator<unknown> | undefined;
  #asyncInput: AsyncIterator<unknown> | undefined;
  #inputDone = false;
  #reading = false;
  #stopped = false;
  #yielded = 0;
  #wake: (() => void) | undefined;
  /** The promise of the latest `next()` call, and how many calls have not settled: calls are served one after another. */
  #last: Promise<unknown> = Promise.resolve();
  #pendingCalls = 0;

  constructor(submitter: MapSubmitter, iterable: Iterable<unknown> | AsyncIterable<unknown>, toArgs: (item: unknown) => unknown[], options: MapOptions | undefined, name: string) {
    const opts = optionsObject('map', options);
    rejectUnknownOptions('map', opts, ['timeout', 'chunksize', 'buffersize', 'signal']);
    this.#timeout = durationOption('timeout', opts.timeout);
    this.#chunk = integerOption('chunksize', opts.chunksize, 1);
    this.#buffersize = opts.buffersize === undefined ? undefined : integerOption('buffersize', opts.buffersize, 1);
    this.#signal = checkSignal(opts.signal);
    this.#signal?.throwIfAborted();
    this.#deadline = this.#timeout === undefined ? Infinity : performance.now() + this.#timeout;
    this.#submitter = submitter;
    this.#toArgs = toArgs;
    this.#name = name;
    if (iterable != null && typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      this.#asyncInput = (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    } else if (iterable != null && typeof (iterable as Iterable<unknown>)[Symbol.iterator] === 'function') {
      this.#syncInput = (iterable as Iterable<unknown>)[Symbol.iterator]();
    } else {
      throw new TypeError(`map expects an iterable or async iterable, got ${iterable === null ? 'null' : typeof iterable}`);
    }
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#fill();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next result in input order. Calls are served one after another. */
  next(): Promise<IteratorResult<R>> {
    // The usual caller (for await) waits for each call: no chaining, no extra promises.
    if (this.#pendingCalls++ === 0) return (this.#last = this.#next());
    const next = (): Promise<IteratorResult<R>> => this.#next();
    const result = this.#last.then(next, next);
    this.#last = result;
    return result;
  }

  /** Stops early: cancels what has not started and closes the input. */
  return(value?: unknown): Promise<IteratorResult<R>> {
    this.#stop();
    return Promise.resolve({ done: true, value: value as R });
  }

  /** Stops early like `return`, then throws `error`. */
  throw(error?: unknown): Promise<IteratorResult<R>> {
    this.#stop();
    return Promise.reject(error);
  }

  get #inFlight(): number {
    return this.#slots.length - this.#head;
  }

  async #next(): Promise<IteratorResult<R>> {
    try {
      if (this.#stopped) return { done: true, value: undefined };
      for (;;) {
        if (this.#signal?.aborted) throw this.#signal.reason;
        const slot = this.#slots[this.#head];
        if (slot !== undefined) {
          if (slot instanceof SlotError) throw slot.error;
          // Usually the oldest task is done by now: take its result without a round trip through a promise.
          let value = slot[kPeek]() as R | typeof kNotReady;
          if (value === kNotReady) {
            value = (await (this.#timeout === undefined && this.#signal === undefined
              ? slot.result()
              : slot.result({ timeout: this.#remaining(), signal: this.#signal }))) as R;
          }
          this.#slots[this.#head++] = undefined as unknown as Slot;
          if (this.#head > 1024 && this.#head * 2 > this.#slots.length) this.#compact();
          this.#yielded++;
          this.#fill();
          return { done: false, value };
        }
        if (this.#inputDone) {
          this.#stop();
          return { done: true, value: undefined };
        }
        await this.#changed();
      }
    } catch (error) {
      const inFlight = this.#inFlight;
      this.#stop();
      if (error instanceof TimeoutError && this.#timeout !== undefined) {
        throw new TimeoutError(
          `${this.#name}.map did not complete within ${formatMs(this.#timeout)} (${this.#yielded} results yielded, ` +
            `${inFlight} submitted and not yielded)`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      this.#pendingCalls--;
    }
  }

  #remaining(): number | undefined {
    return this.#timeout === undefined ? undefined : Math.max(0, this.#deadline - performance.now());
  }

  /** Waits until the reader adds a slot or finishes, within the map's deadline. */
  #changed(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const remaining = this.#remaining();
      const timer = remaining === undefined ? undefined : setTimeout(() => {
        this.#wake = undefined;
        reject(new TimeoutError('map input did not produce an item in time'));
      }, remaining);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  #notify(): void {
    this.#wake?.();
  }

  #wantsMore(): boolean {
    return !this.#stopped && !this.#inputDone && (this.#buffersize === undefined || this.#inFlight < this.#buffersize);
  }

  /** Submits items while the buffer has room: synchronously for sync input, else in the background. */
  #fill(): void {
    if (this.#reading) return;
    if (this.#syncInput !== undefined) {
      while (this.#wantsMore()) {
        if (this.#submitter.waitForRoom() !== undefined) break;
        let step: IteratorResult<unknown>;
        try {
          step = this.#syncInput.next();
        } catch (error) {
          this.#inputFailed(error);
          break;
        }
        if (step.done === true) {
          this.#inputDone = true;
          break;
        }
        this.#submitOne(step.value);
      }
      if (this.#wantsMore()) void this.#readInBackground();
      this.#notify();
      return;
    }
    if (this.#wantsMore()) void this.#readInBackground();
  }

  /** Reads the input asynchronously (async input, or sync input waiting for queue room). */
  async #readInBackground(): Promise<void> {
    this.#reading = true;
    try {
      while (this.#wantsMore()) {
        const room = this.#submitter.waitForRoom();
        if (room !== undefined) {
          await room;
          continue;
        }
        let step: IteratorResult<unknown>;
        try {
          step = this.#asyncInput !== undefined ? await this.#asyncInput.next() : (this.#syncInput as Iterator<unknown>).next();
        } catch (error) {
          this.#inputFailed(error);
          break;
        }
        if (this.#stopped) break;
        if (step.done === true) {
          this.#inputDone = true;
          break;
        }
        // Reading took time: someone else may have filled the queue meanwhile.
        let stillFull = this.#submitter.waitForRoom();
        while (stillFull !== undefined && !this.#stopped) {
          await stillFull;
          stillFull = this.#submitter.waitForRoom();
        }
        if (this.#stopped) break;
        this.#submitOne(step.value);
        this.#notify();
      }
    } finally {
      this.#reading = false;
      this.#notify();
    }
  }

  #submitOne(item: unknown): void {
    try {
      this.#slots.push(this.#submitter.submit(this.#toArgs(item), this.#signal, this.#chunk));
    } catch (error) {
      // Shutdown, a broken executor or a bad item: it surfaces at this position, in order.
      this.#slots.push(new SlotError(error));
      this.#closeInput();
    }
  }

  #inputFailed(error: unknown): void {
    this.#slots.push(new SlotError(error));
    this.#inputDone = true;
  }

  #onAbort = (): void => {
    this.#notify();
  };

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (let i = this.#head; i < this.#slots.length; i++) {
      const slot = this.#slots[i];
      if (slot !== undefined && !(slot instanceof SlotError)) slot.cancel();
    }
    this.#slots.length = 0;
    this.#head = 0;
    this.#closeInput();
    this.#notify();
  }

  /** Stops reading the input and lets it clean up (`return()`), unless it already ended. */
  #closeInput(): void {
    if (this.#inputDone) return;
    this.#inputDone = true;
    try {
      const closing = this.#asyncInput?.return?.() ?? this.#syncInput?.return?.();
      if (closing instanceof Promise) closing.catch(() => undefined);
    } catch {
      // closing the input is best effort
    }
  }

  #compact(): void {
    this.#slots.splice(0, this.#head);
    this.#head = 0;
  }
}
