import { CancelledError, type Executor, type Future } from '@futures/core';
import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';
import { until } from './submit.js';

/** Future.cancel() with Python's meaning. */
export function cancelTests({ test, ms }: GroupContext): void {
  test('cancel() on a queued future cancels it; the running one finishes', { maxWorkers: 1 }, async (executor) => {
    const running = executor.submit(tasks.sleep, ms(80), 'first');
    const queued = executor.submit(tasks.square, 3);
    await until(() => running.running(), ms(5_000));
    expect(queued.cancel()).toBe(true);
    expect(queued.cancel()).toBe(true);
    expect(queued.cancelled()).toBe(true);
    expect(queued.done()).toBe(true);
    expect(queued.state).toBe('cancelled');
    await expect(queued.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(queued.exception()).rejects.toMatchObject({ code: 'ERR_FUTURE_CANCELLED' });
    expect(await running).toBe('first');
    await executor.onIdle();
    expect(executor.stats).toMatchObject({ completed: 1, cancelled: 1 });
  });

  test('cancel() returns false for running and finished futures', { maxWorkers: 1 }, async (executor) => {
    const future = executor.submit(tasks.sleep, ms(60), 'done');
    await until(() => future.running(), ms(5_000));
    expect(future.cancel()).toBe(false);
    expect(await future).toBe('done');
    expect(future.cancel()).toBe(false);
    expect(future.cancelled()).toBe(false);
  });

  test('done callbacks run when a queued future is cancelled', { maxWorkers: 1 }, async (executor) => {
    const blocker = executor.submit(tasks.sleep, ms(50));
    const queued = executor.submit(tasks.square, 2);
    const seen: string[] = [];
    queued.addDoneCallback((future) => seen.push(future.state));
    queued.cancel();
    expect(seen).toEqual(['cancelled']);
    await blocker;
  });

  test('a cancelled task never runs', { maxWorkers: 1 }, async (executor) => {
    const blocker = executor.submit(tasks.sleep, ms(40));
    const queued = Array.from({ length: 5 }, (_, i) => executor.submit(tasks.square, i));
    for (const future of queued) future.cancel();
    await blocker;
    await executor.onIdle();
    expect(executor.stats).toMatchObject({ submitted: 6, completed: 1, cancelled: 5, failed: 0 });
  });
}

/** A per-call AbortSignal stops queued and running tasks. */
export function abortTests({ test, caps, ms }: GroupContext): void {
  const longTask = (executor: Executor, signal: AbortSignal): Future<unknown> =>
    caps.stopRunning === 'forced' ? executor.submitWith({ signal }, tasks.spin, ms(10_000)) : executor.submitWith({ signal }, tasks.waitForAbort, ms(10_000));

  test('aborting a queued task cancels its future', { maxWorkers: 1 }, async (executor) => {
    const blocker = executor.submit(tasks.sleep, ms(50));
    const controller = new AbortController();
    const queued = executor.submitWith({ signal: controller.signal }, tasks.square, 3);
    controller.abort();
    expect(queued.cancelled()).toBe(true);
    await expect(queued.result()).rejects.toBeInstanceOf(CancelledError);
    await blocker;
  });

  test('a task submitted with an aborted signal is cancelled and never runs', { maxWorkers: 1 }, async (executor) => {
    const future = executor.submitWith({ signal: AbortSignal.abort() }, tasks.square, 3);
    expect(future.cancelled()).toBe(true);
    await executor.onIdle();
    expect(executor.stats).toMatchObject({ completed: 0, cancelled: 1 });
  });

  test('aborting a running task rejects its future with the reason and stops the task', { maxWorkers: 1 }, async (executor) => {
    const controller = new AbortController();
    const future = longTask(executor, controller.signal);
    await until(() => future.running(), ms(5_000));
    const reason = new Error('stop now');
    controller.abort(reason);
    const error = await future.exception();
    expect(error === reason || (error as Error).message === 'stop now').toBe(true);
    expect(future.state).toBe('finished');
    await executor.onIdle(); // the slot is free again only when the task really stopped
    expect(executor.stats.running).toBe(0);
    expect(await executor.submit(tasks.square, 5)).toBe(25);
  });

  test('aborting one task leaves the others alone', { maxWorkers: 2 }, async (executor) => {
    const controller = new AbortController();
    const victim = longTask(executor, controller.signal);
    const others = Array.from({ length: 6 }, (_, i) => executor.submit(tasks.squareAfter, i, ms(5)));
    await until(() => victim.running(), ms(5_000));
    controller.abort();
    await expect(victim.result()).rejects.toMatchObject({ name: 'AbortError' });
    expect(await Promise.all(others)).toEqual([0, 1, 4, 9, 16, 25]);
  });
}

/** Per-task timeouts, counted from the start of the task, that stop it. */
export function taskTimeoutTests({ test, caps, ms }: GroupContext): void {
  const endless = (executor: Executor, timeout: number | undefined): Future<unknown> => {
    const options = timeout === undefined ? {} : { timeout };
    return caps.stopRunning === 'forced' ? executor.submitWith(options, tasks.spin, ms(10_000)) : executor.submitWith(options, tasks.waitForAbort, ms(10_000));
  };

  test('a task past its timeout fails with TaskTimeoutError and is stopped', { maxWorkers: 1 }, async (executor) => {
    const future = endless(executor, ms(60));
    const error = await future.exception();
    expect(error).toMatchObject({ name: 'TaskTimeoutError', code: 'ERR_TASK_TIMEOUT', timeout: ms(60) });
    expect((error as Error).message).toMatch(/timed out after/);
    await executor.onIdle();
    expect(await executor.submit(tasks.square, 6)).toBe(36);
  });

  test('the executor-wide taskTimeout applies to every task', { maxWorkers: 1, taskTimeout: ms(60) }, async (executor) => {
    const slow = endless(executor, undefined);
    const quick = executor.submit(tasks.square, 2);
    await expect(slow.result()).rejects.toMatchObject({ code: 'ERR_TASK_TIMEOUT' });
    expect(await quick).toBe(4);
  });

  test('the timeout counts from when the task starts, not from submit', { maxWorkers: 1 }, async (executor) => {
    const first = executor.submit(tasks.sleep, ms(200), 'first');
    const second = executor.submitWith({ timeout: ms(150) }, tasks.sleep, ms(10), 'second');
    expect(await first).toBe('first');
    expect(await second).toBe('second');
  });
}
