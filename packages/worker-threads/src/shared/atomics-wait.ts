/**
 * Waiting on one `Int32Array` cell of shared memory until another thread changes it and calls
 * `Atomics.notify`: blocking (`Atomics.wait`) or as a promise (`Atomics.waitAsync`, with a
 * polling fallback for runtimes that lack it). Deadlines are `performance.now()` times.
 */

/** How a wait ended: woken (or possibly woken), the cell did not hold `expected`, or time ran out. */
export type WaitOutcome = 'ok' | 'not-equal' | 'timed-out';

type NativeWaitAsync = (
  cell: Int32Array,
  index: number,
  expected: number,
  timeout?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

const nativeWaitAsync = (Atomics as unknown as { waitAsync?: NativeWaitAsync }).waitAsync;

/** How often the polling fallback looks at the cell, in milliseconds. */
const POLL_INTERVAL_MS = 2;

/**
 * Blocks the calling thread while `cell[index] === expected`, until notified or `deadline`.
 * Blocks the event loop too: for workers, or for very short waits.
 */
export function waitSync(cell: Int32Array, index: number, expected: number, deadline: number | undefined): WaitOutcome {
  const remaining = deadline === undefined ? Infinity : deadline - performance.now();
  if (remaining <= 0) return 'timed-out';
  return Atomics.wait(cell, index, expected, remaining);
}

/**
 * Waits without blocking while `cell[index] === expected`, until notified, `deadline` or
 * `signal`'s abort (which rejects with `signal.reason`).
 *
 * A wait given up early (on abort, or on our own timer just before V8's) may still be the one
 * that the next `Atomics.notify(cell, index, 1)` wakes; it then passes the wake-up on, so no
 * wake-up is lost. Every caller loops and re-checks its condition, so an extra wake-up is harmless.
 */
export function waitAsync(
  cell: Int32Array,
  index: number,
  expected: number,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
): Promise<WaitOutcome> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const remaining = deadline === undefined ? Infinity : deadline - performance.now();
  if (remaining <= 0) return Promise.resolve('timed-out');
  if (nativeWaitAsync === undefined) return waitByPolling(cell, index, expected, deadline, signal);
  const started = nativeWaitAsync(cell, index, expected, remaining);
  if (!started.async) return Promise.resolve(started.value);
  return new Promise<WaitOutcome>((resolve, reject) => {
    let settled = false;
    // V8's own timeout does not keep the process alive; this timer does, and ends the wait on time.
    const timer = remaining === Infinity ? undefined : setTimeout(() => finish(() => resolve('timed-out')), remaining);
    const onAbort = (): void => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    function finish(settle: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    started.value.then((outcome) => {
      if (settled) {
        if (outcome === 'ok') Atomics.notify(cell, index, 1);
        return;
      }
      finish(() => resolve(outcome));
    }, reject);
  });
}

/**
 * The fallback when `Atomics.waitAsync` is missing: looks at the cell every few milliseconds.
 * Resolves `'ok'` once the cell no longer holds `expected`. Exported for tests.
 */
export function waitByPolling(
  cell: Int32Array,
  index: number,
  expected: number,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
): Promise<WaitOutcome> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<WaitOutcome>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const check = (): void => {
      const changed = Atomics.load(cell, index) !== expected;
      const remaining = deadline === undefined ? Infinity : deadline - performance.now();
      if (changed || remaining <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve(changed ? 'ok' : 'timed-out');
        return;
      }
      timer = setTimeout(check, Math.min(POLL_INTERVAL_MS, remaining));
    };
    check();
  });
}
