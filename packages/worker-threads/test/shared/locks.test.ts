/** Lock, Semaphore, BoundedSemaphore, Event and the waits under them, on one thread (see threads.test.ts for workers). */

import { describe, expect, test } from 'vitest';
import {
  AcquireTimeoutError,
  BoundedSemaphore,
  Event,
  Lock,
  LockNotHeldError,
  Semaphore,
  SemaphoreOverReleasedError,
  SharedStateError,
  isSharedStateError,
} from '../../src/shared/index.js';
import { waitAsync, waitByPolling, waitSync } from '../../src/shared/atomics-wait.js';

describe('Lock on one thread', () => {
  test('acquire, locked, release', async () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    expect(await lock.acquire()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(await lock.acquire({ timeout: 0 })).toBe(false);
    expect(lock.acquireSync({ timeout: 0 })).toBe(false);
    lock.release();
    expect(lock.locked()).toBe(false);
    expect(lock.acquireSync()).toBe(true);
    lock.release();
  });

  test('release of an unlocked lock throws LockNotHeldError', () => {
    const lock = new Lock();
    let caught: unknown;
    try {
      lock.release();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LockNotHeldError);
    expect(caught).toBeInstanceOf(SharedStateError);
    expect(caught).toMatchObject({ name: 'LockNotHeldError', code: 'ERR_LOCK_NOT_HELD', message: 'release() called on an unlocked Lock' });
    expect(isSharedStateError(caught, 'ERR_LOCK_NOT_HELD')).toBe(true);
    expect(isSharedStateError(new Error('x'))).toBe(false);
  });

  test('acquire and acquireSync give up after the timeout', async () => {
    const lock = new Lock();
    lock.acquireSync();
    let started = performance.now();
    expect(await lock.acquire({ timeout: 30 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    started = performance.now();
    expect(lock.acquireSync({ timeout: 30 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(lock.locked()).toBe(true);
  });

  test('an async waiter gets the lock when it is released', async () => {
    const lock = new Lock();
    await lock.acquire();
    const waiting = lock.acquire({ timeout: 2000 });
    setTimeout(() => lock.release(), 10);
    expect(await waiting).toBe(true);
    expect(lock.locked()).toBe(true);
  });

  test('abort rejects with the reason, acquires nothing, and loses no wake-up', async () => {
    const lock = new Lock();
    await lock.acquire();
    const controller = new AbortController();
    const aborted = lock.acquire({ signal: controller.signal });
    const other = lock.acquire({ timeout: 2000 });
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    lock.release(); // the first (aborted) waiter in line passes this wake-up on
    expect(await other).toBe(true);
    await expect(lock.acquire({ signal: AbortSignal.abort('now') })).rejects.toBe('now');
  });

  test('hold() and holdSync() release at the end of a `using` scope', async () => {
    const lock = new Lock();
    {
      using _guard = await lock.hold();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    {
      using guard = lock.holdSync();
      guard.release();
      expect(lock.locked()).toBe(false);
    } // the dispose after an explicit release does nothing (no LockNotHeldError)
    expect(lock.locked()).toBe(false);
  });

  test('hold() rejects with AcquireTimeoutError when the timeout passes', async () => {
    const lock = new Lock();
    lock.acquireSync();
    await expect(lock.hold({ timeout: 10 })).rejects.toMatchObject({
      name: 'AcquireTimeoutError',
      code: 'ERR_ACQUIRE_TIMEOUT',
      message: 'Lock.hold: could not acquire the Lock within 10ms',
    });
    expect(() => lock.holdSync({ timeout: 0 })).toThrow(AcquireTimeoutError);
  });

  test('withLock runs the function holding the lock and releases even when it throws', async () => {
    const lock = new Lock();
    expect(await lock.withLock(() => (lock.locked() ? 'held' : 'free'))).toBe('held');
    await expect(lock.withLock(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lock.locked()).toBe(false);
  });

  test('options are checked with exact messages', async () => {
    const lock = new Lock();
    await expect(lock.acquire({ timeout: -1 })).rejects.toThrow(new RangeError('timeout must be >= 0 milliseconds, got -1'));
    await expect(lock.acquire({ timeout: '5' as never })).rejects.toThrow(new TypeError('timeout must be a number of milliseconds, got "5"'));
    await expect(lock.acquire({ signal: {} as never })).rejects.toThrow(new TypeError('signal must be an AbortSignal, got an object'));
    await expect(lock.acquire({ timout: 5 } as never)).rejects.toThrow(
      new TypeError('Lock.acquire: unknown option "timout"; known options are timeout, signal'),
    );
    expect(() => lock.acquireSync({ signal: AbortSignal.timeout(5) } as never)).toThrow(
      new TypeError('Lock.acquireSync: unknown option "signal"; known options are timeout'),
    );
    expect(() => lock.acquireSync(5 as never)).toThrow(new TypeError('Lock.acquireSync: options must be an object, got 5'));
    expect(lock.locked()).toBe(false);
  });
});

describe('Semaphore on one thread', () => {
  test('counts slots: acquire takes one, release gives back n', async () => {
    const slots = new Semaphore(2);
    expect(slots.value).toBe(2);
    expect(await slots.acquire()).toBe(true);
    expect(slots.acquireSync()).toBe(true);
    expect(slots.value).toBe(0);
    expect(await slots.acquire({ timeout: 0 })).toBe(false);
    expect(slots.acquireSync({ timeout: 10 })).toBe(false);
    slots.release(2);
    expect(slots.value).toBe(2);
    slots.release(); // a plain Semaphore may go above its initial value, as in Python
    expect(slots.value).toBe(3);
    expect(new Semaphore().value).toBe(1);
  });

  test('an async waiter wakes on release; abort takes nothing', async () => {
    const slots = new Semaphore(0);
    const controller = new AbortController();
    const aborted = slots.acquire({ signal: controller.signal });
    const waiting = slots.acquire({ timeout: 2000 });
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    slots.release();
    expect(await waiting).toBe(true);
    expect(slots.value).toBe(0);
  });

  test('BoundedSemaphore refuses a release above its initial value and changes nothing', async () => {
    const slots = new BoundedSemaphore(2);
    expect(slots).toBeInstanceOf(Semaphore);
    await slots.acquire();
    slots.release();
    expect(() => slots.release()).toThrow(SemaphoreOverReleasedError);
    expect(() => slots.release()).toThrow('BoundedSemaphore released too many times: value 2 + 1 would exceed its initial value 2');
    try {
      slots.release();
    } catch (error) {
      expect(error).toMatchObject({ name: 'SemaphoreOverReleasedError', code: 'ERR_SEMAPHORE_OVER_RELEASED' });
    }
    expect(slots.value).toBe(2);
  });

  test('hold() releases at scope end; holdSync times out with a clear error', async () => {
    const slots = new Semaphore(1);
    {
      using _slot = await slots.hold();
      expect(slots.value).toBe(0);
      expect(() => slots.holdSync({ timeout: 0 })).toThrow('Semaphore.holdSync: could not acquire the Semaphore within 0ms');
    }
    expect(slots.value).toBe(1);
    expect(await slots.withLock(() => slots.value)).toBe(0);
  });

  test('arguments are checked with exact messages', () => {
    expect(() => new Semaphore(-1)).toThrow(new RangeError('value must be >= 0, got -1'));
    expect(() => new Semaphore(1.5)).toThrow(new TypeError('value must be an integer, got 1.5'));
    expect(() => new BoundedSemaphore('2' as never)).toThrow(new TypeError('value must be an integer, got "2"'));
    expect(() => new Semaphore().release(0)).toThrow(new RangeError('n must be >= 1, got 0'));
    expect(() => new Semaphore().acquireSync({ timeout: NaN })).toThrow(new TypeError('timeout must be a number of milliseconds, got NaN'));
  });
});

describe('Event on one thread', () => {
  test('set, isSet, clear', async () => {
    const event = new Event();
    expect(event.isSet()).toBe(false);
    event.set();
    expect(event.isSet()).toBe(true);
    expect(await event.wait()).toBe(true);
    expect(event.waitSync()).toBe(true);
    event.clear();
    expect(event.isSet()).toBe(false);
  });

  test('wait and waitSync return false when the timeout passes', async () => {
    const event = new Event();
    const started = performance.now();
    expect(await event.wait({ timeout: 20 })).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(event.waitSync({ timeout: 0 })).toBe(false);
    expect(event.waitSync({ timeout: 10 })).toBe(false);
  });

  test('a set() then clear() while waiting still wakes the waiter with true, as in Python', async () => {
    const event = new Event();
    const waiting = event.wait({ timeout: 2000 });
    event.set();
    event.clear();
    expect(await waiting).toBe(true);
    expect(event.isSet()).toBe(false);
  });

  test('an async wait wakes on set() and rejects on abort', async () => {
    const event = new Event();
    const waiting = event.wait({ timeout: 2000 });
    setTimeout(() => event.set(), 10);
    expect(await waiting).toBe(true);
    event.clear();
    await expect(event.wait({ signal: AbortSignal.timeout(10) })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  test('options are checked', async () => {
    await expect(new Event().wait({ timeout: -5 })).rejects.toThrow(new RangeError('timeout must be >= 0 milliseconds, got -5'));
    expect(() => new Event().waitSync({ timeout: 5, signal: undefined } as never)).toThrow(
      new TypeError('Event.waitSync: unknown option "signal"; known options are timeout'),
    );
  });
});

describe('waiting on a shared cell', () => {
  test('waitSync: not-equal at once, timed-out after the deadline', () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    expect(waitSync(cell, 0, 1, undefined)).toBe('not-equal');
    expect(waitSync(cell, 0, 0, performance.now() + 5)).toBe('timed-out');
    expect(waitSync(cell, 0, 0, performance.now() - 1)).toBe('timed-out');
  });

  test('waitAsync: woken by notify; timed-out; rejects on abort', async () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const woken = waitAsync(cell, 0, 0, performance.now() + 2000, undefined);
    setTimeout(() => {
      Atomics.store(cell, 0, 1);
      Atomics.notify(cell, 0);
    }, 5);
    expect(await woken).toBe('ok');
    expect(await waitAsync(cell, 0, 0, undefined, undefined)).toBe('not-equal');
    expect(await waitAsync(cell, 0, 1, performance.now() + 10, undefined)).toBe('timed-out');
    await expect(waitAsync(cell, 0, 1, undefined, AbortSignal.timeout(5))).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  test('the polling fallback (for runtimes without Atomics.waitAsync) sees changes, deadlines and aborts', async () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const changed = waitByPolling(cell, 0, 0, performance.now() + 2000, undefined);
    setTimeout(() => Atomics.store(cell, 0, 1), 5);
    expect(await changed).toBe('ok');
    expect(await waitByPolling(cell, 0, 1, performance.now() + 10, undefined)).toBe('timed-out');
    await expect(waitByPolling(cell, 0, 1, undefined, AbortSignal.abort('gone'))).rejects.toBe('gone');
    const controller = new AbortController();
    const pending = waitByPolling(cell, 0, 1, undefined, controller.signal);
    controller.abort('later');
    await expect(pending).rejects.toBe('later');
  });
});
