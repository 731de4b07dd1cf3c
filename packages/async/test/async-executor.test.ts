import { QueueFullError, TaskTimeoutError, defineTasks, type TaskContext } from '@futures/core';
import { describe, expect, it } from 'vitest';
import { AsyncExecutor } from '../src/index.js';

const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(new URL('./fixtures/tasks.ts', import.meta.url));

/** A task whose end the test controls. */
function gate(): { task: () => Promise<string>; open: () => void; started: () => boolean } {
  let open!: () => void;
  let started = false;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      started = true;
      await opened;
      return 'opened';
    },
    open: () => open(),
    started: () => started,
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AsyncExecutor options', () => {
  it('has Python-like defaults', async () => {
    await using executor = new AsyncExecutor();
    expect(executor.maxWorkers).toBe(32);
    expect(executor.maxQueue).toBe(Infinity);
    expect(String(executor)).toBe('AsyncExecutor(maxWorkers=32, running=0, queued=0)');
  });

  it.each([
    [{ maxWorkers: 0 }, RangeError, 'maxWorkers must be >= 1, got 0'],
    [{ maxWorkers: 1.5 }, TypeError, 'maxWorkers must be an integer, got 1.5'],
    [{ maxWorkers: '4' }, TypeError, 'maxWorkers must be an integer, got "4"'],
    [{ maxQueue: -1 }, RangeError, 'maxQueue must be >= 0, got -1'],
    [{ taskTimeout: -5 }, RangeError, 'taskTimeout must be >= 0 milliseconds, got -5'],
    [{ taskTimeout: 'soon' }, TypeError, 'taskTimeout must be a number of milliseconds, got "soon"'],
    [{ maxWorker: 4 }, TypeError, 'new AsyncExecutor(): unknown option "maxWorker"; known options are maxWorkers, maxQueue, taskTimeout, recordTiming'],
    [42, TypeError, 'new AsyncExecutor(): options must be an object, got 42'],
  ])('rejects %j with an exact message', (options, type, message) => {
    expect(() => new AsyncExecutor(options as never)).toThrow(type);
    expect(() => new AsyncExecutor(options as never)).toThrow(message);
  });

  it('accepts maxQueue: Infinity and maxQueue: 0 (no waiting at all)', async () => {
    await using unbounded = new AsyncExecutor({ maxQueue: Infinity });
    expect(unbounded.maxQueue).toBe(Infinity);
    await using strict = new AsyncExecutor({ maxWorkers: 1, maxQueue: 0 });
    // maxQueue 0: a task is accepted only when it can start; a second waits nowhere.
    const first = strict.submit(async () => 1);
    expect(() => strict.submit(async () => 2)).toThrow(QueueFullError);
    expect(await first).toBe(1);
  });
});

describe('AsyncExecutor concurrency', () => {
  it('never runs more than maxWorkers tasks at once', async () => {
    await using executor = new AsyncExecutor({ maxWorkers: 3 });
    let running = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      peak = Math.max(peak, ++running);
      await tick();
      running--;
    };
    await Promise.all(Array.from({ length: 50 }, () => executor.submit(task)));
    expect(peak).toBe(3);
  });

  it('keeps a slot busy until an aborted task really ends (a hard bound)', async () => {
    await using executor = new AsyncExecutor({ maxWorkers: 1 });
    const stubborn = gate(); // ignores its signal
    const controller = new AbortController();
    const first = executor.submitWith({ signal: controller.signal }, stubborn.task);
    const second = executor.submit(async () => 'second');
    await tick();
    controller.abort(new Error('stop'));
    await expect(first.result()).rejects.toThrow('stop');
    await tick();
    expect(second.state).toBe('pending'); // the first task still holds the only slot
    expect(executor.stats.running).toBe(1);
    stubborn.open();
    expect(await second).toBe('second');
  });

  it('starts tasks on a later microtask, so a future can be cancelled right after submit', async () => {
    await using executor = new AsyncExecutor({ maxWorkers: 4 });
    let ran = false;
    const future = executor.submit(() => {
      ran = true;
    });
    expect(future.state).toBe('pending');
    expect(future.cancel()).toBe(true);
    await executor.onIdle();
    expect(ran).toBe(false);
  });
});

describe('AsyncExecutor tasks', () => {
  it('runs plain functions and task references the same way', async () => {
    await using executor = new AsyncExecutor();
    expect(await executor.submit((x: number) => x * 3, 5)).toBe(15);
    expect(await executor.submit(tasks.triple, 5)).toBe(15);
    expect(await executor.submit(tasks.greet, 'Ada')).toBe('hello, Ada');
  });

  it('hands the per-call signal to the task as this.signal', async () => {
    await using executor = new AsyncExecutor();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const future = executor.submitWith({ signal: controller.signal }, function (this: TaskContext) {
      seen = this.signal;
      return new Promise((_resolve, reject) => this.signal.addEventListener('abort', () => reject(this.signal.reason)));
    });
    await tick();
    expect(seen?.aborted).toBe(false);
    controller.abort(new Error('cancelled by user'));
    await expect(future.result()).rejects.toThrow('cancelled by user');
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toEqual(new Error('cancelled by user'));
  });

  it('aborts this.signal with a TaskTimeoutError when the task times out', async () => {
    await using executor = new AsyncExecutor({ taskTimeout: 20 });
    let reason: unknown;
    const future = executor.submit(function (this: TaskContext) {
      return new Promise((resolve) =>
        this.signal.addEventListener('abort', () => {
          reason = this.signal.reason;
          resolve('ignored');
        }),
      );
    });
    const error = await future.exception();
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as TaskTimeoutError).timeout).toBe(20);
    await executor.onIdle();
    expect(reason).toBe(error);
  });

  it('a synchronous throw inside a task rejects only that future', async () => {
    await using executor = new AsyncExecutor({ maxWorkers: 1 });
    const bad = executor.submit(() => {
      throw new SyntaxError('sync');
    });
    const good = executor.submit(() => 'fine');
    await expect(bad.result()).rejects.toBeInstanceOf(SyntaxError);
    expect(await good).toBe('fine');
  });

  it('a task module that fails to load rejects the future with an error naming the module', async () => {
    await using executor = new AsyncExecutor();
    const missing = defineTasks<{ run(): void }>(new URL('./fixtures/does-not-exist.js', import.meta.url));
    const error = (await executor.submit(missing.run).exception()) as Error;
    expect(error.message).toMatch(/could not load task module .*does-not-exist\.js/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('runs 100,000 tasks, sync and async, without overflowing the stack', async () => {
    await using executor = new AsyncExecutor({ maxWorkers: 8 });
    const futures = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? executor.submit((x: number) => x, i) : executor.submit(async (x: number) => x, i)));
    const results = await Promise.all(futures);
    expect(results[99_999]).toBe(99_999);
    expect(executor.stats.completed).toBe(100_000);
  });
});
