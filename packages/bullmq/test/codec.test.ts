import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from '../src/codec.ts';
import { InvalidPayloadError, PayloadTooLargeError } from '../src/errors.ts';

const roundTrip = (value: unknown): unknown => decodeValue(encodeValue(value, 1 << 20, 'the value'), 'the value');

describe('codec', () => {
  it('writes plain values and lists of them as JSON, starting with [', () => {
    expect(encodeValue([7, 'a', true, null], 1000, 'x')).toBe('[[7,"a",true,null]]');
    expect(encodeValue(49, 1000, 'x')).toBe('[49]');
    expect(encodeValue('', 1000, 'x')).toBe('[""]');
    for (const value of [[7, 'a', true, null], 49, 'é \u{1F600} \ud800', false, null, [], 1.5e300]) expect(roundTrip(value)).toEqual(value);
  });

  it('uses v8 serialization (base64) for whatever JSON would not carry exactly', () => {
    const sparse = [1, 2, 3];
    delete sparse[1];
    const values: unknown[] = [-0, NaN, Infinity, undefined, [undefined], sparse, 2n ** 70n, { a: 1 }, [[1]], new Map([['k', 1]]), new Date(5), new Uint8Array([1, 2])];
    for (const value of values) {
      const encoded = encodeValue(value, 1 << 20, 'x');
      expect(encoded.startsWith('['), String(value)).toBe(false);
      expect(roundTrip(value)).toStrictEqual(value);
    }
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
  });

  it('refuses what is too large or cannot be cloned, and what is not a payload', () => {
    expect(() => encodeValue('x'.repeat(2000), 1000, 'the arguments of task t')).toThrow(PayloadTooLargeError);
    expect(() => encodeValue([() => 1], 1000, 'the arguments of task t')).toThrow(/the arguments of task t could not be serialized/);
    expect(() => decodeValue(42, 'the result of job 1')).toThrow(InvalidPayloadError);
    expect(() => decodeValue('!!!not base64 v8', 'the result of job 1')).toThrow(/the result of job 1 could not be deserialized/);
  });
});
