/** `Queue`: Python's `multiprocessing.Queue`, a FIFO of copied items in shared memory, for every thread it is passed to. */

import { deserialize, serialize } from 'node:v8';
import { waitAsync, waitSync } from './atomics-wait.js';
import { SHARED_KEY, adoptBuffer, checkData, reviveWith, type SharedData } from './data.js';
import { QueueClosedError, QueueEmpty, QueueFull, TaskDoneTooOftenError } from './errors.js';
import { TIMED_OUT, lockSync, unlock, withLockAsync } from './mutex.js';
import { CLOSED, COUNT, HEADER_BYTES, MAXSIZE, MUTEX, PREFIX_BYTES, SEQ, UNFINISHED, USED, WAITERS, freeBytes, readFrame, ringOf, writeFrame, type Ring } from './ring.js';
import { asyncWait, checkInteger, checkOptions, expired, formatMs, syncWait, type SharedSyncWaitOptions, type Wait, type SharedWaitOptions } from './validate.js';

/** The plain-data form of a {@link Queue}. */
export type QueueData = SharedData<'Queue'>;

/** Options of {@link Queue}. */
export interface QueueOptions {
  /**
   * The bytes of shared memory for items in the queue, as serialized by `v8.serialize` (plus 4
   * bytes per item). `put` waits while they are used up; an item that could never fit is refused
   * with a `RangeError`.
   * @default 1_048_576 (1 MiB)
   * @example new Queue(0, { capacity: 16 * 1024 * 1024 })
   */
  readonly capacity?: number | undefined;
}

const DEFAULT_CAPACITY = 1024 * 1024;
const MAX_CAPACITY = 0x7fff_ffff - HEADER_BYTES;
/**
 * The internal lock is held for a copy of one item, so a `timeout` shorter than this still
 * waits this long for it: `timeout: 0` then reports the queue's state, not a busy lock.
 */
const MUTEX_GRACE_MS = 100;

/** What one attempt under the internal lock did: done, the queue is closed, or the SEQ to wait on. */
type Attempt<R> = { readonly done: R } | 'closed' | number;

/**
 * A first-in first-out queue in shared memory: put in one thread, get in another. Items are
 * copied with `v8.serialize` (any structured-clone value: objects, arrays, Maps, Dates, typed
 * arrays, errors...; not functions, nor `SharedArrayBuffer`s: pass those as task arguments).
 *
 * `put`/`get` return promises and leave the event loop free; `putSync`/`getSync` block the
 * calling thread and are meant for worker threads. On timeout, `put` throws `QueueFull` and
 * `get` throws `QueueEmpty`, as Python's `queue.Full` / `queue.Empty`. Like `queue.Queue` and
 * `multiprocessing.JoinableQueue`, it counts items not yet done: a consumer calls `taskDone()`
 * after handling an item, and `join()` waits until every item put has been done.
 *
 * @example
 * const results = new Queue<{ url: string; size: number }>(100);
 * // in worker tasks: results.putSync({ url, size });
 * const first = await results.get({ timeout: 5000 });
 */
export class Queue<T = unknown> implements AsyncIterable<T> {
  /** Tags the plain-data form (kept when the queue crosses `postMessage`). */
  readonly [SHARED_KEY] = 'Queue' as const;
  /** The shared memory holding the queue's state and items. */
  readonly buffer: SharedArrayBuffer;
  readonly #ring: Ring;

  /**
   * Creates an empty queue (Python's `Queue(maxsize=0)`).
   * @param maxsize the most items it holds; 0 or `Infinity` for no limit but `capacity`. @default 0
   */
  constructor(maxsize = 0, options?: QueueOptions) {
    const adopted = adoptBuffer();
    if (adopted === undefined) {
      const items = maxsize === Infinity ? 0 : checkInteger('maxsize', maxsize, 0, 0x7fff_ffff);
      const { capacity: bytes } = checkOptions('Queue', options, ['capacity']);
      const capacity = bytes === undefined ? DEFAULT_CAPACITY : checkInteger('capacity', bytes, PREFIX_BYTES + 4, MAX_CAPACITY);
      this.buffer = new SharedArrayBuffer(HEADER_BYTES + capacity);
      this.#ring = ringOf(this.buffer);
      this.#ring.header[MAXSIZE] = items;
    } else {
      this.buffer = adopted;
      this.#ring = ringOf(this.buffer);
    }
  }

  /** The queue whose plain-data form is `data`, sharing its items. Also accepts a `Queue`. */
  static from<T = unknown>(data: QueueData | Queue<T>): Queue<T> {
    const buffer = checkData('Queue.from', data, ['Queue'], HEADER_BYTES + PREFIX_BYTES + 4, false);
    return reviveWith(buffer, () => new Queue<T>());
  }

  /** The most items the queue holds, 0 for no limit. */
  get maxsize(): number {
    return this.#ring.header[MAXSIZE]!;
  }

  /** The bytes of shared memory for items. */
  get capacity(): number {
    return this.#ring.data.length;
  }

  /** True once `close()` was called, in any thread. */
  get closed(): boolean {
    return Atomics.load(this.#ring.header, CLOSED) === 1;
  }

  /** The number of items now (a snapshot: other threads may change it at once). */
  qsize(): number {
    return Atomics.load(this.#ring.header, COUNT);
  }

  /** True if the queue holds no item now (a snapshot). */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /** True if the queue holds `maxsize` items now (a snapshot; always false without `maxsize`). */
  full(): boolean {
    return this.maxsize > 0 && this.qsize() >= this.maxsize;
  }

  /**
   * Adds `item` at the back, waiting without blocking the event loop while the queue is full.
   * Rejects with `QueueFull` when `timeout` ms pass first (`timeout: 0`: at once), with
   * `QueueClosedError` after `close()`, with `signal.reason` on abort (nothing is added), and
   * with a `RangeError` for an item larger than the capacity.
   */
  async put(item: T, options?: SharedWaitOptions): Promise<void> {
    const wait = asyncWait('Queue.put', options);
    const payload = this.#encode('put', item);
    wait.signal?.throwIfAborted();
    for (;;) {
      const attempt = await withLockAsync(this.#ring.header, MUTEX, mutexDeadline(wait), wait.signal, () => this.#attempt(() => this.#tryPut(payload)));
      if (attempt === TIMED_OUT) throw this.#full('put', wait, payload);
      if (typeof attempt === 'object') return;
      this.#checkWait('put', attempt, wait, payload);
      await this.#waiting(attempt, wait);
    }
  }

  /**
   * Adds `item` at the back, **blocking the calling thread** while the queue is full: meant for
   * worker threads. Throws as {@link put} does.
   */
  putSync(item: T, options?: SharedSyncWaitOptions): void {
    const wait = syncWait('Queue.putSync', options);
    const payload = this.#encode('putSync', item);
    for (;;) {
      if (!lockSync(this.#ring.header, MUTEX, mutexDeadline(wait))) throw this.#full('putSync', wait, payload);
      const attempt = this.#attempt(() => this.#tryPut(payload));
      if (typeof attempt === 'object') return;
      this.#checkWait('putSync', attempt, wait, payload);
      this.#waitingSync(attempt, wait.deadline);
    }
  }

  /** Adds `item` if there is room now, else throws `QueueFull` (Python's `put_nowait`). */
  putNowait(item: T): void {
    this.putSync(item, { timeout: 0 });
  }

  /**
   * Removes and returns the front item, waiting without blocking the event loop while the
   * queue is empty. Rejects with `QueueEmpty` when `timeout` ms pass first (`timeout: 0`: at
   * once), with `QueueClosedError` when the queue is closed and drained, and with
   * `signal.reason` on abort (nothing is removed).
   */
  async get(options?: SharedWaitOptions): Promise<T> {
    const wait = asyncWait('Queue.get', options);
    wait.signal?.throwIfAborted();
    for (;;) {
      const attempt = await withLockAsync(this.#ring.header, MUTEX, mutexDeadline(wait), wait.signal, () => this.#attempt(() => this.#tryGet()));
      if (attempt === TIMED_OUT) throw this.#empty('get', wait);
      if (typeof attempt === 'object') return deserialize(attempt.done) as T;
      this.#checkWait('get', attempt, wait);
      await this.#waiting(attempt, wait);
    }
  }

  /**
   * Removes and returns the front item, **blocking the calling thread** while the queue is
   * empty: meant for worker threads. Throws as {@link get} does.
   */
  getSync(options?: SharedSyncWaitOptions): T {
    const wait = syncWait('Queue.getSync', options);
    for (;;) {
      if (!lockSync(this.#ring.header, MUTEX, mutexDeadline(wait))) throw this.#empty('getSync', wait);
      const attempt = this.#attempt(() => this.#tryGet());
      if (typeof attempt === 'object') return deserialize(attempt.done) as T;
      this.#checkWait('getSync', attempt, wait);
      this.#waitingSync(attempt, wait.deadline);
    }
  }

  /** Removes and returns the front item if there is one now, else throws `QueueEmpty` (Python's `get_nowait`). */
  getNowait(): T {
    return this.getSync({ timeout: 0 });
  }

  /**
   * Marks the queue closed, in every thread: `put` then throws `QueueClosedError`, and `get`
   * returns the items left, then throws `QueueClosedError` instead of waiting. Waiters wake.
   */
  close(): void {
    const { header } = this.#ring;
    Atomics.store(header, CLOSED, 1);
    Atomics.add(header, SEQ, 1);
    Atomics.notify(header, SEQ);
  }

  /**
   * Marks one item taken from the queue as handled (Python's `task_done()`): when every item
   * put so far has been marked, `join()` returns. Throws `TaskDoneTooOftenError` when called
   * more times than items were put.
   */
  taskDone(): void {
    const { header } = this.#ring;
    for (;;) {
      const left = Atomics.load(header, UNFINISHED);
      if (left <= 0) throw new TaskDoneTooOftenError('Queue.taskDone: called more times than items were put');
      if (Atomics.compareExchange(header, UNFINISHED, left, left - 1) !== left) continue;
      if (left === 1) Atomics.notify(header, UNFINISHED);
      return;
    }
  }

  /** Items put and not yet marked with `taskDone()` (a snapshot). */
  unfinishedTasks(): number {
    return Atomics.load(this.#ring.header, UNFINISHED);
  }

  /**
   * Waits, without blocking the event loop, until every item put has been marked with
   * `taskDone()` (Python's `join()`). Resolves `true` then, or `false` when `timeout` ms pass
   * first; rejects with `signal.reason` on abort.
   *
   * @example
   * for (const url of urls) await jobs.put(url);
   * await jobs.join();   // every url handled by the workers
   */
  async join(options?: SharedWaitOptions): Promise<boolean> {
    const wait = asyncWait('Queue.join', options);
    wait.signal?.throwIfAborted();
    for (;;) {
      const left = Atomics.load(this.#ring.header, UNFINISHED);
      if (left <= 0) return true;
      if (expired(wait.deadline)) return false;
      await waitAsync(this.#ring.header, UNFINISHED, left, wait.deadline, wait.signal);
    }
  }

  /** {@link join}, **blocking the calling thread**: meant for worker threads. Returns `false` on timeout. */
  joinSync(options?: SharedSyncWaitOptions): boolean {
    const wait = syncWait('Queue.joinSync', options);
    for (;;) {
      const left = Atomics.load(this.#ring.header, UNFINISHED);
      if (left <= 0) return true;
      if (expired(wait.deadline)) return false;
      waitSync(this.#ring.header, UNFINISHED, left, wait.deadline);
    }
  }

  /**
   * Gets items until the queue is closed and drained.
   *
   * @example
   * for await (const result of results) console.log(result);   // ends after results.close()
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
      yield item;
    }
  }

  /** The plain-data form, for sending to another thread. */
  toTransferable(): QueueData {
    return { [SHARED_KEY]: 'Queue', buffer: this.buffer };
  }

  #encode(method: string, item: T): Uint8Array {
    let payload: Uint8Array;
    try {
      payload = serialize(item);
    } catch (error) {
      throw new TypeError(`Queue.${method}: the item cannot be copied into shared memory: ${(error as Error).message}`, { cause: error });
    }
    if (PREFIX_BYTES + payload.length > this.capacity) {
      throw new RangeError(`Queue.${method}: the item takes ${payload.length} bytes once serialized, more than this queue can ever hold (capacity ${this.capacity} bytes, ${PREFIX_BYTES} of them per item); raise the capacity option`);
    }
    return payload;
  }

  /** Runs `attempt` holding the internal lock (already taken); wakes waiters if it changed the queue. */
  #attempt<R>(attempt: () => Attempt<R>): Attempt<R> {
    let outcome: Attempt<R>;
    try {
      outcome = attempt();
    } finally {
      unlock(this.#ring.header, MUTEX);
    }
    if (typeof outcome === 'object' && Atomics.load(this.#ring.header, WAITERS) > 0) Atomics.notify(this.#ring.header, SEQ);
    return outcome;
  }

  #tryPut(payload: Uint8Array): Attempt<true> {
    const { header } = this.#ring;
    if (header[CLOSED] === 1) return 'closed';
    const maxsize = header[MAXSIZE]!;
    if ((maxsize > 0 && header[COUNT]! >= maxsize) || freeBytes(this.#ring) < PREFIX_BYTES + payload.length) return header[SEQ]!;
    writeFrame(this.#ring, payload);
    Atomics.add(header, UNFINISHED, 1);
    return { done: true };
  }

  #tryGet(): Attempt<Uint8Array> {
    const { header } = this.#ring;
    if (header[COUNT]! > 0) return { done: readFrame(this.#ring) };
    return header[CLOSED] === 1 ? 'closed' : header[SEQ]!;
  }

  /** Throws when the attempt cannot be retried: the queue is closed or the wait has expired. */
  #checkWait(method: string, attempt: 'closed' | number, wait: Wait, payload?: Uint8Array): asserts attempt is number {
    if (attempt === 'closed') {
      throw new QueueClosedError(payload === undefined ? `Queue.${method}: the queue is closed and empty` : `Queue.${method}: the queue is closed`);
    }
    if (expired(wait.deadline)) throw payload === undefined ? this.#empty(method, wait) : this.#full(method, wait, payload);
  }

  /** Waits for the queue to change from `seq`, counted in WAITERS (before waiting, so no change is missed). */
  async #waiting(seq: number, wait: Wait): Promise<void> {
    Atomics.add(this.#ring.header, WAITERS, 1);
    try {
      await waitAsync(this.#ring.header, SEQ, seq, wait.deadline, wait.signal);
    } finally {
      Atomics.sub(this.#ring.header, WAITERS, 1);
    }
  }

  #waitingSync(seq: number, deadline: number | undefined): void {
    Atomics.add(this.#ring.header, WAITERS, 1);
    waitSync(this.#ring.header, SEQ, seq, deadline);
    Atomics.sub(this.#ring.header, WAITERS, 1);
  }

  #full(method: string, wait: Wait, payload: Uint8Array): QueueFull {
    const used = Atomics.load(this.#ring.header, USED);
    const limit = this.maxsize > 0 ? `maxsize ${this.maxsize}` : 'no maxsize';
    return new QueueFull(
      `Queue.${method}: the queue ${stayed('full', wait)} (${plural(this.qsize(), 'item')}, ${limit}; ${used} of ${this.capacity} bytes used, the item needs ${PREFIX_BYTES + payload.length})`,
    );
  }

  #empty(method: string, wait: Wait): QueueEmpty {
    return new QueueEmpty(`Queue.${method}: the queue ${stayed('empty', wait)}`);
  }
}

/** How long to wait for the internal lock: the wait's deadline, but at least {@link MUTEX_GRACE_MS}. */
function mutexDeadline(wait: Wait): number | undefined {
  return wait.deadline === undefined ? undefined : Math.max(wait.deadline, performance.now() + MUTEX_GRACE_MS);
}

/** "is full" for a wait of 0ms, else "stayed full for 50ms". */
function stayed(state: string, wait: Wait): string {
  return wait.timeout ? `stayed ${state} for ${formatMs(wait.timeout)}` : `is ${state}`;
}

/** "1 item", "3 items". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
