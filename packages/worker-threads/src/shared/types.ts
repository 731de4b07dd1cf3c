/**
 * Element types of `Value` and `SharedArray`: Python's type codes (`'i'`, `'d'`, ...) or long
 * names (`'int32'`, `'float64'`, ...), the typed array behind each, and value checks.
 */

import { describe } from './validate.js';

/** Type codes (and long names) whose values are JavaScript numbers holding whole numbers. */
export type IntegerTypeCode = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';
/** Type codes (and long names) of 64-bit integers, whose values are `bigint`s. */
export type BigIntTypeCode = 'q' | 'Q' | 'int64' | 'uint64';
/** Type codes (and long names) of floating-point numbers. */
export type FloatTypeCode = 'f' | 'd' | 'float32' | 'float64';
/**
 * An element type: `'b'`/`'B'` int8/uint8, `'h'`/`'H'` int16/uint16, `'i'`/`'I'` int32/uint32,
 * `'q'`/`'Q'` int64/uint64 (bigint), `'f'` float32, `'d'` float64, or the long name.
 */
export type TypeCode = IntegerTypeCode | BigIntTypeCode | FloatTypeCode;

/** The JavaScript type of an element of type `T`: `bigint` for 64-bit integers, else `number`. */
export type ElementOf<T extends TypeCode> = T extends BigIntTypeCode ? bigint : number;

/** What may be stored into an element of type `T`: 64-bit types also take whole numbers. */
export type ElementInput<T extends TypeCode> = T extends BigIntTypeCode ? bigint | number : number;

interface TypedArrayByCode {
  b: Int8Array; int8: Int8Array;
  B: Uint8Array; uint8: Uint8Array;
  h: Int16Array; int16: Int16Array;
  H: Uint16Array; uint16: Uint16Array;
  i: Int32Array; int32: Int32Array;
  I: Uint32Array; uint32: Uint32Array;
  q: BigInt64Array; int64: BigInt64Array;
  Q: BigUint64Array; uint64: BigUint64Array;
  f: Float32Array; float32: Float32Array;
  d: Float64Array; float64: Float64Array;
}

/** The typed array class that views elements of type `T` (e.g. `Int32Array` for `'i'`). */
export type TypedArrayOf<T extends TypeCode> = TypedArrayByCode[T];

/** Any typed array a `Value` or `SharedArray` may use. */
export type AnyTypedArray = TypedArrayByCode[TypeCode];

type TypedArrayClass = new (buffer: SharedArrayBuffer, byteOffset?: number, length?: number) => AnyTypedArray;

/** What the primitives need to know about an element type. */
export interface TypeInfo {
  /** The long name, e.g. `int32`. */
  readonly name: string;
  readonly View: TypedArrayClass & { readonly BYTES_PER_ELEMENT: number };
  /** Integer types support the atomic helpers (`add`, `compareExchange`, ...). */
  readonly integer: boolean;
  /** 64-bit integer types hold `bigint`s. */
  readonly bigint: boolean;
}

const info = (name: string, View: TypeInfo['View'], integer: boolean, bigint = false): TypeInfo => ({ name, View, integer, bigint });

const TYPES: Readonly<Record<TypeCode, TypeInfo>> = (() => {
  const table = {} as Record<TypeCode, TypeInfo>;
  const add = (code: TypeCode, long: TypeCode, type: TypeInfo): void => {
    table[code] = type;
    table[long] = type;
  };
  add('b', 'int8', info('int8', Int8Array, true));
  add('B', 'uint8', info('uint8', Uint8Array, true));
  add('h', 'int16', info('int16', Int16Array, true));
  add('H', 'uint16', info('uint16', Uint16Array, true));
  add('i', 'int32', info('int32', Int32Array, true));
  add('I', 'uint32', info('uint32', Uint32Array, true));
  add('q', 'int64', info('int64', BigInt64Array, true, true));
  add('Q', 'uint64', info('uint64', BigUint64Array, true, true));
  add('f', 'float32', info('float32', Float32Array, false));
  add('d', 'float64', info('float64', Float64Array, false));
  return Object.freeze(table);
})();

/** The facts about type code `type`; throws a `TypeError` naming `where` for an unknown code. */
export function typeInfo(where: string, type: unknown): TypeInfo {
  if (typeof type === 'string' && Object.hasOwn(TYPES, type)) return TYPES[type as TypeCode];
  throw new TypeError(`${where}: type must be a type code (${Object.keys(TYPES).filter((k) => k.length === 1).join(', ')}) or a long name (int32, float64, ...), got ${describe(type)}`);
}

/** Checks a value to store into an element of `type`; returns it as the typed array wants it. */
export function checkElement(where: string, type: TypeInfo, value: unknown): number | bigint {
  const element = `${type.name.startsWith('i') ? 'an' : 'a'} ${type.name} element`;
  if (type.bigint) {
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    throw new TypeError(`${where}: ${element} must be a bigint or a safe integer, got ${describe(value)}`);
  }
  if (typeof value !== 'number') throw new TypeError(`${where}: ${element} must be a number, got ${describe(value)}`);
  if (type.integer && !Number.isInteger(value)) throw new TypeError(`${where}: ${element} must be an integer, got ${value}`);
  return value;
}

/** Throws unless `type` supports the atomic helpers. */
export function requireInteger(where: string, type: TypeInfo): void {
  if (!type.integer) throw new TypeError(`${where} needs an integer type, but this one holds ${type.name}`);
}

type AtomicOp = (view: AnyTypedArray, index: number, value: number | bigint) => number | bigint;

/** `Atomics.add` etc., typed loosely enough for every integer view (checked by the callers). */
export const atomics = Atomics as unknown as {
  readonly add: AtomicOp;
  readonly sub: AtomicOp;
  readonly exchange: AtomicOp;
  readonly load: (view: AnyTypedArray, index: number) => number | bigint;
  readonly store: AtomicOp;
  readonly compareExchange: (view: AnyTypedArray, index: number, expected: number | bigint, replacement: number | bigint) => number | bigint;
};
