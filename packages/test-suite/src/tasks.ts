/**
 * The task module the conformance suite submits, through task references, to every backend.
 * Everything here must work in-process, in worker threads and in child processes: no shared
 * state, only arguments, results, timestamps and the task's `this.signal`.
 */
import type { TaskContext } from '@futures/core';

/** x². */
export function square(x: number): number {
  return x * x;
}

/** a + b. */
export function add(a: number, b: number): number {
  return a + b;
}

/** Returns its argument (for round-trip checks). */
export function identity<T>(value: T): T {
  return value;
}

/** Returns every argument it got, as an array. */
export function echoArgs(...args: unknown[]): unknown[] {
  return args;
}

/** Resolves with `value` after `ms`; rejects with the abort reason if its signal aborts first. */
export function sleep<T = undefined>(this: TaskContext | undefined, ms: number, value?: T): Promise<T | undefined> {
  const signal = this?.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** x² after `ms`; rejects with a RangeError for negative x. */
export async function squareAfter(this: TaskContext | undefined, x: number, ms: number): Promise<number> {
  await sleep.call(this, ms);
  if (x < 0) throw new RangeError(`negative: ${x}`);
  return x * x;
}

/** Wall-clock start and end of a `ms` wait, for checking how many tasks ran at once. */
export async function interval(this: TaskContext | undefined, ms: number): Promise<{ start: number; end: number }> {
  const start = performance.timeOrigin + performance.now();
  await sleep.call(this, ms);
  return { start, end: performance.timeOrigin + performance.now() };
}

/** Waits until the task is aborted (the cooperative way); gives up after `limit` ms. */
export function waitForAbort(this: TaskContext | undefined, limit = 10_000): Promise<'not aborted'> {
  return sleep.call(this, limit, 'not aborted' as const) as Promise<'not aborted'>;
}

/** Keeps the thread busy for `ms` without yielding: only a forced stop ends it early. */
export function spin(ms: number): number {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) n++;
  return n;
}

/** An error class with own fields, as users write them. */
export class SuiteError extends Error {
  readonly code: string;
  readonly details: { readonly attempt: number; readonly tags: readonly string[] };

  constructor(message: string, code: string, details: { attempt: number; tags: string[] }) {
    super(message);
    this.name = 'SuiteError';
    this.code = code;
    this.details = details;
  }
}

/** Which error {@link fail} throws. */
export type FailKind = 'Error' | 'TypeError' | 'RangeError' | 'SuiteError' | 'string' | 'object';

/** Throws (synchronously) the error of `kind` with `message`. */
export function fail(kind: FailKind, message: string): never {
  switch (kind) {
    case 'TypeError':
      throw new TypeError(message);
    case 'RangeError':
      throw new RangeError(message);
    case 'SuiteError':
      throw new SuiteError(message, 'E_SUITE', { attempt: 3, tags: ['a', 'b'] });
    case 'string':
      throw message;
    case 'object':
      throw { reason: message };
    default:
      throw new Error(message);
  }
}

/** Returns `x`, or throws a RangeError naming it when `x === bad`. */
export function failIf(x: number, bad: number): number {
  if (x === bad) throw new RangeError(`item ${x} is bad`);
  return x;
}

/** Rejects after a timer tick with the error of `kind`. */
export async function failLater(kind: FailKind, message: string, ms = 1): Promise<never> {
  await sleep.call(undefined, ms);
  return fail(kind, message);
}

/** Throws an error whose `cause` is another error. */
export function failWithCause(message: string, causeMessage: string): never {
  throw new Error(message, { cause: new RangeError(causeMessage) });
}

/** A value rich in structured-clone types. */
export function richValue(): { map: Map<string, number>; set: Set<number>; date: Date; big: bigint; bytes: Uint8Array; nested: { list: (number | null)[] } } {
  return {
    map: new Map([['a', 1]]),
    set: new Set([1, 2]),
    date: new Date(0),
    big: 2n ** 70n,
    bytes: new Uint8Array([1, 2, 3]),
    nested: { list: [1, null, 3] },
  };
}

/** Describes what arrived as its argument: type tags, so the caller can check copying. */
export function describeArg(value: unknown): string {
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (typeof value === 'bigint') return `bigint(${value})`;
  return typeof value;
}

/** Not a function: a reference to it must fail with a clear error. */
export const notAFunction = 42;
