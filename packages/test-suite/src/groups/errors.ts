import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';

/** Errors keep their class, message, stack, own fields and cause. */
export function errorTests({ test }: GroupContext): void {
  test('a thrown Error rejects the future with its message and a stack from the task module', { maxWorkers: 1 }, async (executor) => {
    const future = executor.submit(tasks.fail, 'Error', 'boom');
    const error = (await future.exception()) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('Error');
    expect(error.message).toBe('boom');
    expect(error.stack).toMatch(/boom/);
    expect(error.stack).toMatch(/tasks\.(ts|js)/);
    await expect(future.result()).rejects.toBe(error);
    await expect(Promise.resolve(future)).rejects.toBe(error);
    expect(future.state).toBe('finished');
  });

  test('built-in error classes keep their class', { maxWorkers: 1 }, async (executor) => {
    const typeError = await executor.submit(tasks.fail, 'TypeError', 'wrong type').exception();
    expect(typeError).toBeInstanceOf(TypeError);
    expect((typeError as TypeError).message).toBe('wrong type');
    const rangeError = await executor.submit(tasks.failLater, 'RangeError', 'out of range').exception();
    expect(rangeError).toBeInstanceOf(RangeError);
    expect((rangeError as RangeError).message).toBe('out of range');
  });

  test('a custom error keeps its name, message, stack and own fields', { maxWorkers: 1 }, async (executor) => {
    const error = (await executor.submit(tasks.fail, 'SuiteError', 'custom failure').exception()) as Error & {
      code: string;
      details: { attempt: number; tags: string[] };
    };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SuiteError');
    expect(error.message).toBe('custom failure');
    expect(error.code).toBe('E_SUITE');
    expect(error.details).toEqual({ attempt: 3, tags: ['a', 'b'] });
    expect(error.stack).toMatch(/custom failure/);
  });

  test('an asynchronous rejection is carried like a thrown error', { maxWorkers: 1 }, async (executor) => {
    const error = (await executor.submit(tasks.failLater, 'SuiteError', 'later').exception()) as Error & { code: string };
    expect(error.name).toBe('SuiteError');
    expect(error.code).toBe('E_SUITE');
  });

  test('the cause of an error is kept', { maxWorkers: 1 }, async (executor) => {
    const error = (await executor.submit(tasks.failWithCause, 'outer', 'inner').exception()) as Error;
    expect(error.message).toBe('outer');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).message).toBe('inner');
  });

  test('thrown values that are not errors are kept as they were thrown', { maxWorkers: 1 }, async (executor) => {
    expect(await executor.submit(tasks.fail, 'string', 'just a string').exception()).toBe('just a string');
    expect(await executor.submit(tasks.fail, 'object', 'plain').exception()).toEqual({ reason: 'plain' });
  });

  test('a failing task does not disturb the others', { maxWorkers: 2 }, async (executor) => {
    const futures = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? executor.submit(tasks.fail, 'Error', `bad ${i}`) : executor.submit(tasks.square, i)));
    const outcomes = await Promise.allSettled(futures);
    outcomes.forEach((outcome, i) => {
      if (i % 4 === 0) expect(outcome).toMatchObject({ status: 'rejected', reason: { message: `bad ${i}` } });
      else expect(outcome).toEqual({ status: 'fulfilled', value: i * i });
    });
  });
}
