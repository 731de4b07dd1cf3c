/** `Semaphore` and `BoundedSemaphore`: Python's `threading` / `multiprocessing` semaphores in shared memory. */

import { Acquirable } from './acquirable.js';
import { waitAsync, waitSync } from './atomics-wait.js';
import { SHARED_KEY, adoptBuffer, checkData, reviveWith, type SharedData } from './data.js';
import { SemaphoreOverReleasedError } from './errors.js';
import { asyncWait, checkInteger, expired, syncWait, type SharedSyncWaitOptions, type SharedWaitOptions } from './validate.js';

/** The plain-data form of a {@link Semaphore} or {@link BoundedSemaphore}. */
export type SemaphoreData = SharedData<'Semaphore' | 'BoundedSemaphore'>;

// Layout: the count, how many threads wait on it, and the bound (-1 when unbounded).
const COUNT = 0;
const WAITERS = 1;
const BOUND = 2;
const BYTES = 3 * Int32Array.BYTES_PER_ELEMENT;
const MAX_VALUE = 0x7fff_ffff;

/**
 * A counter of free slots in shared memory: `acquire` takes one (waiting while there are
 * none), `release` gives one back. `new Semaphore(2)` lets at most two holders in at once,
 * across every thread it is passed to.
 *
 * @example
 * const slots = new Semaphore(2);
 * // in a worker task:
 * using _slot = slots.holdSync();
 */
export class Semaphore extends Acquirable {
  /** Tags the plain-data form (kept when the semaphore crosses `postMessage`). */
  readonly [SHARED_KEY]: 'Semaphore' | 'BoundedSemaphore';
  /** The shared memory holding the semaphore's state (12 bytes). */
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /**
   * Creates a semaphore with `value` free slots (Python's `Semaphore(value=1)`).
   * @param value a whole number >= 0. @default 1
   */
  constructor(value = 1) {
    super();
    const adopted = adoptBuffer();
    this.buffer = adopted ?? new SharedArrayBuffer(BYTES);
    this.#cells = new Int32Array(this.buffer);
    if (adopted === undefined) {
      this.#cells[COUNT] = checkInteger('value', value, 0, MAX_VALUE);
      this.#cells[BOUND] = this instanceof BoundedSemaphore ? value : -1;
    }
    this[SHARED_KEY] = this.#cells[BOUND]! >= 0 ? 'BoundedSemaphore' : 'Semaphore';
  }

  /**
   * The semaphore whose plain-data form is `data` (what it becomes after `postMessage`),
   * sharing its state: a `BoundedSemaphore` when the data is one. Also accepts a semaphore.
   */
  static from(data: SemaphoreData | Semaphore): Semaphore {
    const buffer = checkData('Semaphore.from', data, ['Semaphore', 'BoundedSemaphore'], BYTES);
    const bounded = new Int32Array(buffer)[BOUND]! >= 0;
    return reviveWith(buffer, () => (bounded ? new BoundedSemaphore() : new Semaphore()));
  }

  /** The number of free slots now (a snapshot: other threads may change it at once). */
  get value(): number {
    return Atomics.load(this.#cells, COUNT);
  }

  /**
   * Takes a slot without blocking the event loop. Resolves true once taken, false when
   * `timeout` ms pass first (`timeout: 0` tries once); rejects with `signal.reason` on abort.
   */
  async acquire(options?: SharedWaitOptions): Promise<boolean> {
    const { deadline, signal } = asyncWait(`${this[SHARED_KEY]}.acquire`, options);
    signal?.throwIfAborted();
    for (;;) {
      if (this.#tryTake()) return true;
      if (expired(deadline)) return false;
      Atomics.add(this.#cells, WAITERS, 1);
      try {
        if ((await waitAsync(this.#cells, COUNT, 0, deadline, signal)) === 'timed-out') return this.#tryTake();
      } finally {
        Atomics.sub(this.#cells, WAITERS, 1);
      }
    }
  }

  /**
   * Takes a slot, **blocking the calling thread** (`Atomics.wait`) while there is none: meant
   * for worker threads. True once taken, false when `timeout` ms pass first.
   */
  acquireSync(options?: SharedSyncWaitOptions): boolean {
    const { deadline } = syncWait(`${this[SHARED_KEY]}.acquireSync`, options);
    for (;;) {
      if (this.#tryTake()) return true;
      if (expired(deadline)) return false;
      Atomics.add(this.#cells, WAITERS, 1);
      const outcome = waitSync(this.#cells, COUNT, 0, deadline);
      Atomics.sub(this.#cells, WAITERS, 1);
      if (outcome === 'timed-out') return this.#tryTake();
    }
  }

  /**
   * Gives back `n` slots and wakes up to `n` waiters. A `BoundedSemaphore` throws
   * `SemaphoreOverReleasedError` (and changes nothing) if that would exceed its initial value.
   * @param n a whole number >= 1. @default 1
   */
  release(n = 1): void {
    checkInteger('n', n, 1, MAX_VALUE);
    const bound = this.#cells[BOUND]!;
    for (;;) {
      const current = Atomics.load(this.#cells, COUNT);
      const next = current + n;
      if (bound >= 0 && next > bound) {
        throw new SemaphoreOverReleasedError(`BoundedSemaphore released too many times: value ${current} + ${n} would exceed its initial value ${bound}`);
      }
      if (next > MAX_VALUE) throw new RangeError(`Semaphore value would exceed ${MAX_VALUE}`);
      if (Atomics.compareExchange(this.#cells, COUNT, current, next) === current) break;
    }
    if (Atomics.load(this.#cells, WAITERS) > 0) Atomics.notify(this.#cells, COUNT, n);
  }

  /** The plain-data form, for sending to another thread. */
  toTransferable(): SemaphoreData {
    return { [SHARED_KEY]: this[SHARED_KEY], buffer: this.buffer };
  }

  #tryTake(): boolean {
    for (;;) {
      const current = Atomics.load(this.#cells, COUNT);
      if (current <= 0) return false;
      if (Atomics.compareExchange(this.#cells, COUNT, current, current - 1) === current) return true;
    }
  }
}

/**
 * A {@link Semaphore} that refuses to be released above its initial value (Python's
 * `BoundedSemaphore`): a release without a matching acquire throws `SemaphoreOverReleasedError`.
 *
 * @example
 * const pool = new BoundedSemaphore(4);
 */
export class BoundedSemaphore extends Semaphore {
  /**
   * Creates a bounded semaphore with `value` free slots, which is also its maximum.
   * @param value a whole number >= 0. @default 1
   */
  constructor(value = 1) {
    super(value);
  }

  /** The bounded semaphore whose plain-data form is `data`, sharing its state. */
  static override from(data: SemaphoreData | Semaphore): BoundedSemaphore {
    checkData('BoundedSemaphore.from', data, ['BoundedSemaphore'], BYTES);
    return Semaphore.from(data) as BoundedSemaphore;
  }
}
