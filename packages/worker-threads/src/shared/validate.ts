/**
 * Option checks and message helpers shared by the primitives. Errors name the method and the
 * option, with the value received, in the wording of `@futures/core`'s option checks.
 */

import { describeValue as describe, durationOption, formatMs, optionsObject, rejectUnknownOptions } from '@futures/core';

/** Re-exported for the primitives: one wording of values and durations in every message. */
export { describe, formatMs };

/** Options of the waits that may block the event loop's thread (the `...Sync` methods). */
export interface SharedSyncWaitOptions {
  /**
   * The most to wait, in milliseconds. `0` tries once without waiting.
   * @default undefined (wait as long as it takes)
   * @example lock.acquireSync({ timeout: 100 })
   */
  readonly timeout?: number | undefined;
}

/** Options of the waits that return a promise and leave the event loop free. */
export interface SharedWaitOptions extends SharedSyncWaitOptions {
  /**
   * Stops waiting when aborted: the promise rejects with `signal.reason`, and nothing is
   * acquired, taken or put.
   * @example await lock.acquire({ signal: AbortSignal.timeout(1000) })
   */
  readonly signal?: AbortSignal | undefined;
}

/** A checked wait: when it ends (a `performance.now()` time, or undefined for never). */
export interface Wait {
  /** The `timeout` as given (undefined when unlimited), for messages. */
  readonly timeout: number | undefined;
  /** When to give up, on the `performance.now()` clock; undefined for never. */
  readonly deadline: number | undefined;
  /** The abort signal, for the async waits. */
  readonly signal: AbortSignal | undefined;
}

const ASYNC_KEYS = ['timeout', 'signal'] as const;
const SYNC_KEYS = ['timeout'] as const;

/** Checks the options of an async wait named `where` (e.g. `Lock.acquire`). */
export function asyncWait(where: string, options: SharedWaitOptions | undefined): Wait {
  if (options === undefined) return NO_LIMIT;
  const checked = checkOptions(where, options, ASYNC_KEYS);
  const signal = checked.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`signal must be an AbortSignal, got ${describe(signal)}`);
  }
  return makeWait(durationOption('timeout', checked.timeout), signal);
}

/** Checks the options of a blocking wait named `where` (e.g. `Lock.acquireSync`). */
export function syncWait(where: string, options: SharedSyncWaitOptions | undefined): Wait {
  if (options === undefined) return NO_LIMIT;
  const checked = checkOptions(where, options, SYNC_KEYS);
  return makeWait(durationOption('timeout', checked.timeout), undefined);
}

/** Checks that `options` is undefined or an object with only `known` keys (catches typos). */
export function checkOptions<T extends object>(where: string, options: T | undefined, known: readonly string[]): Partial<T> {
  if (options === undefined) return {};
  const checked = optionsObject(where, options);
  rejectUnknownOptions(where, checked, known);
  return checked;
}

const NO_LIMIT: Wait = Object.freeze({ timeout: undefined, deadline: undefined, signal: undefined });

function makeWait(timeout: number | undefined, signal: AbortSignal | undefined): Wait {
  return { timeout, deadline: timeout === undefined ? undefined : performance.now() + timeout, signal };
}

/** True when `deadline` has passed. */
export function expired(deadline: number | undefined): boolean {
  return deadline !== undefined && performance.now() >= deadline;
}

/** Checks a whole number `value` >= `min` for the option or argument `name`. */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min) throw new RangeError(`${name} must be >= ${min}, got ${value}`);
  if (value > max) throw new RangeError(`${name} must be <= ${max}, got ${value}`);
  return value;
}

