import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';

/** Arguments and results: the same objects in-process, structured-clone copies elsewhere. */
export function transportTests({ test, caps }: GroupContext): void {
  test('structured-clone values survive the round trip', { maxWorkers: 1 }, async (executor) => {
    const value = await executor.submit(tasks.richValue);
    expect(value.map).toEqual(new Map([['a', 1]]));
    expect(value.set).toEqual(new Set([1, 2]));
    expect(value.date).toEqual(new Date(0));
    expect(value.big).toBe(2n ** 70n);
    expect(value.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(value.nested).toEqual({ list: [1, null, 3] });
    const described = await Promise.all([new Map([['x', 1]]), new Set([1]), new Date(5), new Uint8Array(4), 7n].map((arg) => executor.submit(tasks.describeArg, arg)));
    expect(described).toEqual(['Map(1)', 'Set(1)', 'Date(5)', 'Uint8Array(4)', 'bigint(7)']);
  });

  if (caps.sameObjects) {
    test('in-process executors pass the very same objects', { maxWorkers: 1 }, async (executor) => {
      const argument = { list: [1, 2, 3] };
      expect(await executor.submit(tasks.identity, argument)).toBe(argument);
    });
  } else {
    test('arguments are copies, and an argument that cannot be copied fails only its own future', { maxWorkers: 1 }, async (executor) => {
      const argument = { list: [1, 2, 3] };
      const copy = await executor.submit(tasks.identity, argument);
      expect(copy).toEqual(argument);
      expect(copy).not.toBe(argument);
      const bad = executor.submit(tasks.identity, { fn: () => 1 });
      const good = executor.submit(tasks.square, 5);
      const error = await bad.exception();
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/clone|serializ/i);
      expect(await good).toBe(25);
    });
  }
}
