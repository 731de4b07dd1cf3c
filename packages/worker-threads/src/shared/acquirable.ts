/**
 * What `Lock` and the semaphores share: `hold()` / `holdSync()` return a disposable guard, so
 * `using _guard = await lock.hold()` releases at the end of the scope, and `withLock(fn)` runs
 * a function while holding.
 */

import { SHARED_KEY, type SharedKind } from './data.js';
import { AcquireTimeoutError } from './errors.js';
import { formatMs, type SharedSyncWaitOptions, type SharedWaitOptions } from './validate.js';

/** A held lock or semaphore slot; disposing it (or calling `release`) releases once. */
export interface Held extends Disposable {
  /** Releases now; later calls and the dispose at scope end do nothing. */
  release(): void;
}

/** Base class of the primitives that are acquired and released. */
export abstract class Acquirable {
  /** The kind of primitive, also the tag of its plain-data form. */
  abstract readonly [SHARED_KEY]: SharedKind;

  /** Waits without blocking the event loop; resolves true once acquired, false on timeout. */
  abstract acquire(options?: SharedWaitOptions): Promise<boolean>;

  /** Blocks the thread (and its event loop) until acquired; false on timeout. */
  abstract acquireSync(options?: SharedSyncWaitOptions): boolean;

  /** Releases once. */
  abstract release(): void;

  /**
   * Acquires (as {@link acquire}) and returns a guard that releases when disposed. Rejects
   * with `AcquireTimeoutError` when `timeout` passes first.
   *
   * @example
   * {
   *   using _guard = await lock.hold();
   *   counter.value += 1;
   * } // released here, even if the block throws
   */
  async hold(options?: SharedWaitOptions): Promise<Held> {
    if (!(await this.acquire(options))) throw this.#timedOut('hold', options?.timeout ?? 0);
    return new Guard(this);
  }

  /**
   * Acquires (as {@link acquireSync}, blocking the thread) and returns a guard that releases
   * when disposed. Throws `AcquireTimeoutError` when `timeout` passes first.
   *
   * @example
   * using _guard = counter.getLock().holdSync();
   * counter.value += 1;
   */
  holdSync(options?: SharedSyncWaitOptions): Held {
    if (!this.acquireSync(options)) throw this.#timedOut('holdSync', options?.timeout ?? 0);
    return new Guard(this);
  }

  /**
   * Runs `fn` while holding, and releases when it settles (Python's `with lock:`). Rejects
   * with `AcquireTimeoutError` if not acquired within `timeout`; otherwise settles like `fn`.
   *
   * @example
   * await lock.withLock(async () => { await appendLine(file, text); });
   */
  async withLock<T>(fn: () => T | PromiseLike<T>, options?: SharedWaitOptions): Promise<Awaited<T>> {
    const held = await this.hold(options);
    try {
      return await fn();
    } finally {
      held.release();
    }
  }

  #timedOut(method: string, timeout: number): AcquireTimeoutError {
    const kind = this[SHARED_KEY];
    return new AcquireTimeoutError(`${kind}.${method}: could not acquire the ${kind} within ${formatMs(timeout)}`);
  }
}

class Guard implements Held {
  #owner: Acquirable | undefined;

  constructor(owner: Acquirable) {
    this.#owner = owner;
  }

  release(): void {
    const owner = this.#owner;
    this.#owner = undefined;
    owner?.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
