/** `Value`: Python's `multiprocessing.Value`, one number in shared memory with an optional lock. */

import { SHARED_KEY, adoptBuffer, checkData, reviveWith } from './data.js';
import { Lock, type LockData } from './lock.js';
import { atomics, checkElement, requireInteger, typeInfo, type AnyTypedArray, type ElementInput, type ElementOf, type TypeCode, type TypeInfo } from './types.js';
import { checkOptions, describe } from './validate.js';

/** The plain-data form of a {@link Value}. */
export interface ValueData<T extends TypeCode = TypeCode> {
  /** Marks the object as a shared `Value`. */
  readonly [SHARED_KEY]: 'Value';
  /** The element type. */
  readonly type: T;
  /** The shared memory holding the number. */
  readonly buffer: SharedArrayBuffer;
  /** The built-in lock, or null when created with `lock: false`. */
  readonly lock: LockData | Lock | null;
}

/** Options of {@link Value} and `SharedArray`. */
export interface SharedValueOptions {
  /**
   * The built-in lock returned by `getLock()`: `true` creates one, `false` none, or pass a
   * `Lock` to share one between several values (Python's `lock=` argument).
   * @default true
   * @example new Value('i', 0, { lock: false })
   */
  readonly lock?: boolean | Lock | undefined;
}

/**
 * One number in shared memory: every copy passed to a worker reads and writes the same
 * number. `value` reads and writes are atomic for integer types, but `counter.value += 1` is a
 * read then a write, which other threads can interleave: hold `getLock()` around it, or use
 * the atomic `add`.
 *
 * @example
 * const counter = new Value('i', 0);
 * // in worker tasks:
 * counter.add(1);                                   // atomic, no lock needed
 * { using _g = counter.getLock().holdSync(); counter.value += 1; }  // Python: with counter.get_lock(): ...
 */
export class Value<T extends TypeCode = TypeCode> {
  /** Tags the plain-data form (kept when the value crosses `postMessage`). */
  readonly [SHARED_KEY] = 'Value' as const;
  /** The element type, as given. */
  readonly type: T;
  /** The shared memory holding the number. */
  readonly buffer: SharedArrayBuffer;
  /** The built-in lock (see {@link getLock}), or null when created with `lock: false`. */
  readonly lock: Lock | null;
  readonly #info: TypeInfo;
  readonly #view: AnyTypedArray;

  /**
   * Creates a shared number of type `type` (Python's `Value(typecode, value, lock=True)`).
   * @param type a type code (`'i'`, `'d'`, ...) or long name (`'int32'`, `'float64'`, ...).
   * @param initial the starting value. @default 0
   */
  constructor(type: T, initial?: ElementInput<T>, options?: SharedValueOptions) {
    const adopted = adoptBuffer();
    this.#info = typeInfo('Value', type);
    this.type = type;
    this.lock = makeLock('Value', options);
    this.buffer = adopted ?? new SharedArrayBuffer(this.#info.View.BYTES_PER_ELEMENT);
    this.#view = new this.#info.View(this.buffer);
    if (adopted === undefined && initial !== undefined) this.value = initial;
  }

  /** The value whose plain-data form is `data`, sharing its number and lock. Also accepts a `Value`. */
  static from<T extends TypeCode>(data: ValueData<T> | Value<T>): Value<T> {
    checkData('Value.from', data, ['Value'], 1, false);
    const type = typeInfo('Value.from', data.type);
    const buffer = checkData('Value.from', data, ['Value'], type.View.BYTES_PER_ELEMENT);
    const lock = reviveLock('Value.from', data.lock);
    return reviveWith(buffer, () => new Value<T>(data.type, undefined, { lock: lock ?? false }));
  }

  /** The number now. Atomic for integer types. */
  get value(): ElementOf<T> {
    return (this.#info.integer ? atomics.load(this.#view, 0) : this.#view[0]) as ElementOf<T>;
  }

  /** Stores a number (a `bigint` or safe integer for 64-bit types). Atomic for integer types. */
  set value(value: ElementInput<T>) {
    const checked = checkElement('Value.value', this.#info, value);
    if (this.#info.integer) atomics.store(this.#view, 0, checked);
    else this.#view[0] = checked as number;
  }

  /** The built-in lock, to hold around read-modify-write sequences (Python's `get_lock()`). */
  getLock(): Lock {
    if (this.lock === null) throw new TypeError('Value.getLock: this Value was created with lock: false, so it has no lock');
    return this.lock;
  }

  /** Atomically adds `delta`; returns the previous value. Integer types only. */
  add(delta: ElementInput<T>): ElementOf<T> {
    return this.#atomic('add', delta);
  }

  /** Atomically subtracts `delta`; returns the previous value. Integer types only. */
  sub(delta: ElementInput<T>): ElementOf<T> {
    return this.#atomic('sub', delta);
  }

  /** Atomically stores `value`; returns the previous value. Integer types only. */
  exchange(value: ElementInput<T>): ElementOf<T> {
    return this.#atomic('exchange', value);
  }

  /**
   * Atomically stores `replacement` if the value is `expected`; returns the previous value
   * (equal to `expected` when the swap happened). Integer types only.
   */
  compareExchange(expected: ElementInput<T>, replacement: ElementInput<T>): ElementOf<T> {
    requireInteger('Value.compareExchange', this.#info);
    const from = checkElement('Value.compareExchange', this.#info, expected);
    const to = checkElement('Value.compareExchange', this.#info, replacement);
    return atomics.compareExchange(this.#view, 0, from, to) as ElementOf<T>;
  }

  /** The plain-data form, for sending to another thread. */
  toTransferable(): ValueData<T> {
    return { [SHARED_KEY]: 'Value', type: this.type, buffer: this.buffer, lock: this.lock?.toTransferable() ?? null };
  }

  #atomic(op: 'add' | 'sub' | 'exchange', operand: ElementInput<T>): ElementOf<T> {
    requireInteger(`Value.${op}`, this.#info);
    return atomics[op](this.#view, 0, checkElement(`Value.${op}`, this.#info, operand)) as ElementOf<T>;
  }
}

/** The lock chosen by the `lock` option of `where`. */
export function makeLock(where: string, options: SharedValueOptions | undefined): Lock | null {
  const lock = checkOptions(where, options, ['lock']).lock;
  if (lock === undefined || lock === true) return new Lock();
  if (lock === false) return null;
  if (lock instanceof Lock) return lock;
  throw new TypeError(`${where}: lock must be a boolean or a Lock, got ${describe(lock)}`);
}

/** Revives the `lock` field of a `Value` or `SharedArray`'s plain data. */
export function reviveLock(where: string, lock: unknown): Lock | null {
  if (lock === null || lock === undefined) return null;
  if (lock instanceof Lock) return lock;
  if (typeof lock !== 'object') throw new TypeError(`${where}: data.lock must be null or a Lock's plain data, got ${describe(lock)}`);
  return Lock.from(lock as LockData);
}
