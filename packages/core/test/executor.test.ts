import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  BrokenExecutorError,
  CancelledError,
  Executor,
  ExecutorShutdownError,
  Future,
  QueueFullError,
  TaskTimeoutError,
  TimeoutError,
  baseConfig,
  defineTasks,
  resolveTaskRef,
  isTaskRef,
  type BaseExecutorOptions,
  type ExecutorCapabilities,
  type RunningTask,
  type TaskContext,
  type TaskFunction,
} from '../src/index.js';
import { deferred, macrotask, promiseState, sleep, type Deferred } from './helpers.js';

/** The smallest possible backend: runs plain functions on the event loop, resolves task references. */
class TestExecutor extends Executor {
  readonly capabilities: ExecutorCapabilities = { plainFunctions: true, stopRunning: 'cooperative', sameObjects: true };
  /** Every task handed to runTask, in order. */
  readonly seen: RunningTask[] = [];
  releases = 0;
  releaseHook: () => void | Promise<void> = () => {};

  constructor(options?: BaseExecutorOptions) {
    super(baseConfig('TestExecutor', options, { maxWorkers: 4 }));
  }

  protected runTask(running: RunningTask): unknown {
    this.seen.push(running);
    const fn = isTaskRef(running.task) ? resolveTaskRef(running.task) : (running.task as TaskFunction);
    if (typeof fn !== 'function') return fn.then((f) => f.apply(running.context, running.args as unknown[]));
    return fn.apply(running.context, running.args as unknown[]);
  }

  protected override release(): void | Promise<void> {
    this.releases++;
    return this.releaseHook();
  }

  breakWith(error: BrokenExecutorError): void {
    this.markBroken(error);
  }
}

/** A backend that, like the thread and process pools, only runs task references. */
class RefOnlyExecutor extends TestExecutor {
  override readonly capabilities: ExecutorCapabilities = { plainFunctions: false, stopRunning: 'forced', sameObjects: false };
}

interface Call {
  readonly x: number;
  readonly gate: Deferred<number>;
  readonly signal: AbortSignal;
}

/** A task whose every call waits on its own gate, opened by the test: no timing races. */
function gated(): { task: (this: TaskContext, x: number) => Promise<number>; calls: Call[]; active: () => number; maxActive: () => number } {
  const calls: Call[] = [];
  let active = 0;
  let maxActive = 0;
  const task = async function gatedTask(this: TaskContext, x: number): Promise<number> {
    const gate = deferred<number>();
    calls.push({ x, gate, signal: this.signal });
    active++;
    maxActive = Math.max(maxActive, active);
    try {
      return await gate.promise;
    } finally {
      active--;
    }
  };
  return { task, calls, active: () => active, maxActive: () => maxActive };
}

/** Collects every future the executor hands out, through the 'submitted' event. */
function submittedFutures(executor: Executor): Future[] {
  const futures: Future[] = [];
  executor.on('submitted', (future) => futures.push(future));
  return futures;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of iterable) values.push(value);
    return { values, error: undefined };
  } catch (error) {
    return { values, error };
  }
}

const double = (x: number): number => x * 2;
const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(new URL('./fixtures/tasks.ts', import.meta.url));

describe('construction (baseConfig)', () => {
  it('uses the defaults given by the backend', () => {
    const executor = new TestExecutor();
    expect(executor.maxWorkers).toBe(4);
    expect(executor.maxQueue).toBe(Infinity);
    expect(String(executor)).toBe('TestExecutor(maxWorkers=4, running=0, queued=0)');
  });

  it.each([
    [{ maxWorkers: 0 }, RangeError, 'maxWorkers must be >= 1, got 0'],
    [{ maxWorkers: 2.5 }, TypeError, 'maxWorkers must be an integer, got 2.5'],
    [{ maxWorkers: '4' }, TypeError, 'maxWorkers must be an integer, got "4"'],
    [{ maxQueue: -1 }, RangeError, 'maxQueue must be >= 0, got -1'],
    [{ taskTimeout: -1 }, RangeError, 'taskTimeout must be >= 0 milliseconds, got -1'],
    [{ workers: 2 }, TypeError, 'new TestExecutor(): unknown option "workers"; known options are maxWorkers, maxQueue, taskTimeout'],
    ['fast', TypeError, 'new TestExecutor(): options must be an object, got "fast"'],
  ] as const)('%j: %o naming the option', (options, type, message) => {
    expect(() => new TestExecutor(options as never)).toThrow(type);
    expect(() => new TestExecutor(options as never)).toThrow(message);
  });

  it('accepts maxQueue: Infinity and 0, and backend-specific keys when listed', () => {
    expect(new TestExecutor({ maxQueue: Infinity }).maxQueue).toBe(Infinity);
    expect(new TestExecutor({ maxQueue: 0 }).maxQueue).toBe(0);
    const config = baseConfig('X', { maxWorkers: 2, idleTimeout: 5 } as BaseExecutorOptions, { maxWorkers: 1 }, ['idleTimeout']);
    expect(config).toMatchObject({ name: 'X', maxWorkers: 2, maxQueue: Infinity, taskTimeout: undefined });
    expect(config.options).toEqual({ maxWorkers: 2, idleTimeout: 5 });
  });
});

describe('submit', () => {
  it('returns a Future that gives the result', async () => {
    const executor = new TestExecutor();
    const future = executor.submit((a: number, b: number) => a * b, 6, 7);
    expect(future).toBeInstanceOf(Future);
    expect(await future.result()).toBe(42);
    expect(await future).toBe(42);
  });

  it('does not run the task inside submit: a future cancelled at once never runs (Python gh-94440)', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const task = vi.fn(() => 1);
    const future = executor.submit(task);
    expect(future.state).toBe('pending');
    expect(task).not.toHaveBeenCalled();
    expect(future.cancel()).toBe(true);
    await executor.shutdown();
    expect(task).not.toHaveBeenCalled();
    expect(executor.stats).toMatchObject({ submitted: 1, queued: 0, running: 0, cancelled: 1 });
  });

  it("fails the future with the task's own error, thrown or rejected", async () => {
    const executor = new TestExecutor();
    const thrown = new RangeError('sync');
    const rejected = new TypeError('async');
    await expect(
      executor
        .submit(() => {
          throw thrown;
        })
        .result(),
    ).rejects.toBe(thrown);
    await expect(executor.submit(() => Promise.reject(rejected)).result()).rejects.toBe(rejected);
    expect(executor.stats).toMatchObject({ failed: 2, completed: 0 });
  });

  it('adopts a non-native thenable returned by the task', async () => {
    const executor = new TestExecutor();
    const thenable = { then: (resolve: (v: string) => void) => resolve('from thenable') };
    expect(await executor.submit(() => thenable as PromiseLike<string>)).toBe('from thenable');
  });

  it('calls the task with a context whose signal is not aborted, and hands runTask the call details', async () => {
    const executor = new TestExecutor();
    let seenSignal: AbortSignal | undefined;
    const transfer = [new ArrayBuffer(8)];
    const future = executor.submitWith({ transfer }, function (this: TaskContext, x: string) {
      seenSignal = this.signal;
      return x.toUpperCase();
    }, 'abc');
    expect(await future).toBe('ABC');
    expect(seenSignal).toBeInstanceOf(AbortSignal);
    expect(seenSignal?.aborted).toBe(false);
    const running = executor.seen[0]!;
    expect(running.args).toEqual(['abc']);
    expect(running.transfer).toBe(transfer);
    expect(running.future).toBe(future);
  });

  it("names the future after the task", () => {
    const executor = new TestExecutor();
    const future = executor.submit(function square(x: number) {
      return x * x;
    }, 3);
    expect(future.name).toBe('square');
    expect(String(future)).toContain('(square)');
    expect(executor.submit(tasks.square, 2).name).toBe('square');
  });

  it('rejects something that is not a task with a TypeError', () => {
    const executor = new TestExecutor();
    expect(() => executor.submit('square' as unknown as () => void)).toThrow('expected a task reference or a function, got string');
    expect(() => executor.submit({ module: 'file:///x.js', name: 'x' } as unknown as () => void)).toThrow('got an object that is not a task reference');
    expect(executor.stats.submitted).toBe(0);
  });

  it('runs task references', async () => {
    const executor = new TestExecutor();
    expect(await executor.submit(tasks.square, 7)).toBe(49);
    expect(await executor.submit(tasks.greet, 'ada')).toBe('hello ada!');
    expect(await executor.submit(tasks.aborted, 'x')).toEqual({ label: 'x', aborted: false });
    await expect(executor.submit(tasks.fail, 'bad').result()).rejects.toThrow('bad');
  });

  it('a backend without plain-function support says to pass a task reference', async () => {
    const executor = new RefOnlyExecutor();
    expect(() => executor.submit(double, 1)).toThrow(TypeError);
    expect(() => executor.submit(double, 1)).toThrow(/cannot run the plain function double: .*Export it from a module and pass a task reference/);
    expect(() => executor.map(double, [1])).toThrow(/plain function double/);
    expect(() => executor.submit(42 as unknown as () => void)).toThrow('expected a task reference, got number');
    expect(await executor.submit(tasks.add, 2, 3)).toBe(5);
  });

  describe('submitWith options', () => {
    it('rejects bad options with a TypeError naming them', () => {
      const executor = new TestExecutor();
      expect(() => executor.submitWith({ signal: {} } as never, double, 1)).toThrow('signal must be an AbortSignal');
      expect(() => executor.submitWith({ transfer: 'x' } as never, double, 1)).toThrow('transfer must be an array');
      expect(() => executor.submitWith({ timeout: -1 }, double, 1)).toThrow(RangeError);
      expect(() => executor.submitWith({ timout: 1 } as never, double, 1)).toThrow('submitWith: unknown option "timout"');
      expect(() => executor.submitWith(null as never, double, 1)).toThrow('submitWith: options must be an object, got null');
      expect(executor.stats.submitted).toBe(0);
    });
  });
});

describe('maxWorkers', () => {
  it('runs at most maxWorkers tasks at once, starting them in submission order', async () => {
    const executor = new TestExecutor({ maxWorkers: 2 });
    const { task, calls, maxActive } = gated();
    const futures = [1, 2, 3, 4, 5].map((x) => executor.submit(task, x));
    await macrotask();
    expect(calls.map((c) => c.x)).toEqual([1, 2]);
    expect(executor.stats).toMatchObject({ running: 2, queued: 3 });
    expect(futures.map((f) => f.state)).toEqual(['running', 'running', 'pending', 'pending', 'pending']);
    expect(String(executor)).toBe('TestExecutor(maxWorkers=2, running=2, queued=3)');

    calls[1]!.gate.resolve(20);
    await macrotask();
    expect(calls.map((c) => c.x)).toEqual([1, 2, 3]);
    for (let i = 0; i < 5; i++) {
      await macrotask();
      calls[i]!.gate.resolve(i * 10);
    }
    expect(await Promise.all(futures)).toEqual([0, 20, 20, 30, 40]);
    expect(maxActive()).toBe(2);
    expect(executor.stats).toMatchObject({ running: 0, queued: 0, completed: 5 });
  });
});

describe('maxQueue', () => {
  it('throws QueueFullError when maxQueue tasks already wait; nothing is lost', async () => {
    const executor = new TestExecutor({ maxWorkers: 1, maxQueue: 2 });
    const { task, calls } = gated();
    const running = executor.submit(task, 1);
    await macrotask();
    const waiting = [executor.submit(task, 2), executor.submit(task, 3)];
    let error: unknown;
    try {
      executor.submit(task, 4);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QueueFullError);
    expect((error as QueueFullError).code).toBe('ERR_EXECUTOR_QUEUE_FULL');
    expect((error as Error).message).toMatch(/^TestExecutor queue is full: 2 tasks waiting \(maxQueue=2\), 1 running/);
    expect((error as Error).message).toContain('onQueueBelow()');
    expect(executor.stats).toMatchObject({ submitted: 3, queued: 2, running: 1 });

    for (let i = 0; i < 3; i++) {
      await macrotask();
      calls[i]!.gate.resolve(calls[i]!.x);
    }
    expect(await Promise.all([running, ...waiting])).toEqual([1, 2, 3]);
    expect(calls.map((c) => c.x)).toEqual([1, 2, 3]); // the refused task never ran
    const again = executor.submit(task, 5); // there is room again
    await macrotask();
    calls[3]!.gate.resolve(5);
    expect(await again).toBe(5);
  });

  it('counts only tasks that wait: tasks submitted in one go while workers are free are not "queued"', async () => {
    const executor = new TestExecutor({ maxWorkers: 4, maxQueue: 1 });
    const { task, calls } = gated();
    const futures = [1, 2, 3, 4, 5].map((x) => executor.submit(task, x)); // 4 run, 1 waits
    expect(() => executor.submit(task, 6)).toThrow(QueueFullError);
    await macrotask();
    expect(calls).toHaveLength(4);
    for (let i = 0; i < 5; i++) {
      await macrotask();
      calls[i]!.gate.resolve(i);
    }
    expect(await Promise.all(futures)).toEqual([0, 1, 2, 3, 4]);
  });

  it('maxQueue: 0 accepts a task only when a worker is free', async () => {
    const executor = new TestExecutor({ maxWorkers: 2, maxQueue: 0 });
    const { task, calls } = gated();
    const a = executor.submit(task, 1);
    const b = executor.submit(task, 2);
    expect(() => executor.submit(task, 3)).toThrow(QueueFullError);
    await macrotask();
    calls[0]!.gate.resolve(1);
    expect(await a).toBe(1);
    const c = executor.submit(task, 3);
    await macrotask();
    calls[1]!.gate.resolve(2);
    calls[2]!.gate.resolve(3);
    expect(await Promise.all([b, c])).toEqual([2, 3]);
  });

  it('map waits for room instead of throwing', async () => {
    for (const maxQueue of [0, 1, 3]) {
      const executor = new TestExecutor({ maxWorkers: 2, maxQueue });
      const slow = async (x: number): Promise<number> => {
        await macrotask();
        return x * 2;
      };
      let maxWaiting = 0;
      executor.on('submitted', () => {
        maxWaiting = Math.max(maxWaiting, executor.stats.queued + executor.stats.running - executor.maxWorkers);
      });
      const { values, error } = await collect(executor.map(slow, Array.from({ length: 20 }, (_, i) => i)));
      expect(error).toBeUndefined();
      expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
      expect(maxWaiting).toBeLessThanOrEqual(maxQueue);
    }
  });

  it('map with async input waits for room even when another producer fills the queue meanwhile', async () => {
    const executor = new TestExecutor({ maxWorkers: 1, maxQueue: 1 });
    const { task, calls } = gated();
    const other: Future<number>[] = [];
    async function* input(): AsyncGenerator<number> {
      yield 1;
      // While the map reads its input, someone else takes the free queue place.
      other.push(executor.submit(task, 100));
      yield 2;
    }
    const iterator = executor.map(task, input());
    let settled = false;
    const result = collect(iterator).finally(() => (settled = true));
    for (const [index, expected] of [1, 100, 2].entries()) {
      for (let turns = 0; calls.length <= index && !settled && turns < 100; turns++) await macrotask();
      if (settled) break; // the map ended early: the assertion below says how
      expect(calls[index]!.x).toBe(expected);
      calls[index]!.gate.resolve(expected);
    }
    expect(await result).toEqual({ values: [1, 2], error: undefined });
    expect(await other[0]).toBe(100);
  });

  it('onQueueBelow resolves once fewer tasks are queued', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const futures = [1, 2, 3].map((x) => executor.submit(task, x));
    await macrotask();
    expect(await promiseState(executor.onQueueBelow(3))).toBe('fulfilled');
    const below2 = executor.onQueueBelow(2);
    const below1 = executor.onQueueBelow(1);
    expect(await promiseState(below2)).toBe('pending');
    calls[0]!.gate.resolve(0);
    expect(await promiseState(below2)).toBe('fulfilled');
    expect(await promiseState(below1)).toBe('pending');
    futures[2]!.cancel();
    expect(await promiseState(below1)).toBe('fulfilled');
    calls[1]!.gate.resolve(1);
    await executor.onIdle();
    expect(() => executor.onQueueBelow(-1)).toThrow('size must be >= 0, got -1');
    expect(() => executor.onQueueBelow(1.5)).toThrow(TypeError);
  });

  it('onQueueBelow(0) resolves when a worker is free', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    expect(await promiseState(executor.onQueueBelow(0))).toBe('fulfilled');
    executor.submit(task, 1);
    await macrotask();
    const free = executor.onQueueBelow(0);
    expect(await promiseState(free)).toBe('pending');
    calls[0]!.gate.resolve(1);
    expect(await promiseState(free)).toBe('fulfilled');
  });
});

describe('map', () => {
  it('yields results in input order, whatever order the tasks finish in', async () => {
    const executor = new TestExecutor({ maxWorkers: 5 });
    const { task, calls } = gated();
    const result = collect(executor.map(task, [1, 2, 3, 4, 5]));
    await macrotask();
    for (const i of [4, 2, 0, 3, 1]) {
      calls[i]!.gate.resolve(calls[i]!.x * 10);
      await macrotask();
    }
    expect(await result).toEqual({ values: [10, 20, 30, 40, 50], error: undefined });
  });

  it('takes sync iterables (array, Set, generator) and async iterables', async () => {
    const executor = new TestExecutor();
    function* gen(): Generator<number> {
      yield 1;
      yield 2;
    }
    async function* agen(): AsyncGenerator<number> {
      yield 3;
      await sleep(1);
      yield 4;
    }
    expect((await collect(executor.map(double, [1, 2]))).values).toEqual([2, 4]);
    expect((await collect(executor.map(double, new Set([5, 6])))).values).toEqual([10, 12]);
    expect((await collect(executor.map(double, gen()))).values).toEqual([2, 4]);
    expect((await collect(executor.map(double, agen()))).values).toEqual([6, 8]);
    expect((await collect(executor.map(double, []))).values).toEqual([]);
    expect((await collect(executor.map(tasks.square, [1, 2, 3]))).values).toEqual([1, 4, 9]);
  });

  it('is its own async iterator and serves concurrent next() calls in order', async () => {
    const executor = new TestExecutor();
    const iterator = executor.map(double, [1, 2, 3]);
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
    const steps = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
    expect(steps).toEqual([
      { done: false, value: 2 },
      { done: false, value: 4 },
      { done: false, value: 6 },
      { done: true, value: undefined },
    ]);
  });

  it('without buffersize submits every item at the call (Python semantics)', () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    let produced = 0;
    function* items(): Generator<number> {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield i;
      }
    }
    const iterator = executor.map(double, items());
    expect(produced).toBe(10);
    expect(executor.stats.submitted).toBe(10);
    void iterator.return!();
  });

  it('with buffersize reads a sync input lazily: never more than buffersize items ahead', async () => {
    const executor = new TestExecutor({ maxWorkers: 4 });
    let produced = 0;
    let closed = false;
    function* naturals(): Generator<number> {
      try {
        for (let i = 1; ; i++) {
          produced++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    const iterator = executor.map(double, naturals(), { buffersize: 2 });
    expect(produced).toBe(2);
    const values: number[] = [];
    for await (const value of iterator) {
      values.push(value);
      expect(produced).toBe(values.length + 2);
      expect(executor.stats.submitted).toBe(values.length + 2);
      if (values.length === 5) break;
    }
    expect(values).toEqual([2, 4, 6, 8, 10]);
    expect(produced).toBe(7);
    expect(closed).toBe(true); // break closed the endless input
  });

  it('with buffersize reads an async input lazily', async () => {
    const executor = new TestExecutor({ maxWorkers: 4 });
    let produced = 0;
    async function* numbers(): AsyncGenerator<number> {
      for (let i = 1; i <= 20; i++) {
        produced++;
        await macrotask();
        yield i;
      }
    }
    const values: number[] = [];
    for await (const value of executor.map(double, numbers(), { buffersize: 3 })) {
      values.push(value);
      expect(produced).toBeLessThanOrEqual(values.length + 3);
    }
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 2));
    expect(produced).toBe(20);
  });

  it('an input that throws ends the map with its error after the earlier results', async () => {
    const executor = new TestExecutor();
    const error = new Error('input broke');
    function* items(): Generator<number> {
      yield 1;
      yield 2;
      throw error;
    }
    expect(await collect(executor.map(double, items()))).toEqual({ values: [2, 4], error });
    async function* asyncItems(): AsyncGenerator<number> {
      yield 1;
      throw error;
    }
    expect(await collect(executor.map(double, asyncItems(), { buffersize: 1 }))).toEqual({ values: [2], error });
  });

  it('a failing task ends the map with its error at its position and cancels what has not started', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const error = new Error('item 2 failed');
    const futures = submittedFutures(executor);
    const mixed = function (this: TaskContext, x: number): number | Promise<number> {
      if (x === 2) throw error;
      return task.call(this, x);
    };
    const iterator = executor.map(mixed, [1, 2, 3, 4, 5]);
    await macrotask();
    calls[0]!.gate.resolve(1);
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    await expect(iterator.next()).rejects.toBe(error);
    expect(futures.map((f) => f.state)).toEqual(['finished', 'finished', 'running', 'cancelled', 'cancelled']);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    calls[1]!.gate.resolve(3); // the task that was running goes on and finishes
    expect(await futures[2]).toBe(3);
    expect(executor.stats).toMatchObject({ completed: 2, failed: 1, cancelled: 2 });
  });

  it('break cancels the tasks that have not started', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const futures = submittedFutures(executor);
    const iterator = executor.map(task, [1, 2, 3, 4, 5]);
    expect(futures).toHaveLength(5);
    await macrotask();
    calls[0]!.gate.resolve(1);
    for await (const value of iterator) {
      expect(value).toBe(1);
      break;
    }
    expect(futures[1]!.running()).toBe(true);
    expect(futures.slice(2).every((f) => f.cancelled())).toBe(true);
    calls[1]!.gate.resolve(2);
    expect(await futures[1]).toBe(2);
    await executor.onIdle();
    expect(calls).toHaveLength(2);
    expect(executor.stats).toMatchObject({ completed: 2, cancelled: 3 });
  });

  it('return() on a map nobody read cancels every task that has not started', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const futures = submittedFutures(executor);
    const iterator = executor.map(double, [1, 2, 3]);
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    expect(futures.every((f) => f.cancelled())).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  describe('timeout', () => {
    it('is counted from the call: a consumer that starts late times out at once and unstarted tasks are cancelled', async () => {
      const executor = new TestExecutor({ maxWorkers: 1 });
      const { task, calls } = gated();
      const futures = submittedFutures(executor);
      const iterator = executor.map(task, [1, 2, 3], { timeout: 20 });
      await sleep(40);
      const next = iterator.next();
      expect(await promiseState(next)).toBe('rejected');
      const error = await next.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toBe('TestExecutor.map did not complete within 20ms (0 results yielded, 3 submitted and not yielded)');
      expect(futures.map((f) => f.state)).toEqual(['running', 'cancelled', 'cancelled']);
      calls[0]!.gate.resolve(1); // the running task is not stopped by the map's timeout
      expect(await futures[0]).toBe(1);
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });

    it('results that are already done are still yielded after the deadline', async () => {
      const executor = new TestExecutor();
      const iterator = executor.map(double, [1, 2, 3], { timeout: 10 });
      await sleep(25);
      expect(await collect(iterator)).toEqual({ values: [2, 4, 6], error: undefined });
    });

    it('also bounds the wait for a slow input', async () => {
      const executor = new TestExecutor();
      const never = deferred<number>();
      async function* slowInput(): AsyncGenerator<number> {
        yield 1;
        yield await never.promise;
      }
      const { values, error } = await collect(executor.map(double, slowInput(), { timeout: 20 }));
      expect(values).toEqual([2]);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toMatch(/^TestExecutor\.map did not complete within 20ms \(1 results yielded/);
    });
  });

  describe('signal', () => {
    it('an abort stops the map: it throws the reason, running tasks are aborted, queued ones cancelled', async () => {
      const executor = new TestExecutor({ maxWorkers: 1 });
      const { task, calls } = gated();
      const futures = submittedFutures(executor);
      const controller = new AbortController();
      const iterator = executor.map(task, [1, 2, 3], { signal: controller.signal });
      await macrotask();
      const next = iterator.next();
      const reason = new Error('stop the map');
      controller.abort(reason);
      await expect(next).rejects.toBe(reason);
      await expect(futures[0]!.result()).rejects.toBe(reason);
      expect(calls[0]!.signal.aborted).toBe(true);
      expect(calls[0]!.signal.reason).toBe(reason);
      expect(futures.slice(1).every((f) => f.cancelled())).toBe(true);
      expect(executor.stats.running).toBe(1); // the slot is busy until the task really ends
      calls[0]!.gate.resolve(1);
      await executor.onIdle();
      expect(calls).toHaveLength(1);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('an already-aborted signal makes map throw its reason', () => {
      const executor = new TestExecutor();
      const reason = new Error('already');
      let thrown: unknown;
      try {
        executor.map(double, [1], { signal: AbortSignal.abort(reason) });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBe(reason);
      expect(executor.stats.submitted).toBe(0);
    });

    it('an abort while waiting for the input ends the map', async () => {
      const executor = new TestExecutor();
      const controller = new AbortController();
      const never = deferred<number>();
      async function* stuck(): AsyncGenerator<number> {
        yield await never.promise;
      }
      const next = executor.map(double, stuck(), { signal: controller.signal }).next();
      expect(await promiseState(next)).toBe('pending');
      controller.abort('enough');
      await expect(next).rejects.toBe('enough');
    });

    it('leaves no abort listener behind once the map is done', async () => {
      const executor = new TestExecutor();
      const controller = new AbortController();
      expect((await collect(executor.map(double, [1, 2, 3], { signal: controller.signal }))).values).toEqual([2, 4, 6]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });
  });

  describe('starmap', () => {
    it('spreads each item as the arguments', async () => {
      const executor = new TestExecutor();
      const add = (a: number, b: number): number => a + b;
      expect((await collect(executor.starmap(add, [[1, 2], [3, 4]]))).values).toEqual([3, 7]);
      async function* pairs(): AsyncGenerator<[number, number]> {
        yield [10, 1];
        yield [20, 2];
      }
      expect((await collect(executor.starmap(add, pairs(), { buffersize: 1 }))).values).toEqual([11, 22]);
      expect((await collect(executor.starmap(tasks.add, [[5, 5]]))).values).toEqual([10]);
    });

    it('an item that is not an array is a TypeError at its position; the input is closed', async () => {
      const executor = new TestExecutor();
      let closed = false;
      function* items(): Generator<unknown> {
        try {
          yield [1, 2];
          yield 5;
          yield [3, 4];
        } finally {
          closed = true;
        }
      }
      const add = (a: number, b: number): number => a + b;
      const { values, error } = await collect(executor.starmap(add, items() as Iterable<[number, number]>));
      expect(values).toEqual([3]);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe('starmap expects each item to be an array of arguments, got number');
      expect(executor.stats.submitted).toBe(1);
      expect(closed).toBe(true);
    });
  });

  describe('bad arguments', () => {
    it('rejects bad options with errors naming them', () => {
      const executor = new TestExecutor();
      expect(() => executor.map(double, [1], { buffersize: 0 })).toThrow('buffersize must be >= 1, got 0');
      expect(() => executor.map(double, [1], { chunksize: 1.5 })).toThrow('chunksize must be an integer, got 1.5');
      expect(() => executor.map(double, [1], { timeout: -1 })).toThrow(RangeError);
      expect(() => executor.map(double, [1], { signal: 'x' } as never)).toThrow('signal must be an AbortSignal');
      expect(() => executor.map(double, [1], { bufferSize: 2 } as never)).toThrow('map: unknown option "bufferSize"');
      expect(executor.stats.submitted).toBe(0);
    });

    it('rejects a non-iterable input and a non-task', () => {
      const executor = new TestExecutor();
      expect(() => executor.map(double, null as never)).toThrow('map expects an iterable or async iterable, got null');
      expect(() => executor.map(double, 5 as never)).toThrow('got number');
      expect(() => executor.map('double' as unknown as typeof double, [1])).toThrow(TypeError);
    });

    it('accepts chunksize (in-process executors ignore it)', async () => {
      const executor = new TestExecutor();
      expect((await collect(executor.map(double, [1, 2, 3], { chunksize: 2 }))).values).toEqual([2, 4, 6]);
    });
  });
});

describe('shutdown', () => {
  it('waits for running and queued tasks, then releases once and emits "shutdown"', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const futures = [1, 2, 3].map((x) => executor.submit(task, x));
    const events: string[] = [];
    executor.on('shutdown', () => events.push(`shutdown after ${executor.releases} release`));
    const closing = executor.shutdown();
    expect(executor.isShutdown).toBe(true);
    for (let i = 0; i < 3; i++) {
      await macrotask();
      expect(await promiseState(closing)).toBe('pending');
      calls[i]!.gate.resolve(i);
    }
    await closing;
    expect(futures.every((f) => f.state === 'finished')).toBe(true);
    expect(await Promise.all(futures)).toEqual([0, 1, 2]);
    expect(events).toEqual(['shutdown after 1 release']);
  });

  it('wait: false resolves at once; the tasks still run to the end', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const futures = [1, 2].map((x) => executor.submit(task, x));
    await executor.shutdown({ wait: false });
    await macrotask();
    expect(futures.map((f) => f.state)).toEqual(['running', 'pending']);
    expect(executor.releases).toBe(0);
    calls[0]!.gate.resolve(1);
    await macrotask();
    calls[1]!.gate.resolve(2);
    expect(await Promise.all(futures)).toEqual([1, 2]);
    await executor.shutdown(); // a later waiting call resolves once everything is released
    expect(executor.releases).toBe(1);
  });

  it('cancelFutures cancels the queued tasks and lets the running one finish', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const futures = [1, 2, 3, 4, 5].map((x) => executor.submit(task, x));
    await macrotask();
    const closing = executor.shutdown({ cancelFutures: true });
    expect(futures.map((f) => f.state)).toEqual(['running', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(executor.stats).toMatchObject({ queued: 0, running: 1, cancelled: 4 });
    calls[0]!.gate.resolve(1);
    await closing;
    expect(await futures[0]).toBe(1);
    await expect(futures[1]!.result()).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toHaveLength(1);
  });

  it('cancelFutures right after submit cancels everything, nothing runs', async () => {
    const executor = new TestExecutor({ maxWorkers: 2 });
    const task = vi.fn(double);
    const futures = [1, 2, 3].map((x) => executor.submit(task, x));
    await executor.shutdown({ cancelFutures: true });
    expect(futures.every((f) => f.cancelled())).toBe(true);
    expect(task).not.toHaveBeenCalled();
  });

  it('is idempotent: release and the "shutdown" event happen once', async () => {
    const executor = new TestExecutor();
    const shutdownEvents = vi.fn();
    executor.on('shutdown', shutdownEvents);
    const future = executor.submit(async () => {
      await sleep(5);
      return 'x';
    });
    await Promise.all([executor.shutdown(), executor.shutdown(), executor.shutdown({ wait: false })]);
    await executor.shutdown();
    expect(executor.releases).toBe(1);
    expect(shutdownEvents).toHaveBeenCalledTimes(1);
    expect(await future).toBe('x');
  });

  it('submit, submitWith, map and starmap after shutdown throw ExecutorShutdownError', async () => {
    const executor = new TestExecutor();
    await executor.shutdown();
    expect(() => executor.submit(double, 1)).toThrow(ExecutorShutdownError);
    expect(() => executor.submit(double, 1)).toThrow('cannot schedule new futures after shutdown (TestExecutor)');
    expect(() => executor.submitWith({}, double, 1)).toThrow(ExecutorShutdownError);
    expect(() => executor.map(double, [1])).toThrow(ExecutorShutdownError);
    expect(() => executor.starmap(double, [[1]])).toThrow(ExecutorShutdownError);
    expect(executor.stats.submitted).toBe(0);
  });

  it('a map still reading its input when shutdown starts ends with ExecutorShutdownError after its results', async () => {
    const executor = new TestExecutor();
    let closed = false;
    function* items(): Generator<number> {
      try {
        for (let i = 1; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const iterator = executor.map(double, items(), { buffersize: 2 });
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    await executor.shutdown();
    const { values, error } = await collect(iterator);
    expect(values).toEqual([4, 6]);
    expect(error).toBeInstanceOf(ExecutorShutdownError);
    expect((error as ExecutorShutdownError).code).toBe('ERR_EXECUTOR_SHUTDOWN');
    expect(closed).toBe(true);
  });

  it('many queued tasks all settle through a waiting shutdown (Python issue 12364)', async () => {
    const executor = new TestExecutor({ maxWorkers: 3 });
    const futures = Array.from({ length: 50 }, (_, i) =>
      executor.submit(async (x: number) => {
        await macrotask();
        return x;
      }, i),
    );
    await executor.shutdown();
    expect(await Promise.all(futures)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('`await using` shuts the executor down, waiting, at the end of the scope', async () => {
    let outer: TestExecutor | undefined;
    let future: Future<number> | undefined;
    {
      await using executor = new TestExecutor();
      outer = executor;
      future = executor.submit(async (x: number) => {
        await sleep(5);
        return x;
      }, 3);
    }
    expect(outer.isShutdown).toBe(true);
    expect(outer.releases).toBe(1);
    expect(future.state).toBe('finished');
    expect(await future).toBe(3);
  });

  it('a failing release rejects the waiting shutdown', async () => {
    const executor = new TestExecutor();
    executor.releaseHook = () => {
      throw new Error('release failed');
    };
    await expect(executor.shutdown()).rejects.toThrow('release failed');
    const quiet = new TestExecutor();
    quiet.releaseHook = () => Promise.reject(new Error('nobody waits'));
    await quiet.shutdown({ wait: false }); // no unhandled rejection
    await macrotask();
  });

  it('rejects unknown options', () => {
    const executor = new TestExecutor();
    expect(() => executor.shutdown({ cancel_futures: true } as never)).toThrow('shutdown: unknown option "cancel_futures"');
    expect(executor.isShutdown).toBe(false);
  });

  it('onIdle resolves at once when idle, and when the last task settles', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    expect(await promiseState(executor.onIdle())).toBe('fulfilled');
    const { task, calls } = gated();
    executor.submit(task, 1);
    executor.submit(task, 2);
    const idle = executor.onIdle();
    await macrotask();
    calls[0]!.gate.resolve(1);
    expect(await promiseState(idle)).toBe('pending');
    await macrotask();
    calls[1]!.gate.resolve(2);
    expect(await promiseState(idle)).toBe('fulfilled');
  });
});

describe('per-task timeout', () => {
  it('fails the future with TaskTimeoutError, aborts the task, and keeps the slot busy until the task ends', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const slow = executor.submitWith({ timeout: 20 }, task, 1);
    const next = executor.submit(task, 2);
    const error = await slow.exception();
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as TaskTimeoutError).code).toBe('ERR_TASK_TIMEOUT');
    expect((error as TaskTimeoutError).timeout).toBe(20);
    expect((error as Error).message).toBe(`task gatedTask (future #${slow.id}) timed out after 20ms and was stopped`);
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[0]!.signal.reason).toBe(error);
    expect(executor.stats).toMatchObject({ running: 1, queued: 1, failed: 1 });
    await sleep(10);
    expect(next.state).toBe('pending'); // the slot is still taken
    calls[0]!.gate.resolve(1); // now the task really ends
    await macrotask();
    expect(next.running()).toBe(true);
    expect(await slow.exception()).toBe(error); // the late result is ignored
    calls[1]!.gate.resolve(2);
    expect(await next).toBe(2);
    expect(executor.stats).toMatchObject({ completed: 1, failed: 1, running: 0 });
  });

  it('is counted from when the task starts, not from submit', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    executor.submit(task, 1);
    const quick = executor.submitWith({ timeout: 20 }, double, 2);
    await sleep(40);
    calls[0]!.gate.resolve(1);
    expect(await quick).toBe(4);
  });

  it('the executor taskTimeout is the default; submitWith overrides it, Infinity removes it', async () => {
    const executor = new TestExecutor({ taskTimeout: 10 });
    const { task, calls } = gated();
    const byDefault = executor.submit(task, 1);
    const shorter = executor.submitWith({ timeout: 5 }, task, 2);
    const unlimited = executor.submitWith({ timeout: Infinity }, task, 3);
    expect(((await byDefault.exception()) as TaskTimeoutError).timeout).toBe(10);
    expect(((await shorter.exception()) as TaskTimeoutError).timeout).toBe(5);
    await sleep(20);
    expect(unlimited.running()).toBe(true);
    for (const call of calls) call.gate.resolve(call.x);
    expect(await unlimited).toBe(3);
  });

  it('a task that finishes in time is not affected', async () => {
    const executor = new TestExecutor({ taskTimeout: 30 });
    let signal: AbortSignal | undefined;
    const future = executor.submit(function (this: TaskContext) {
      signal = this.signal;
      return 'fast';
    });
    expect(await future).toBe('fast');
    await sleep(40);
    expect(signal?.aborted).toBe(false);
    expect(executor.stats).toMatchObject({ completed: 1, failed: 0 });
  });
});

describe('submitWith signal', () => {
  it('many tasks sharing one signal add one listener to it (no MaxListenersExceededWarning), removed when they are done', async () => {
    const executor = new TestExecutor({ maxWorkers: 2 });
    const { task, calls } = gated();
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const futures = Array.from({ length: 50 }, (_, i) => executor.submitWith({ signal: controller.signal }, task, i));
      await macrotask();
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      controller.abort(new Error('stop'));
      expect(futures.filter((future) => future.cancelled())).toHaveLength(48); // the two running ones reject with the reason
      await expect(futures[0]!).rejects.toThrow('stop');
      for (const call of calls) call.gate.resolve(0);
      await executor.onIdle();
      await macrotask();
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('an abort while queued cancels the future; the task never runs', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    executor.submit(task, 1);
    const controller = new AbortController();
    const future = executor.submitWith({ signal: controller.signal }, task, 2);
    await macrotask();
    controller.abort('no longer needed');
    expect(future.cancelled()).toBe(true);
    expect(executor.stats).toMatchObject({ queued: 0, running: 1, cancelled: 1 });
    calls[0]!.gate.resolve(1);
    await executor.onIdle();
    expect(calls).toHaveLength(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it("an abort while running rejects the future with the reason at once and aborts the task's this.signal", async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const controller = new AbortController();
    const future = executor.submitWith({ signal: controller.signal }, task, 1);
    const next = executor.submit(task, 2);
    await macrotask();
    expect(future.running()).toBe(true);
    const reason = new Error('user aborted');
    controller.abort(reason);
    expect(future.state).toBe('finished');
    await expect(future.result()).rejects.toBe(reason);
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[0]!.signal.reason).toBe(reason);
    expect(executor.stats).toMatchObject({ running: 1, failed: 1 });
    await macrotask();
    expect(next.state).toBe('pending'); // slot busy until the task ends
    calls[0]!.gate.resolve(1);
    await macrotask();
    calls[1]!.gate.resolve(2);
    expect(await next).toBe(2);
    expect(executor.stats).toMatchObject({ running: 0, completed: 1, failed: 1 });
  });

  it('an already-aborted signal gives a cancelled future and leaves the counters consistent', async () => {
    const executor = new TestExecutor();
    const task = vi.fn(double);
    const settled = vi.fn();
    executor.on('settled', settled);
    const future = executor.submitWith({ signal: AbortSignal.abort() }, task, 1);
    expect(future.cancelled()).toBe(true);
    expect(settled).toHaveBeenCalledWith(future);
    expect(executor.stats).toEqual({ submitted: 1, queued: 0, running: 0, completed: 0, failed: 0, cancelled: 1 });
    expect(await promiseState(executor.onIdle())).toBe('fulfilled');
    expect(await promiseState(executor.shutdown())).toBe('fulfilled');
    expect(task).not.toHaveBeenCalled();
  });

  it('an abort after the task finished changes nothing, and no listener is left on the signal', async () => {
    const executor = new TestExecutor();
    const controller = new AbortController();
    const future = executor.submitWith({ signal: controller.signal }, double, 4);
    expect(await future).toBe(8);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(await future).toBe(8);
    expect(executor.stats).toMatchObject({ completed: 1, failed: 0 });
  });
});

describe('stats and events', () => {
  it('counts and reports every step of every future', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const log: string[] = [];
    const label = (future: Future): string => future.name ?? '?';
    executor.on('submitted', (f) => log.push(`submitted ${label(f)}`));
    executor.on('started', (f) => log.push(`started ${label(f)}`));
    executor.on('settled', (f) => log.push(`settled ${label(f)} ${f.state}`));
    executor.on('idle', () => log.push('idle'));
    executor.on('shutdown', () => log.push('shutdown'));
    const ok = executor.submit(function ok() {
      return 1;
    });
    const bad = executor.submit(function bad() {
      throw new Error('x');
    });
    const skipped = executor.submit(function skipped() {
      return 3;
    });
    expect(executor.stats).toEqual({ submitted: 3, queued: 3, running: 0, completed: 0, failed: 0, cancelled: 0 });
    skipped.cancel();
    await executor.onIdle();
    await executor.shutdown();
    expect(log).toEqual([
      'submitted ok',
      'submitted bad',
      'submitted skipped',
      'settled skipped cancelled',
      'started ok',
      'settled ok finished',
      'started bad',
      'settled bad finished',
      'idle',
      'shutdown',
    ]);
    expect(executor.stats).toEqual({ submitted: 3, queued: 0, running: 0, completed: 1, failed: 1, cancelled: 1 });
    expect(await ok).toBe(1);
    await expect(bad.result()).rejects.toThrow('x');
  });

  it('on() returns a remover, off() removes, once() fires once', async () => {
    const executor = new TestExecutor();
    const onListener = vi.fn();
    const offListener = vi.fn();
    const onceListener = vi.fn();
    const remove = executor.on('settled', onListener);
    executor.on('settled', offListener);
    executor.off('settled', offListener);
    executor.once('settled', onceListener);
    await executor.submit(double, 1);
    remove();
    await executor.submit(double, 2);
    expect(onListener).toHaveBeenCalledTimes(1);
    expect(offListener).not.toHaveBeenCalled();
    expect(onceListener).toHaveBeenCalledTimes(1);
    expect(() => executor.on('idle', 'nope' as never)).toThrow('listener for "idle" must be a function');
  });

  it('a throwing listener is reported and does not stop the others or the executor', async () => {
    const executor = new TestExecutor();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const error = new Error('listener bug');
      const after = vi.fn();
      executor.on('started', () => {
        throw error;
      });
      executor.on('started', after);
      expect(await executor.submit(double, 21)).toBe(42);
      expect(after).toHaveBeenCalledTimes(1);
      expect(spy).toHaveBeenCalledWith('exception in "started" listener:', error);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('markBroken', () => {
  class PoolBrokenError extends BrokenExecutorError {}

  it('fails every queued future with the error, lets the running task finish, and refuses new tasks', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const running = executor.submit(task, 1);
    const queued = [executor.submit(task, 2), executor.submit(task, 3)];
    const cancelled = executor.submit(task, 4);
    cancelled.cancel();
    await macrotask();
    const room = executor.onQueueBelow(1);
    const error = new PoolBrokenError('a worker died while the pool was starting');
    executor.breakWith(error);
    expect(executor.isBroken).toBe(true);
    for (const future of queued) await expect(future.result()).rejects.toBe(error);
    expect(cancelled.cancelled()).toBe(true);
    expect(running.running()).toBe(true);
    expect(executor.stats).toMatchObject({ queued: 0, running: 1, failed: 2, cancelled: 1 });
    expect(await promiseState(room)).toBe('fulfilled');

    let thrown: unknown;
    try {
      executor.submit(task, 5);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(error);
    expect(thrown).toBeInstanceOf(BrokenExecutorError);
    expect((thrown as Error).name).toBe('PoolBrokenError');

    executor.breakWith(new BrokenExecutorError('second')); // the first error stays
    expect(() => executor.submit(task, 6)).toThrow('a worker died while the pool was starting');

    calls[0]!.gate.resolve(1);
    expect(await running).toBe(1);
    await executor.shutdown();
    expect(calls).toHaveLength(1);
  });

  it('a map in progress ends with the error', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    const { task, calls } = gated();
    const iterator = executor.map(task, [1, 2, 3]);
    await macrotask();
    const error = new BrokenExecutorError('broken');
    executor.breakWith(error);
    calls[0]!.gate.resolve(1);
    expect(await collect(iterator)).toEqual({ values: [1], error });
  });
});

describe('scale', () => {
  it('100k synchronous tasks do not overflow the stack', async () => {
    const executor = new TestExecutor({ maxWorkers: 8 });
    const futures: Future<number>[] = [];
    for (let i = 0; i < 100_000; i++) futures.push(executor.submit(double, i));
    await executor.onIdle();
    expect(futures.every((f) => f.state === 'finished')).toBe(true);
    expect(await futures[99_999]).toBe(199_998);
    expect(executor.stats).toMatchObject({ submitted: 100_000, completed: 100_000 });
  });

  it('100k items through map with a synchronous task, and 100k cancellations at shutdown', async () => {
    const executor = new TestExecutor({ maxWorkers: 1 });
    let sum = 0;
    let count = 0;
    function* range(n: number): Generator<number> {
      for (let i = 0; i < n; i++) yield i;
    }
    for await (const value of executor.map(double, range(100_000), { buffersize: 1000 })) {
      sum += value;
      count++;
    }
    expect(count).toBe(100_000);
    expect(sum).toBe(99_999 * 100_000);

    const { task, calls } = gated();
    const blocker = executor.submit(task, 0);
    const futures: Future<number>[] = [];
    for (let i = 0; i < 100_000; i++) futures.push(executor.submit(double, i));
    await macrotask();
    const closing = executor.shutdown({ cancelFutures: true });
    expect(futures.every((f) => f.cancelled())).toBe(true);
    calls[0]!.gate.resolve(0);
    await closing;
    expect(await blocker).toBe(0);
  });
});

describe('timing (recordTiming)', () => {
  it('is undefined unless recordTiming is on, and validated', async () => {
    await using plain = new TestExecutor();
    expect(plain.timing).toBeUndefined();
    expect(() => new TestExecutor({ recordTiming: 'yes' as never })).toThrow('recordTiming must be a boolean, got string');
  });

  it('reports wait and run percentiles of the tasks', async () => {
    await using executor = new TestExecutor({ maxWorkers: 1, recordTiming: true });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all(Array.from({ length: 5 }, () => executor.submit(() => sleep(20))));
    const timing = executor.timing!;
    expect(timing.run.count).toBe(5);
    expect(timing.wait.count).toBe(5);
    expect(timing.run.p50).toBeGreaterThanOrEqual(15); // each task sleeps 20 ms
    expect(timing.wait.max).toBeGreaterThanOrEqual(60); // the last waited for the four before it
    expect(timing.run.p50).toBeLessThanOrEqual(timing.run.p90);
    expect(timing.run.p90).toBeLessThanOrEqual(timing.run.max);
  });
});
