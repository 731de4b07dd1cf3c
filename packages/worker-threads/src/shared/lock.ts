/** `Lock`: Python's `threading.Lock` / `multiprocessing.Lock`, shared by every thread it is passed to. */

import { Acquirable } from './acquirable.js';
import { SHARED_KEY, adoptBuffer, checkData, reviveWith, type SharedData } from './data.js';
import { LockNotHeldError } from './errors.js';
import { isLocked, lockAsync, lockSync, unlock } from './mutex.js';
import { asyncWait, syncWait, type SharedSyncWaitOptions, type SharedWaitOptions } from './validate.js';

/** The plain-data form of a {@link Lock}. */
export type LockData = SharedData<'Lock'>;

const BYTES = Int32Array.BYTES_PER_ELEMENT;

/**
 * A mutual-exclusion lock in shared memory. Pass it to tasks running in worker threads (as an
 * argument, or inside one); every copy is the same lock. Any thread may release it, as in
 * Python. It is not re-entrant: acquiring it twice from one thread waits forever (or times out).
 *
 * @example
 * const lock = new Lock();
 * await lock.withLock(async () => { ... });            // main thread: never blocks the event loop
 * // in a worker task:
 * using _guard = lock.holdSync();                       // blocks this worker until acquired
 */
export class Lock extends Acquirable {
  /** Tags the plain-data form (kept when the lock crosses `postMessage`). */
  readonly [SHARED_KEY] = 'Lock' as const;
  /** The shared memory holding the lock's state (4 bytes). */
  readonly buffer: SharedArrayBuffer;
  readonly #cell: Int32Array;

  /** Creates an unlocked lock. */
  constructor() {
    super();
    this.buffer = adoptBuffer() ?? new SharedArrayBuffer(BYTES);
    this.#cell = new Int32Array(this.buffer);
  }

  /**
   * The lock whose plain-data form is `data` (what a `Lock` becomes after `postMessage`),
   * sharing its state. Also accepts a `Lock`.
   *
   * @example
   * const lock = Lock.from(message.lock);
   */
  static from(data: LockData | Lock): Lock {
    return reviveWith(checkData('Lock.from', data, ['Lock'], BYTES), () => new Lock());
  }

  /**
   * Acquires the lock without blocking the event loop (`Atomics.waitAsync`). Resolves true
   * once acquired, false when `timeout` ms pass first (`timeout: 0` tries once); rejects with
   * `signal.reason` on abort.
   */
  async acquire(options?: SharedWaitOptions): Promise<boolean> {
    const wait = asyncWait('Lock.acquire', options);
    return lockAsync(this.#cell, 0, wait.deadline, wait.signal);
  }

  /**
   * Acquires the lock, **blocking the calling thread** (`Atomics.wait`) until it is free:
   * meant for worker threads. True once acquired, false when `timeout` ms pass first.
   */
  acquireSync(options?: SharedSyncWaitOptions): boolean {
    return lockSync(this.#cell, 0, syncWait('Lock.acquireSync', options).deadline);
  }

  /** Releases the lock and wakes one waiter. Throws `LockNotHeldError` if it is not locked. */
  release(): void {
    if (!unlock(this.#cell, 0)) throw new LockNotHeldError();
  }

  /** True while some thread holds the lock. */
  locked(): boolean {
    return isLocked(this.#cell, 0);
  }

  /** The plain-data form, for sending to another thread. */
  toTransferable(): LockData {
    return { [SHARED_KEY]: 'Lock', buffer: this.buffer };
  }
}
