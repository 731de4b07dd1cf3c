/**
 * Validation of executor options, shared by every backend so that the same mistake gets the
 * same message everywhere. Each check throws a `TypeError` (wrong type) or `RangeError`
 * (out of range) that names the option and the value received.
 */

import { describe } from './timing.js';

/** A whole number >= `min` (default 1), or the `fallback` when `value` is undefined. */
export function integerOption(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min) throw new RangeError(`${name} must be >= ${min}, got ${value}`);
  return value;
}

/** Like {@link integerOption}, but `Infinity` is allowed (meaning "no limit"). */
export function limitOption(name: string, value: unknown, fallback: number, min = 1): number {
  if (value === Infinity) return Infinity;
  return integerOption(name, value, fallback, min);
}

/** A number of milliseconds >= 0, `Infinity`, or undefined (no limit). */
export function durationOption(name: string, value: unknown): number | undefined {
  if (value === undefined || value === Infinity) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of milliseconds, got ${describe(value)}`);
  }
  if (value < 0) throw new RangeError(`${name} must be >= 0 milliseconds, got ${value}`);
  return value;
}

/** Throws a `TypeError` naming every key of `options` that is not in `known` (catches typos). */
export function rejectUnknownOptions(where: string, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(`${where}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; known options are ${known.join(', ')}`);
  }
}

/** Checks that `options` is undefined or a plain object. */
export function optionsObject<T extends object>(where: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  return options;
}
