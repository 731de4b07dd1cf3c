/**
 * A mutex in one `Int32Array` cell (Drepper's "futex" mutex): 0 unlocked, 1 locked, 2 locked
 * with possible waiters. Taking a free lock costs one compare-and-swap; `Atomics.notify` runs
 * only when someone may be waiting. Used by `Lock` and by the `Queue`'s internal lock.
 */

import { waitAsync, waitSync } from './atomics-wait.js';
import { expired } from './validate.js';

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

/** Takes the lock if it is free; never waits. */
export function tryLock(cell: Int32Array, index: number): boolean {
  return Atomics.compareExchange(cell, index, UNLOCKED, LOCKED) === UNLOCKED;
}

/** Takes the lock, blocking the thread until it is free or `deadline` passes (then false). */
export function lockSync(cell: Int32Array, index: number, deadline: number | undefined): boolean {
  if (tryLock(cell, index)) return true;
  if (expired(deadline)) return false;
  for (;;) {
    if (Atomics.exchange(cell, index, CONTENDED) === UNLOCKED) return true;
    if (waitSync(cell, index, CONTENDED, deadline) === 'timed-out') return false;
  }
}

/** Takes the lock without blocking the event loop; false when `deadline` passes first. */
export async function lockAsync(
  cell: Int32Array,
  index: number,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  signal?.throwIfAborted();
  if (tryLock(cell, index)) return true;
  if (expired(deadline)) return false;
  for (;;) {
    if (Atomics.exchange(cell, index, CONTENDED) === UNLOCKED) return true;
    if ((await waitAsync(cell, index, CONTENDED, deadline, signal)) === 'timed-out') return false;
  }
}

/** Returned by {@link withLockAsync} when the deadline passed before the lock was free. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Takes the lock without blocking the event loop and runs `critical` **in the same job** as the
 * acquisition (no `await` in between, so code of this thread never finds the lock taken by a
 * paused holder); `critical` must unlock. Resolves `TIMED_OUT` when `deadline` passes first.
 */
export async function withLockAsync<R>(
  cell: Int32Array,
  index: number,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
  critical: () => R,
): Promise<R | typeof TIMED_OUT> {
  signal?.throwIfAborted();
  if (tryLock(cell, index)) return critical();
  if (expired(deadline)) return TIMED_OUT;
  for (;;) {
    if (Atomics.exchange(cell, index, CONTENDED) === UNLOCKED) return critical();
    if ((await waitAsync(cell, index, CONTENDED, deadline, signal)) === 'timed-out') return TIMED_OUT;
  }
}

/** Frees the lock and wakes one waiter if there may be one. False if it was not locked. */
export function unlock(cell: Int32Array, index: number): boolean {
  const previous = Atomics.exchange(cell, index, UNLOCKED);
  if (previous === CONTENDED) Atomics.notify(cell, index, 1);
  return previous !== UNLOCKED;
}

/** True while the lock is taken. */
export function isLocked(cell: Int32Array, index: number): boolean {
  return Atomics.load(cell, index) !== UNLOCKED;
}
