import { Future, type Executor } from '@futures/core';
import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';

/** submit/result, arguments, the concurrency bound, plain functions, bad tasks. */
export function submitTests({ test, caps, ms }: GroupContext): void {
  test('submit returns a Future whose result is the task result', { maxWorkers: 2 }, async (executor) => {
    const future = executor.submit(tasks.square, 7);
    expect(future).toBeInstanceOf(Future);
    expect(await future.result()).toBe(49);
    expect(await future).toBe(49);
    expect(future.done()).toBe(true);
    expect(future.state).toBe('finished');
    expect(await future.exception()).toBeUndefined();
  });

  test('arguments arrive in order, including none and undefined', { maxWorkers: 2 }, async (executor) => {
    expect(await executor.submit(tasks.add, 2, 3)).toBe(5);
    expect(await executor.submit(tasks.echoArgs)).toEqual([]);
    expect(await executor.submit(tasks.echoArgs, 'a', 1, null, true)).toEqual(['a', 1, null, true]);
  });

  test('many submitted tasks all return their own result', { maxWorkers: 3 }, async (executor) => {
    const futures = Array.from({ length: 300 }, (_, i) => executor.submit(tasks.square, i));
    const results = await Promise.all(futures);
    expect(results).toEqual(Array.from({ length: 300 }, (_, i) => i * i));
  });

  test('result({ timeout }) rejects with TimeoutError while the task is still running, then resolves', { maxWorkers: 1 }, async (executor) => {
    const future = executor.submit(tasks.sleep, ms(300), 'late');
    await expect(future.result({ timeout: ms(20) })).rejects.toMatchObject({ name: 'TimeoutError', code: 'ERR_FUTURE_TIMEOUT' });
    expect(future.done()).toBe(false);
    expect(await future.result()).toBe('late');
  });

  test('maxWorkers is a hard bound on tasks running at once', { maxWorkers: 2 }, async (executor) => {
    const spans = await Promise.all(Array.from({ length: 8 }, () => executor.submit(tasks.interval, ms(40))));
    expect(maxOverlap(spans)).toBeLessThanOrEqual(2);
    expect(executor.maxWorkers).toBe(2);
  });

  test('the running state is visible while a task runs', { maxWorkers: 1 }, async (executor) => {
    const future = executor.submit(tasks.sleep, ms(150));
    await until(() => future.running(), ms(5_000));
    expect(future.state).toBe('running');
    expect(future.cancel()).toBe(false);
    await future;
    expect(future.state).toBe('finished');
  });

  if (caps.plainFunctions) {
    test('plain functions run, sync and async, with their arguments', { maxWorkers: 2 }, async (executor) => {
      expect(await executor.submit((a: number, b: number) => a * b, 6, 7)).toBe(42);
      expect(await executor.submit(async (s: string) => s.toUpperCase(), 'abc')).toBe('ABC');
    });
  } else {
    test('a plain function is refused at submit with a TypeError saying to use a task reference', { maxWorkers: 1 }, async (executor) => {
      expect(() => executor.submit((x: number) => x, 1)).toThrow(TypeError);
      expect(() => executor.submit((x: number) => x, 1)).toThrow(/task reference/);
      expect(await executor.submit(tasks.square, 3)).toBe(9);
    });
  }

  test('a value that is not a task is refused at submit with a TypeError', { maxWorkers: 1 }, async (executor) => {
    expect(() => executor.submit(42 as unknown as typeof tasks.square, 1)).toThrow(TypeError);
    expect(() => executor.submit({ module: 'file:///x.js', name: 'x' } as unknown as typeof tasks.square, 1)).toThrow(/task reference/);
    expect(executor.stats.submitted).toBe(0);
  });

  test('a reference to a missing export rejects that future with a TypeError naming the export', { maxWorkers: 1 }, async (executor) => {
    const missing = (tasks as unknown as Record<string, typeof tasks.square>).noSuchTask!;
    const error = await executor.submit(missing, 1).exception();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TypeError');
    expect((error as Error).message).toMatch(/noSuchTask/);
    const notFunction = await executor.submit((tasks as unknown as Record<string, typeof tasks.square>).notAFunction!, 1).exception();
    expect((notFunction as Error).message).toMatch(/notAFunction/);
    expect(await executor.submit(tasks.square, 4)).toBe(16);
  });
}

/** The largest number of spans that overlap at one instant. */
export function maxOverlap(spans: readonly { start: number; end: number }[]): number {
  const events = spans.flatMap((span) => [
    { at: span.start, delta: 1 },
    { at: span.end, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta); // ends before starts at the same instant
  let current = 0;
  let max = 0;
  for (const event of events) max = Math.max(max, (current += event.delta));
  return max;
}

/** Polls `condition` every few ms until it holds; fails after `limit` ms. */
export async function until(condition: () => boolean, limit: number): Promise<void> {
  const deadline = Date.now() + limit;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${limit}ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Runs one short task per worker at once, so that every worker has started: tests that compare
 * when tasks finish must not measure worker start-up (slow for threads and processes).
 */
export async function warmUp(executor: Executor, ms = 20): Promise<void> {
  await Promise.all(Array.from({ length: executor.maxWorkers }, () => executor.submit(tasks.sleep, ms)));
}

/** Awaits every future, ignoring their outcome. */
export async function settleAll(futures: Iterable<Future<unknown>>): Promise<void> {
  await Promise.all([...futures].map((future) => future.exception().catch(() => undefined)));
}

export type { Executor };
