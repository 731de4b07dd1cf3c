/** Small helpers for the millisecond timeouts and abort signals that the waits of this package take. */

import { TimeoutError } from './errors.js';

/** Checks an optional `signal` option. */
export function checkSignal(value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw new TypeError(`${name} must be an AbortSignal, got ${describe(value)}`);
  return value;
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') {
    const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
    return ctor && ctor !== 'Object' ? `an instance of ${ctor}` : 'an object';
  }
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/** Formats a duration in milliseconds for messages: `50ms`, `1.5s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(3))}s`;
}

/**
 * Runs `onTimeout` after `ms` unless cancelled; a timer that never keeps the process alive
 * longer than the wait it belongs to. Returns a function that clears it.
 */
export function startTimer(ms: number | undefined, onTimeout: () => void): () => void {
  if (ms === undefined) return noop;
  const timer = setTimeout(onTimeout, ms);
  return () => clearTimeout(timer);
}

/** Subscribes to `signal`'s abort; returns the unsubscribe function. */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (signal === undefined) return noop;
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** A `TimeoutError` for a wait of `ms` milliseconds over `what`. */
export function waitTimedOut(what: string, ms: number, cause?: unknown): TimeoutError {
  return new TimeoutError(`${what} did not complete within ${formatMs(ms)}`, cause === undefined ? undefined : { cause });
}

/** Does nothing; shared so that unused cleanups allocate nothing. */
export function noop(): void {}
