import { QueueFullError, type Future } from '@futures/core';
import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';
import { settleAll, until } from './submit.js';

/** maxQueue: a full queue refuses new tasks with QueueFullError and loses nothing. */
export function queueTests({ test, ms }: GroupContext): void {
  test('a full queue refuses submit with QueueFullError; nothing already queued is lost', { maxWorkers: 1, maxQueue: 2 }, async (executor) => {
    const running = executor.submit(tasks.sleep, ms(60), 'running');
    await until(() => running.running(), ms(5_000));
    const queued = [executor.submit(tasks.square, 2), executor.submit(tasks.square, 3)];
    let refused: unknown;
    try {
      executor.submit(tasks.square, 4);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(QueueFullError);
    expect((refused as QueueFullError).code).toBe('ERR_EXECUTOR_QUEUE_FULL');
    expect((refused as Error).message).toMatch(/2 tasks waiting/);
    expect(await running).toBe('running');
    expect(await Promise.all(queued)).toEqual([4, 9]);
    expect(executor.stats.submitted).toBe(3);
    await executor.onQueueBelow(1);
    expect(await executor.submit(tasks.square, 4)).toBe(16);
  });

  test('map waits for room in a bounded queue instead of failing', { maxWorkers: 1, maxQueue: 2 }, async (executor) => {
    const input = Array.from({ length: 30 }, (_, i) => i);
    const results: number[] = [];
    for await (const value of executor.map(tasks.square, input)) results.push(value);
    expect(results).toEqual(input.map((x) => x * x));
  });
}

/** Every submitted future settles, whatever happens to it. */
export function settleTests({ test, caps, ms }: GroupContext): void {
  test('successes, failures, cancels, aborts and timeouts all settle, and shutdown cancels the rest', { maxWorkers: 2 }, async (executor) => {
    const futures: Future<unknown>[] = [];
    const controller = new AbortController();
    for (let i = 0; i < 40; i++) {
      switch (i % 5) {
        case 0:
          futures.push(executor.submit(tasks.squareAfter, i, ms(2)));
          break;
        case 1:
          futures.push(executor.submit(tasks.failLater, 'Error', `bad ${i}`));
          break;
        case 2:
          futures.push(executor.submitWith({ signal: controller.signal }, tasks.sleep, ms(5), i));
          break;
        case 3:
          futures.push(
            caps.stopRunning === 'forced'
              ? executor.submitWith({ timeout: ms(30) }, tasks.spin, ms(5_000))
              : executor.submitWith({ timeout: ms(30) }, tasks.waitForAbort, ms(5_000)),
          );
          break;
        default: {
          const future = executor.submit(tasks.sleep, ms(5), i);
          future.cancel();
          futures.push(future);
        }
      }
    }
    setTimeout(() => controller.abort(), ms(40));
    const last = futures.slice(-10);
    await until(() => futures.slice(0, 10).every((future) => future.done()), ms(10_000));
    await executor.shutdown({ cancelFutures: true });
    expect(futures.filter((future) => !future.done())).toEqual([]);
    expect(last.every((future) => future.done())).toBe(true);
    const { submitted, completed, failed, cancelled, queued, running } = executor.stats;
    expect({ queued, running }).toEqual({ queued: 0, running: 0 });
    expect(completed + failed + cancelled).toBe(submitted);
  });

  test('a future whose task never started settles on shutdown({ cancelFutures: true })', { maxWorkers: 1 }, async (executor) => {
    const blocker = executor.submit(tasks.sleep, ms(50), 'ok');
    const waiting = Array.from({ length: 10 }, (_, i) => executor.submit(tasks.square, i));
    await until(() => blocker.running(), ms(5_000));
    await executor.shutdown({ cancelFutures: true });
    expect(await blocker).toBe('ok');
    expect(waiting.every((future) => future.cancelled())).toBe(true);
    await settleAll(waiting);
  });
}

/** Counters and events for progress displays. */
export function statsTests({ test, ms }: GroupContext): void {
  test('stats count submitted, queued, running, completed, failed and cancelled tasks', { maxWorkers: 1 }, async (executor) => {
    expect(executor.stats).toEqual({ submitted: 0, queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 });
    const first = executor.submit(tasks.sleep, ms(60));
    const second = executor.submit(tasks.fail, 'Error', 'x');
    const third = executor.submit(tasks.square, 3);
    await until(() => first.running(), ms(5_000));
    expect(executor.stats).toMatchObject({ submitted: 3, running: 1, queued: 2 });
    third.cancel();
    expect(executor.stats).toMatchObject({ queued: 1, cancelled: 1 });
    await settleAll([first, second, third]);
    await executor.onIdle();
    expect(executor.stats).toEqual({ submitted: 3, queued: 0, running: 0, completed: 1, failed: 1, cancelled: 1 });
  });

  test('events report each submit, start and settle, then idle and shutdown', { maxWorkers: 2 }, async (executor) => {
    const seen: Record<string, number> = { submitted: 0, started: 0, settled: 0, idle: 0, shutdown: 0 };
    for (const event of ['submitted', 'started', 'settled'] as const) executor.on(event, () => void seen[event]!++);
    executor.on('idle', () => void seen.idle!++);
    executor.on('shutdown', () => void seen.shutdown!++);
    const futures = Array.from({ length: 6 }, (_, i) => executor.submit(tasks.squareAfter, i, ms(3)));
    futures[5]!.cancel();
    await settleAll(futures);
    await executor.onIdle();
    await executor.shutdown();
    expect(seen).toMatchObject({ submitted: 6, started: 5, settled: 6, shutdown: 1 });
    expect(seen.idle).toBeGreaterThanOrEqual(1);
  });
}
