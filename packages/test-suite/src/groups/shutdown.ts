import { ExecutorShutdownError } from '@futures/core';
import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';
import { until } from './submit.js';

/** shutdown(): wait, cancelFutures, idempotence, submit afterwards, await using. */
export function shutdownTests({ test, ms }: GroupContext): void {
  test('shutdown() waits for running and queued tasks to finish', { maxWorkers: 1 }, async (executor) => {
    const futures = [executor.submit(tasks.sleep, ms(30), 'a'), executor.submit(tasks.sleep, ms(30), 'b'), executor.submit(tasks.square, 3)];
    await executor.shutdown();
    expect(futures.map((future) => future.state)).toEqual(['finished', 'finished', 'finished']);
    expect(await Promise.all(futures)).toEqual(['a', 'b', 9]);
  });

  test('shutdown({ wait: false }) returns at once and the tasks still finish', { maxWorkers: 1 }, async (executor) => {
    const futures = [executor.submit(tasks.sleep, ms(40), 'a'), executor.submit(tasks.square, 4)];
    await executor.shutdown({ wait: false });
    expect(futures[1]!.done()).toBe(false);
    expect(await Promise.all(futures)).toEqual(['a', 16]);
  });

  test('shutdown({ cancelFutures: true }) cancels queued tasks and lets running ones finish', { maxWorkers: 1 }, async (executor) => {
    const running = executor.submit(tasks.sleep, ms(50), 'running');
    const queued = [executor.submit(tasks.square, 1), executor.submit(tasks.square, 2)];
    await until(() => running.running(), ms(5_000));
    await executor.shutdown({ cancelFutures: true });
    expect(await running).toBe('running');
    expect(queued.map((future) => future.state)).toEqual(['cancelled', 'cancelled']);
  });

  test('shutdown() is idempotent', { maxWorkers: 1 }, async (executor) => {
    const future = executor.submit(tasks.sleep, ms(20), 'x');
    await Promise.all([executor.shutdown(), executor.shutdown(), executor.shutdown({ wait: false })]);
    await executor.shutdown();
    expect(await future).toBe('x');
    expect(executor.isShutdown).toBe(true);
  });

  test('submit and map after shutdown throw ExecutorShutdownError', { maxWorkers: 1 }, async (executor) => {
    await executor.shutdown();
    expect(() => executor.submit(tasks.square, 2)).toThrow(ExecutorShutdownError);
    expect(() => executor.submit(tasks.square, 2)).toThrow(/after shutdown/);
    expect(() => executor.map(tasks.square, [1, 2])).toThrow(ExecutorShutdownError);
    expect(() => executor.submitWith({}, tasks.square, 2)).toThrow(expect.objectContaining({ code: 'ERR_EXECUTOR_SHUTDOWN' }));
  });

  test('await using shuts the executor down at the end of the scope, after its tasks', { maxWorkers: 1 }, async (executor) => {
    let future;
    {
      await using scoped = executor;
      future = scoped.submit(tasks.sleep, ms(30), 'scoped');
    }
    expect(executor.isShutdown).toBe(true);
    expect(future.state).toBe('finished');
    expect(await future).toBe('scoped');
  });
}
