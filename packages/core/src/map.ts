import { TimeoutError } from './errors.js';
import { Future, kNotReady, kPeek } from './future.js';
import { durationOption, integerOption, optionsObject, rejectUnknownOptions } from './options.js';
import { keepShape } from './shapes.js';
import { checkSignal, formatMs } from './timing.js';

/** Options of `Executor.map` and `Executor.starmap`. */
export interface MapOptions {
  /**
   * Milliseconds, counted from the `map` call, for the whole iteration. When it passes, the
   * iterator throws `TimeoutError` and cancels every task that has not started.
   */
  readonly timeout?: number | undefined;
  /**
   * Items per chunk on thread and process backends, as in Python: a chunk is one work item (one
   * message each way, one future) whose calls run one after another on one worker. Results
   * still come one by one in input order, and a task that fails or crashes its worker fails at
   * its own position: the calls before it keep their results and the calls after it still run.
   * A queued chunk is cancelled as a whole. With a per-task `timeout` on the executor, calls
   * travel one per future instead. In-process executors ignore it.
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
  /** Submits one item's arguments. */
  submit(args: unknown[], signal: AbortSignal | undefined): Future<unknown>;
  /**
   * Submits several items as one chunk whose future resolves with their {@link ChunkResults}:
   * each call's argument list, or (`single`) each call's one argument. `undefined` when the
   * executor runs each item as a future of its own.
   */
  readonly submitChunk: ((calls: unknown[], signal: AbortSignal | undefined, single: boolean) => Future<unknown>) | undefined;
  /** A promise while the executor's queue is full, `undefined` when there is room. */
  waitForRoom(): Promise<void> | undefined;
}

/**
 * What the future of a map chunk resolves with: each call's result or error, in input order.
 * Filled by the executor as the calls' outcomes arrive.
 */
export class ChunkResults {
  #values: unknown[];
  readonly #known: Uint8Array;
  #failed: Set<number> | undefined;
  #count = 0;

  constructor(size: number) {
    this.#values = new Array<unknown>(size);
    this.#known = new Uint8Array(size);
  }

  /** Per call, its result or (see {@link ChunkResults.failed}) its error. */
  get values(): readonly unknown[] {
    return this.#values;
  }

  /** How many calls the chunk holds. */
  get size(): number {
    return this.#values.length;
  }

  /** True once call `index` has an outcome. */
  isSet(index: number): boolean {
    return this.#known[index] === 1;
  }

  /** True when call `index` failed (its value is the error). */
  failed(index: number): boolean {
    return this.#failed !== undefined && this.#failed.has(index);
  }

  /** The first call at or after `from` that failed, or `size` when none did. */
  firstFailure(from: number): number {
    let first = this.#values.length;
    if (this.#failed !== undefined) for (const index of this.#failed) if (index >= from && index < first) first = index;
    return first;
  }

  /** Takes `values` as the results of every call, when none has an outcome yet; false otherwise. */
  adopt(values: unknown[]): boolean {
    if (this.#count !== 0 || values.length !== this.#values.length) return false;
    this.#values = values;
    this.#known.fill(1);
    this.#count = values.length;
    return true;
  }

  /** Records the outcome of call `index` (the first one recorded stands). */
  set(index: number, failed: boolean, value: unknown): void {
    if (this.#known[index] === 1) return;
    this.#known[index] = 1;
    this.#values[index] = value;
    if (failed) (this.#failed ??= new Set()).add(index);
    this.#count++;
  }

  /** True while no call has an outcome. */
  pristine(): boolean {
    return this.#count === 0;
  }

  /** True when every call has an outcome. */
  complete(): boolean {
    return this.#count === this.#values.length;
  }

  /** The calls without an outcome, in order. */
  remaining(): number[] {
    const calls: number[] = [];
    for (let i = 0; i < this.#values.length; i++) if (this.#known[i] === 0) calls.push(i);
    return calls;
  }

  /** Fails every call without an outcome with `error`. */
  failRest(error: unknown): void {
    for (const call of this.remaining()) this.set(call, true, error);
  }
}

/** How many ready results `next()` hands out in a row before it lets the event loop turn. */
const READY_STREAK = 256;

/** Runs `fn` after the event loop turned once (setImmediate where there is one). */
const turn: (fn: () => void) => void = typeof globalThis.setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);

/** An error that surfaces at its position in the results (the other slots hold futures). */
class SlotError {
  constructor(readonly error: unknown) {}
}

/** A chunk's future and how many of its results were yielded. */
class ChunkSlot {
  taken = 0;
  constructor(
    readonly future: Future<unknown>,
    readonly size: number,
  ) {}
}

type Slot = Future<unknown> | ChunkSlot | SlotError;

/**
 * The iterator behind `map`/`starmap`: submits items (all at once, or `buffersize` ahead; in
 * chunks of `chunksize` where the executor takes chunks), yields results in input order, and
 * cancels what has not started when it stops early.
 */
export class MapIterator<R> implements AsyncIterableIterator<R> {
  readonly #submitter: MapSubmitter;
  /** Turns an item into its argument list (starmap); `undefined` for map: the item is the one argument. */
  readonly #toArgs: ((item: unknown) => unknown[]) | undefined;
  readonly #buffersize: number | undefined;
  /** Items per chunk; 1 when items travel one per future. */
  readonly #chunk: number;
  readonly #signal: AbortSignal | undefined;
  readonly #timeout: number | undefined;
  readonly #deadline: number;
  readonly #name: string;
  readonly #slots: Slot[] = [];
  #head = 0;
  /** Items read and not yielded: submitted, or waiting in {@link MapIterator.#calls} for their chunk to fill. */
  #inFlight = 0;
  /** The chunk being filled: argument lists, or for map the items themselves. */
  #calls: unknown[] = [];
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
  /** Results handed out in a row without the event loop turning. */
  #readyStreak = 0;
  /**
   * The head chunk's results while they are being handed out: its slot, its values, and the
   * end (exclusive) of the successful run being served, so that each `next()` is a few reads.
   */
  #runSlot: ChunkSlot | undefined;
  #runValues: readonly unknown[] = [];
  #runEnd = 0;

  constructor(
    submitter: MapSubmitter,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    toArgs: ((item: unknown) => unknown[]) | undefined,
    options: MapOptions | undefined,
    name: string,
  ) {
    const opts = optionsObject('map', options);
    rejectUnknownOptions('map', opts, ['timeout', 'chunksize', 'buffersize', 'signal']);
    this.#timeout = durationOption('timeout', opts.timeout);
    const chunksize = integerOption('chunksize', opts.chunksize, 1);
    this.#buffersize = opts.buffersize === undefined ? undefined : integerOption('buffersize', opts.buffersize, 1);
    // A chunk never waits for more items than the buffer may hold.
    this.#chunk = submitter.submitChunk === undefined ? 1 : Math.min(chunksize, this.#buffersize ?? Infinity);
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
    // The usual caller (for await) waits for each call: no chaining, and a result that is
    // already there (most of a chunk's) is handed over without entering the async path.
    const run = this.#runSlot;
    if (run !== undefined && this.#pendingCalls === 0) {
      const value = this.#runValues[run.taken] as R;
      if (++run.taken === this.#runEnd) this.#dropRun();
      this.#yielded1();
      return this.#hand({ done: false, value });
    }
    if (this.#pendingCalls === 0) {
      const ready = this.#takeReady();
      if (ready !== undefined) return this.#hand(ready);
    }
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

  /**
   * Hands a ready result over. A consumer that finds every result ready loops on promise
   * reactions alone, which never lets the event loop in: workers' answers would wait in their
   * channels and the workers would run dry. Every so many results, the event loop turns once.
   */
  #hand(result: IteratorResult<R>): Promise<IteratorResult<R>> {
    if (++this.#readyStreak < READY_STREAK) return Promise.resolve(result);
    this.#readyStreak = 0;
    return new Promise((resolve) => turn(() => resolve(result)));
  }

  /** The next result if it is known and successful, else `undefined`. */
  #takeReady(): IteratorResult<R> | undefined {
    if (this.#stopped || this.#signal?.aborted === true) return undefined;
    const slot = this.#slots[this.#head];
    if (slot === undefined || slot instanceof SlotError) return undefined;
    if (slot instanceof ChunkSlot) {
      const results = slot.future[kPeek]();
      if (results === kNotReady) return undefined;
      const chunk = results as ChunkResults;
      if (chunk.failed(slot.taken)) return undefined;
      const value = chunk.values[slot.taken] as R;
      const end = chunk.firstFailure(slot.taken);
      if (++slot.taken === end) {
        if (slot.taken === slot.size) this.#advance();
      } else {
        // Serve the rest of this successful run from next()'s fast path.
        this.#runSlot = slot;
        this.#runValues = chunk.values;
        this.#runEnd = end;
      }
      this.#yielded1();
      return { done: false, value };
    }
    const value = slot[kPeek]();
    if (value === kNotReady) return undefined;
    this.#advance();
    this.#yielded1();
    return { done: false, value: value as R };
  }

  /** The head slot is used up. */
  #advance(): void {
    this.#slots[this.#head++] = undefined as unknown as Slot;
    if (this.#head > 1024 && this.#head * 2 > this.#slots.length) this.#compact();
  }

  /** One result was handed out: room for one more item. */
  #yielded1(): void {
    this.#yielded++;
    this.#inFlight--;
    if (!this.#inputDone) this.#fill();
  }

  async #next(): Promise<IteratorResult<R>> {
    try {
      if (this.#stopped) return { done: true, value: undefined };
      for (;;) {
        if (this.#signal?.aborted) throw this.#signal.reason;
        const slot = this.#slots[this.#head];
        if (slot !== undefined) {
          if (slot instanceof SlotError) throw slot.error;
          const future = slot instanceof ChunkSlot ? slot.future : slot;
          if (future[kPeek]() === kNotReady) {
            this.#readyStreak = 0; // the event loop turns while we wait
            await (this.#timeout === undefined && this.#signal === undefined
              ? future.result()
              : future.result({ timeout: this.#remaining(), signal: this.#signal }));
          }
          if (slot instanceof ChunkSlot) {
            const chunk = future[kPeek]() as ChunkResults;
            if (chunk.failed(slot.taken)) throw chunk.values[slot.taken];
          }
          const ready = this.#takeReady();
          if (ready !== undefined) return ready;
          continue; // the iterator stopped or the signal aborted meanwhile
        }
        if (this.#inputDone && this.#calls.length === 0) {
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
        if (this.#calls.length === 0 && this.#submitter.waitForRoom() !== undefined) break;
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
        this.#add(step.value);
      }
      if (this.#inputDone) this.#submitCalls();
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
        const room = this.#calls.length === 0 ? this.#submitter.waitForRoom() : undefined;
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
        let stillFull = this.#calls.length === 0 ? this.#submitter.waitForRoom() : undefined;
        while (stillFull !== undefined && !this.#stopped) {
          await stillFull;
          stillFull = this.#submitter.waitForRoom();
        }
        if (this.#stopped) break;
        this.#add(step.value);
        this.#notify();
      }
    } finally {
      this.#reading = false;
      if (this.#inputDone) this.#submitCalls();
      this.#notify();
    }
  }

  /** Takes one input item: submits it, or adds it to the chunk being filled (submitted when full). */
  #add(item: unknown): void {
    let args: unknown;
    try {
      args = this.#toArgs === undefined ? item : this.#toArgs(item);
    } catch (error) {
      this.#submitCalls(); // the items before it still run
      this.#failAt(error);
      return;
    }
    this.#inFlight++;
    if (this.#chunk === 1) {
      try {
        this.#slots.push(this.#submitter.submit(this.#toArgs === undefined ? [args] : (args as unknown[]), this.#signal));
      } catch (error) {
        this.#inFlight--;
        this.#failAt(error);
      }
      return;
    }
    this.#calls.push(args);
    if (this.#calls.length >= this.#chunk) this.#submitCalls();
  }

  /** Submits the chunk being filled, if any. */
  #submitCalls(): void {
    const calls = this.#calls;
    if (calls.length === 0 || this.#stopped) return;
    this.#calls = [];
    try {
      const submitChunk = this.#submitter.submitChunk as NonNullable<MapSubmitter['submitChunk']>;
      this.#slots.push(new ChunkSlot(submitChunk(calls, this.#signal, this.#toArgs === undefined), calls.length));
    } catch (error) {
      this.#inFlight -= calls.length;
      this.#failAt(error);
    }
  }

  /** Shutdown, a broken executor or a bad item: the error surfaces at this position, in order, and reading stops. */
  #failAt(error: unknown): void {
    this.#slots.push(new SlotError(error));
    this.#closeInput();
  }

  #inputFailed(error: unknown): void {
    this.#submitCalls();
    this.#slots.push(new SlotError(error));
    this.#inputDone = true;
  }

  #onAbort = (): void => {
    this.#dropRun();
    this.#notify();
  };

  /** Leaves the fast path (the run ended, or the map stops): the next call goes through the checks again. */
  #dropRun(): void {
    const slot = this.#runSlot;
    if (slot === undefined) return;
    this.#runSlot = undefined;
    this.#runValues = [];
    if (slot.taken === slot.size) this.#advance();
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#dropRun();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (let i = this.#head; i < this.#slots.length; i++) {
      const slot = this.#slots[i];
      if (slot instanceof ChunkSlot) slot.future.cancel();
      else if (slot !== undefined && !(slot instanceof SlotError)) slot.cancel();
    }
    this.#slots.length = 0;
    this.#head = 0;
    this.#calls = [];
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

// The shapes of map's hot path outlive every map (see shapes.ts): an empty map over nothing.
const nothingToSubmit = (): never => {
  throw new Error('nothing is submitted through this map');
};
keepShape(new ChunkSlot(new Future(), 0));
keepShape(new ChunkResults(0));
keepShape(new MapIterator({ submit: nothingToSubmit, submitChunk: undefined, waitForRoom: () => undefined }, [], undefined, undefined, 'map'));
