/** Small helpers shared by the core tests (not a test file itself). */

import { Future } from '../src/index.js';
import { kAddListener } from '../src/future.js';

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise the test settles by hand: the way to write controllable tasks without races. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves after every pending microtask has run (one macrotask turn). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type PromiseState = 'pending' | 'fulfilled' | 'rejected';

/**
 * The state of `promise` after the current microtasks have run. Marks a rejection as handled,
 * so a rejected promise observed here does not count as unhandled.
 */
export async function promiseState(promise: PromiseLike<unknown>): Promise<PromiseState> {
  let state: PromiseState = 'pending';
  Promise.resolve(promise).then(
    () => (state = 'fulfilled'),
    () => (state = 'rejected'),
  );
  await macrotask();
  return state;
}

/** Futures in each of the five situations Python's tests use. */
export const make = {
  pending: <T = unknown>(name?: string): Future<T> => new Future<T>(name === undefined ? undefined : { name }),
  running: <T = unknown>(): Future<T> => {
    const future = new Future<T>();
    future.setRunningOrNotifyCancel();
    return future;
  },
  cancelled: <T = unknown>(): Future<T> => {
    const future = new Future<T>();
    future.cancel();
    return future;
  },
  succeeded: <T>(value: T): Future<T> => {
    const future = new Future<T>();
    future.setResult(value);
    return future;
  },
  failed: <T = unknown>(error: unknown = new RangeError('task failed')): Future<T> => {
    const future = new Future<T>();
    future.setException(error);
    return future;
  },
};

/**
 * Counts the internal listeners (`wait`/`asCompleted` subscriptions) that are attached to
 * `future` and not removed yet, so a test can check that nothing is left behind.
 */
export function trackListeners(future: Future<any>): { readonly active: number; readonly added: number } {
  const original = future[kAddListener].bind(future);
  const counts = { active: 0, added: 0 };
  future[kAddListener] = (listener) => {
    counts.added++;
    counts.active++;
    let removed = false;
    const remove = original(listener);
    return () => {
      if (!removed) {
        removed = true;
        counts.active--;
      }
      remove();
    };
  };
  return counts;
}
