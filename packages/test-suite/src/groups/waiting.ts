import { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, Future, asCompleted, wait } from '@futures/core';
import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';
import { warmUp } from './submit.js';

/** wait() and asCompleted() on futures of a live executor. */
export function waitingTests({ test, ms }: GroupContext): void {
  test('wait FIRST_COMPLETED returns when the first task finishes', { maxWorkers: 2 }, async (executor) => {
    await warmUp(executor);
    const stop = new AbortController();
    const quick = executor.submit(tasks.sleep, ms(10), 'quick');
    const slow = executor.submitWith({ signal: stop.signal }, tasks.sleep, ms(5_000), 'slow');
    const { done, notDone } = await wait([quick, slow], { returnWhen: FIRST_COMPLETED });
    expect([...done]).toEqual([quick]);
    expect([...notDone]).toEqual([slow]);
    stop.abort();
  });

  test('wait FIRST_EXCEPTION returns at the first failure', { maxWorkers: 3 }, async (executor) => {
    await warmUp(executor);
    const stop = new AbortController();
    const ok = executor.submit(tasks.sleep, ms(5), 'ok');
    const bad = executor.submit(tasks.failLater, 'Error', 'bad', ms(30));
    const slow = executor.submitWith({ signal: stop.signal }, tasks.sleep, ms(5_000), 'slow');
    const { done, notDone } = await wait([ok, bad, slow], { returnWhen: FIRST_EXCEPTION });
    expect(done).toEqual(new Set([ok, bad]));
    expect(notDone).toEqual(new Set([slow]));
    stop.abort();
  });

  test('wait FIRST_EXCEPTION without failures waits for all', { maxWorkers: 2 }, async (executor) => {
    await warmUp(executor);
    const futures = [executor.submit(tasks.sleep, ms(10), 1), executor.submit(tasks.sleep, ms(30), 2)];
    const { done, notDone } = await wait(futures, { returnWhen: FIRST_EXCEPTION });
    expect(done.size).toBe(2);
    expect(notDone.size).toBe(0);
  });

  test('wait ALL_COMPLETED with a timeout returns what is done, without throwing', { maxWorkers: 2 }, async (executor) => {
    await warmUp(executor);
    const stop = new AbortController();
    const quick = executor.submit(tasks.sleep, ms(5), 'quick');
    const slow = executor.submitWith({ signal: stop.signal }, tasks.sleep, ms(5_000), 'slow');
    const { done, notDone } = await wait([quick, slow, quick], { timeout: ms(300), returnWhen: ALL_COMPLETED });
    expect(done).toEqual(new Set([quick]));
    expect(notDone).toEqual(new Set([slow]));
    stop.abort();
  });

  test('asCompleted yields each Future once, in completion order', { maxWorkers: 3 }, async (executor) => {
    await warmUp(executor);
    const slow = executor.submit(tasks.sleep, ms(300), 'slow');
    const quick = executor.submit(tasks.sleep, ms(5), 'quick');
    const middle = executor.submit(tasks.failLater, 'Error', 'middle', ms(120));
    const order: unknown[] = [];
    for await (const future of asCompleted<Future<unknown>>([slow, quick, middle, quick])) {
      expect(future.done()).toBe(true);
      expect(future).toBeInstanceOf(Future);
      order.push(future);
    }
    expect(order).toEqual([quick, middle, slow]);
    await expect(middle.result()).rejects.toThrow('middle');
  });

  test('asCompleted throws TimeoutError when futures are left after the timeout', { maxWorkers: 2 }, async (executor) => {
    await warmUp(executor);
    const stop = new AbortController();
    const quick = executor.submit(tasks.sleep, ms(5), 'quick');
    const slow = executor.submitWith({ signal: stop.signal }, tasks.sleep, ms(5_000), 'slow');
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const future of asCompleted([quick, slow], { timeout: ms(200) })) seen.push(future);
      })(),
    ).rejects.toMatchObject({ name: 'TimeoutError', message: expect.stringMatching(/1 \(of 2\) futures unfinished/) });
    expect(seen).toEqual([quick]);
    stop.abort();
  });
}
