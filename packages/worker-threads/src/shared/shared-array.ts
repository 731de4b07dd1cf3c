/** `SharedArray`: Python's `multiprocessing.Array`, a fixed-length array of numbers in shared memory. */

import { SHARED_KEY, adoptBuffer, checkData, reviveWith } from './data.js';
import type { Lock, LockData } from './lock.js';
import { atomics, checkElement, requireInteger, typeInfo, type AnyTypedArray, type ElementInput, type ElementOf, type TypeCode, type TypeInfo, type TypedArrayOf } from './types.js';
import { checkInteger, describe } from './validate.js';
import { makeLock, reviveLock, type SharedValueOptions } from './value.js';

/** The plain-data form of a {@link SharedArray}. */
export interface SharedArrayData<T extends TypeCode = TypeCode> {
  /** Marks the object as a `SharedArray`. */
  readonly [SHARED_KEY]: 'SharedArray';
  /** The element type. */
  readonly type: T;
  /** The shared memory holding the elements. */
  readonly buffer: SharedArrayBuffer;
  /** The built-in lock, or null when created with `lock: false`. */
  readonly lock: LockData | Lock | null;
}

/** The most elements a `SharedArray` may have. */
const MAX_LENGTH = 2 ** 30;

/**
 * A fixed-length array of numbers in shared memory: every copy passed to a worker sees the
 * same elements. Element reads and writes are atomic for integer types; hold `getLock()`
 * around read-modify-write sequences, or use the atomic `add(index, delta)`.
 *
 * @example
 * const squares = new SharedArray('d', 10);        // ten zeros
 * const primes = new SharedArray('i', [2, 3, 5, 7]);
 * // in worker tasks: squares.set(i, i * i);
 * console.log(squares.toArray());
 */
export class SharedArray<T extends TypeCode = TypeCode> implements Iterable<ElementOf<T>> {
  /** Tags the plain-data form (kept when the array crosses `postMessage`). */
  readonly [SHARED_KEY] = 'SharedArray' as const;
  /** The element type, as given. */
  readonly type: T;
  /** The shared memory holding the elements. */
  readonly buffer: SharedArrayBuffer;
  /** The built-in lock (see {@link getLock}), or null when created with `lock: false`. */
  readonly lock: Lock | null;
  readonly #info: TypeInfo;
  readonly #view: AnyTypedArray;

  /**
   * Creates a shared array (Python's `Array(typecode, size_or_initializer, lock=True)`).
   * @param type a type code (`'i'`, `'d'`, ...) or long name (`'int32'`, `'float64'`, ...).
   * @param lengthOrValues the length (elements start at 0), or the initial elements.
   */
  constructor(type: T, lengthOrValues: number | Iterable<ElementInput<T>>, options?: SharedValueOptions) {
    const adopted = adoptBuffer();
    this.#info = typeInfo('SharedArray', type);
    this.type = type;
    this.lock = makeLock('SharedArray', options);
    const values = adopted === undefined ? initialValues(this.#info, lengthOrValues) : undefined;
    this.buffer = adopted ?? new SharedArrayBuffer(this.#info.View.BYTES_PER_ELEMENT * (typeof values === 'number' ? values : (values?.length ?? 0)));
    this.#view = new this.#info.View(this.buffer);
    if (Array.isArray(values)) values.forEach((value, index) => (this.#view[index] = value as never));
  }

  /** The array whose plain-data form is `data`, sharing its elements and lock. Also accepts a `SharedArray`. */
  static from<T extends TypeCode>(data: SharedArrayData<T> | SharedArray<T>): SharedArray<T> {
    checkData('SharedArray.from', data, ['SharedArray'], 0, false);
    const type = typeInfo('SharedArray.from', data.type);
    const buffer = data.buffer;
    if (buffer.byteLength % type.View.BYTES_PER_ELEMENT !== 0) {
      throw new RangeError(`SharedArray.from: data.buffer must hold a whole number of ${type.name} elements, got ${buffer.byteLength} bytes`);
    }
    const lock = reviveLock('SharedArray.from', data.lock);
    return reviveWith(buffer, () => new SharedArray<T>(data.type, 0, { lock: lock ?? false }));
  }

  /** The number of elements. */
  get length(): number {
    return this.#view.length;
  }

  /**
   * The typed array over the shared memory (e.g. an `Int32Array` for `'i'`): writes through
   * it are seen by every thread. Use `Atomics` on it for integer types.
   */
  get typed(): TypedArrayOf<T> {
    return this.#view as TypedArrayOf<T>;
  }

  /** The element at `index`; a negative index counts from the end, as in Python. */
  get(index: number): ElementOf<T> {
    const at = this.#index('get', index);
    return (this.#info.integer ? atomics.load(this.#view, at) : this.#view[at]) as ElementOf<T>;
  }

  /** Stores `value` at `index`; a negative index counts from the end, as in Python. */
  set(index: number, value: ElementInput<T>): void {
    const at = this.#index('set', index);
    const checked = checkElement('SharedArray.set', this.#info, value);
    if (this.#info.integer) atomics.store(this.#view, at, checked);
    else this.#view[at] = checked as never;
  }

  /** Atomically adds `delta` to the element at `index`; returns its previous value. Integer types only. */
  add(index: number, delta: ElementInput<T>): ElementOf<T> {
    return this.#atomic('add', index, delta);
  }

  /** Atomically subtracts `delta` from the element at `index`; returns its previous value. Integer types only. */
  sub(index: number, delta: ElementInput<T>): ElementOf<T> {
    return this.#atomic('sub', index, delta);
  }

  /** Atomically stores `value` at `index`; returns the previous value. Integer types only. */
  exchange(index: number, value: ElementInput<T>): ElementOf<T> {
    return this.#atomic('exchange', index, value);
  }

  /** Atomically stores `replacement` at `index` if it holds `expected`; returns the previous value. Integer types only. */
  compareExchange(index: number, expected: ElementInput<T>, replacement: ElementInput<T>): ElementOf<T> {
    requireInteger('SharedArray.compareExchange', this.#info);
    const at = this.#index('compareExchange', index);
    const from = checkElement('SharedArray.compareExchange', this.#info, expected);
    const to = checkElement('SharedArray.compareExchange', this.#info, replacement);
    return atomics.compareExchange(this.#view, at, from, to) as ElementOf<T>;
  }

  /** The built-in lock, to hold around read-modify-write sequences (Python's `get_lock()`). */
  getLock(): Lock {
    if (this.lock === null) throw new TypeError('SharedArray.getLock: this SharedArray was created with lock: false, so it has no lock');
    return this.lock;
  }

  /** A copy of the elements as a plain array. */
  toArray(): ElementOf<T>[] {
    return Array.from(this);
  }

  /** Iterates over the elements, first to last. */
  *[Symbol.iterator](): Iterator<ElementOf<T>> {
    for (let index = 0; index < this.#view.length; index++) yield this.get(index);
  }

  /** The plain-data form, for sending to another thread. */
  toTransferable(): SharedArrayData<T> {
    return { [SHARED_KEY]: 'SharedArray', type: this.type, buffer: this.buffer, lock: this.lock?.toTransferable() ?? null };
  }

  #index(method: string, index: number): number {
    const length = this.#view.length;
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new TypeError(`SharedArray.${method}: index must be an integer, got ${describe(index)}`);
    }
    const at = index < 0 ? index + length : index;
    if (at < 0 || at >= length) throw new RangeError(`SharedArray.${method}: index ${index} is out of range for length ${length}`);
    return at;
  }

  #atomic(op: 'add' | 'sub' | 'exchange', index: number, operand: ElementInput<T>): ElementOf<T> {
    requireInteger(`SharedArray.${op}`, this.#info);
    const at = this.#index(op, index);
    return atomics[op](this.#view, at, checkElement(`SharedArray.${op}`, this.#info, operand)) as ElementOf<T>;
  }
}

/** The length, or the checked initial elements, from the constructor's second argument. */
function initialValues(type: TypeInfo, lengthOrValues: unknown): number | (number | bigint)[] {
  if (typeof lengthOrValues === 'number') return checkInteger('length', lengthOrValues, 0, MAX_LENGTH);
  if (typeof lengthOrValues !== 'object' || lengthOrValues === null || !(Symbol.iterator in lengthOrValues)) {
    throw new TypeError(`SharedArray: lengthOrValues must be a length or an iterable of numbers, got ${describe(lengthOrValues)}`);
  }
  const values = Array.from(lengthOrValues as Iterable<unknown>, (value) => checkElement('SharedArray', type, value));
  checkInteger('length', values.length, 0, MAX_LENGTH);
  return values;
}
