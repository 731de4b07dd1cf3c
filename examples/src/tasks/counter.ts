/**
 * The tasks of `shared-counter-threads.ts`, run in worker threads on a counter in shared memory.
 */
import type { Event, Lock, Value } from '@futures/worker-threads';

/** Python's `increment_counter()`: `with counter_lock: counter += 1`. */
export function incrementCounter(counter: Value<'i'>, counterLock: Lock): void {
  using _held = counterLock.holdSync({ timeout: 10_000 }); // `with counter_lock:` (blocks this thread only)
  counter.value += 1; // a read, then a write: another thread must not come in between
}

/** One atomic `Atomics.add`: safe without a lock, but only for a single arithmetic step. */
export function incrementAtomically(counter: Value<'i'>): void {
  counter.add(1);
}

/**
 * `counter += 1` without the lock, as a read then a write, with the unlucky timing forced: after
 * reading, it tells the other thread (`iHaveRead`) and waits until the other thread has read
 * too (`otherHasRead`) before writing. Both read the same number, so one update is lost.
 */
export function incrementUnlocked(counter: Value<'i'>, iHaveRead: Event, otherHasRead: Event): void {
  const seen = counter.value;
  iHaveRead.set();
  if (!otherHasRead.waitSync({ timeout: 10_000 })) throw new Error('the other task never ran at the same time');
  counter.value = seen + 1;
}
