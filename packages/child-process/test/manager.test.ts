import { TimeoutError, defineTasks } from '@futures/core';
import { describe, expect, it } from 'vitest';
import { Manager, ProcessPoolExecutor } from '../src/index.js';

const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(new URL('./fixtures/tasks.ts', import.meta.url));

describe('Manager objects across child processes', () => {
  it('100 tasks in 2 children incrementing a managed Value under a managed Lock give exactly 100', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    using manager = new Manager();
    const counter = manager.Value(0);
    const lock = manager.Lock();
    await Promise.all(Array.from({ length: 100 }, () => executor.submit(tasks.lockedIncrement, counter, lock)));
    expect(await counter.get()).toBe(100);
    expect(await lock.locked()).toBe(false);
  });

  it('results come back through a managed Queue', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    using manager = new Manager();
    const queue = manager.Queue<[number, number]>();
    await Promise.all([1, 2, 3, 4, 5].map((x) => executor.submit(tasks.squareToQueue, x, queue)));
    const results: [number, number][] = [];
    while (!(await queue.empty())) results.push(await queue.get());
    expect(results.sort((a, b) => a[0] - b[0])).toEqual([1, 2, 3, 4, 5].map((x) => [x, x * x]));
    await expect(queue.get({ timeout: 20 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('a lock held by a child that dies is released; acquire with a timeout gives up', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    using manager = new Manager();
    const lock = manager.Lock();
    await lock.acquire();
    expect(await executor.submit(tasks.tryLock, lock, 50)).toBe(false); // the parent holds it
    await lock.release();
    await expect(executor.submit(tasks.dieHoldingLock, lock)).rejects.toMatchObject({ exitCode: 3 });
    expect(await lock.locked()).toBe(false);
    expect(await executor.submit(tasks.tryLock, lock, 1_000)).toBe(true);
    await expect(lock.release()).rejects.toThrow('ManagedLock.release(): the lock is not locked');
  });

  it('handles nested in an object argument work too; add() is atomic', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    using manager = new Manager();
    const counter = manager.Value(0);
    await Promise.all(Array.from({ length: 10 }, () => executor.submit(tasks.nestedHandles, { counter })));
    expect(await counter.get()).toBe(50);
    await expect(manager.Value('text').add(1 as never)).rejects.toThrow('ManagedValue.add(): cannot add a number to a string value');
  });

  it('a closed manager refuses work, and a bounded queue waits for room', async () => {
    const manager = new Manager();
    const queue = manager.Queue<number>({ maxsize: 1 });
    await queue.put(1);
    await expect(queue.put(2, { timeout: 20 })).rejects.toBeInstanceOf(TimeoutError);
    const waiting = queue.put(3);
    expect(await queue.get()).toBe(1);
    await waiting;
    expect(await queue.get()).toBe(3);
    manager.close();
    await expect(queue.qsize()).rejects.toThrow(/Manager that made this object is closed/);
    expect(() => manager.Lock()).toThrow('the Manager was closed');
    expect(() => new Manager().Queue({ maxsize: 0 })).toThrow('maxsize must be >= 1, got 0');
  });
});
