/** Value and SharedArray on one thread (see threads.test.ts for workers). */

import { describe, expect, test } from 'vitest';
import { Lock, SharedArray, Value } from '../../src/shared/index.js';

describe('Value', () => {
  test('holds one number of the given type, Python type codes or long names', () => {
    const counter = new Value('i', 5);
    expect(counter.value).toBe(5);
    counter.value = -7;
    expect(counter.value).toBe(-7);
    expect(new Value('int32').value).toBe(0);
    const ratio = new Value('d', 0.25);
    ratio.value += 0.5;
    expect(ratio.value).toBe(0.75);
    expect(new Value('f', 0.1).value).toBeCloseTo(0.1, 6);
    expect(new Value('B', 255).value).toBe(255);
    expect(new Value('uint32', 2 ** 32 - 1).value).toBe(2 ** 32 - 1);
  });

  test('64-bit types hold bigints and also take safe integers', () => {
    const big = new Value('q', 1);
    expect(big.value).toBe(1n);
    big.value = 2n ** 62n;
    expect(big.value).toBe(2n ** 62n);
    expect(big.add(1)).toBe(2n ** 62n);
    expect(new Value('Q', 2n ** 64n - 1n).value).toBe(2n ** 64n - 1n);
    expect(() => (new Value('int64').value = 1.5)).toThrow(new TypeError('Value.value: an int64 element must be a bigint or a safe integer, got 1.5'));
  });

  test('atomic helpers return the previous value; integers wrap like C', () => {
    const counter = new Value('i', 10);
    expect(counter.add(5)).toBe(10);
    expect(counter.sub(3)).toBe(15);
    expect(counter.exchange(100)).toBe(12);
    expect(counter.compareExchange(1, 2)).toBe(100);
    expect(counter.value).toBe(100);
    expect(counter.compareExchange(100, 2)).toBe(100);
    expect(counter.value).toBe(2);
    const small = new Value('b', 127);
    small.add(1);
    expect(small.value).toBe(-128);
  });

  test('the built-in lock: getLock(), lock: false, or a shared Lock', () => {
    const counter = new Value('i', 0);
    expect(counter.getLock()).toBeInstanceOf(Lock);
    {
      using _guard = counter.getLock().holdSync();
      counter.value += 1;
    }
    expect(counter.value).toBe(1);
    expect(() => new Value('i', 0, { lock: false }).getLock()).toThrow(
      new TypeError('Value.getLock: this Value was created with lock: false, so it has no lock'),
    );
    const shared = new Lock();
    expect(new Value('d', 0, { lock: shared }).getLock()).toBe(shared);
    expect(new SharedArray('d', 2, { lock: shared }).getLock()).toBe(shared);
  });

  test('bad types and values are refused with exact messages', () => {
    expect(() => new Value('x' as never)).toThrow(
      new TypeError('Value: type must be a type code (b, B, h, H, i, I, q, Q, f, d) or a long name (int32, float64, ...), got "x"'),
    );
    expect(() => new Value('i', 1.5)).toThrow(new TypeError('Value.value: an int32 element must be an integer, got 1.5'));
    expect(() => new Value('d', '1' as never)).toThrow(new TypeError('Value.value: a float64 element must be a number, got "1"'));
    expect(() => new Value('d', 1).add(1)).toThrow(new TypeError('Value.add needs an integer type, but this one holds float64'));
    expect(() => new Value('i', 0, { lock: 'yes' as never })).toThrow(new TypeError('Value: lock must be a boolean or a Lock, got "yes"'));
    expect(() => new SharedArray('i', 1, { locked: true } as never)).toThrow(new TypeError('SharedArray: unknown option "locked"; known options are lock'));
  });
});

describe('SharedArray', () => {
  test('from a length (zeros) or from values; get, set, negative indexes', () => {
    const zeros = new SharedArray('d', 3);
    expect(zeros.length).toBe(3);
    expect(zeros.toArray()).toEqual([0, 0, 0]);
    const primes = new SharedArray('i', [2, 3, 5, 7]);
    expect(primes.get(0)).toBe(2);
    expect(primes.get(-1)).toBe(7);
    primes.set(-2, 11);
    expect([...primes]).toEqual([2, 3, 11, 7]);
    expect(new SharedArray('h', new Set([1, 2])).toArray()).toEqual([1, 2]);
    expect(new SharedArray('i', 0).toArray()).toEqual([]);
  });

  test('typed is a view over the same shared memory', () => {
    const values = new SharedArray('int32', [1, 2, 3]);
    expect(values.typed).toBeInstanceOf(Int32Array);
    expect(values.typed.buffer).toBe(values.buffer);
    values.typed[1] = 20;
    expect(values.get(1)).toBe(20);
    expect(Atomics.add(values.typed, 2, 1)).toBe(3);
    expect(values.get(2)).toBe(4);
  });

  test('atomic helpers per element; bigint arrays', () => {
    const counts = new SharedArray('I', 2);
    expect(counts.add(1, 5)).toBe(0);
    expect(counts.sub(1, 2)).toBe(5);
    expect(counts.exchange(0, 9)).toBe(0);
    expect(counts.compareExchange(0, 9, 10)).toBe(9);
    expect(counts.toArray()).toEqual([10, 3]);
    const big = new SharedArray('q', [1n, 2]);
    expect(big.toArray()).toEqual([1n, 2n]);
    expect(big.add(0, 1n)).toBe(1n);
    expect(big.get(0)).toBe(2n);
  });

  test('bad indexes, lengths and values are refused with exact messages', () => {
    const values = new SharedArray('i', 3);
    expect(() => values.get(3)).toThrow(new RangeError('SharedArray.get: index 3 is out of range for length 3'));
    expect(() => values.set(-4, 1)).toThrow(new RangeError('SharedArray.set: index -4 is out of range for length 3'));
    expect(() => values.get(1.5)).toThrow(new TypeError('SharedArray.get: index must be an integer, got 1.5'));
    expect(() => new SharedArray('i', -1)).toThrow(new RangeError('length must be >= 0, got -1'));
    expect(() => new SharedArray('i', 'abc' as never)).toThrow(
      new TypeError('SharedArray: lengthOrValues must be a length or an iterable of numbers, got "abc"'),
    );
    expect(() => new SharedArray('i', [1, 'two'] as never)).toThrow(new TypeError('SharedArray: an int32 element must be a number, got "two"'));
    expect(() => new SharedArray('f', 1).add(0, 1)).toThrow(new TypeError('SharedArray.add needs an integer type, but this one holds float32'));
  });
});
