/** `Event`: Python's `threading.Event` / `multiprocessing.Event`, a flag shared by every thread it is passed to. */

import { waitAsync, waitSync } from './atomics-wait.js';
import { SHARED_KEY, adoptBuffer, checkData, reviveWith, type SharedData } from './data.js';
import { asyncWait, syncWait, type SharedSyncWaitOptions, type SharedWaitOptions } from './validate.js';

/** The plain-data form of an {@link Event}. */
export type EventData = SharedData<'Event'>;

// Layout: the flag, and how many times set() was called (waiters wait on it, so a set() then a
// quick clear() still wakes them with true, as in Python).
const FLAG = 0;
const SETS = 1;
const BYTES = 2 * Int32Array.BYTES_PER_ELEMENT;

/**
 * A flag in shared memory that threads wait on: `set()` wakes every waiter, in any thread;
 * `clear()` resets it. Starts cleared.
 *
 * @example
 * const go = new Event();
 * // in worker tasks: go.waitSync({ timeout: 5000 });
 * go.set(); // main thread: every waiting worker wakes
 */
export class Event {
  /** Tags the plain-data form (kept when the event crosses `postMessage`). */
  readonly [SHARED_KEY] = 'Event' as const;
  /** The shared memory holding the flag (8 bytes). */
  readonly buffer: SharedArrayBuffer;
  readonly #cell: Int32Array;

  /** Creates a cleared event. */
  constructor() {
    this.buffer = adoptBuffer() ?? new SharedArrayBuffer(BYTES);
    this.#cell = new Int32Array(this.buffer);
  }

  /** The event whose plain-data form is `data`, sharing its flag. Also accepts an `Event`. */
  static from(data: EventData | Event): Event {
    return reviveWith(checkData('Event.from', data, ['Event'], BYTES), () => new Event());
  }

  /** True while the flag is set. */
  isSet(): boolean {
    return Atomics.load(this.#cell, FLAG) === 1;
  }

  /** Sets the flag and wakes every thread waiting on it. */
  set(): void {
    Atomics.store(this.#cell, FLAG, 1);
    Atomics.add(this.#cell, SETS, 1);
    Atomics.notify(this.#cell, SETS);
  }

  /** Clears the flag: later waits wait until the next `set()`. */
  clear(): void {
    Atomics.store(this.#cell, FLAG, 0);
  }

  /**
   * Waits, without blocking the event loop, until the flag is set. Resolves true once set (at
   * once if already set, and also when it was set then cleared again meanwhile), false if
   * `timeout` ms pass first. Rejects with `signal.reason` on abort.
   */
  async wait(options?: SharedWaitOptions): Promise<boolean> {
    const { deadline, signal } = asyncWait('Event.wait', options);
    signal?.throwIfAborted();
    const sets = Atomics.load(this.#cell, SETS);
    while (!this.isSet()) {
      if (Atomics.load(this.#cell, SETS) !== sets) return true;
      if ((await waitAsync(this.#cell, SETS, sets, deadline, signal)) === 'timed-out') return this.isSet();
    }
    return true;
  }

  /**
   * Waits, **blocking the calling thread** (`Atomics.wait`), until the flag is set: meant for
   * worker threads. True once set (or set then cleared meanwhile), false if `timeout` ms pass first.
   */
  waitSync(options?: SharedSyncWaitOptions): boolean {
    const { deadline } = syncWait('Event.waitSync', options);
    const sets = Atomics.load(this.#cell, SETS);
    while (!this.isSet()) {
      if (Atomics.load(this.#cell, SETS) !== sets) return true;
      if (waitSync(this.#cell, SETS, sets, deadline) === 'timed-out') return this.isSet();
    }
    return true;
  }

  /** The plain-data form, for sending to another thread. */
  toTransferable(): EventData {
    return { [SHARED_KEY]: 'Event', buffer: this.buffer };
  }
}
