import { BrokenExecutorError, type ChunkResults, WorkerCrashedError, defineTasks, type Future } from '@futures/core';
import { describe, expect, it } from 'vitest';
import { faultTasks } from '@futures/test-suite';
import { Lock, ThreadPoolExecutor, Value } from '../src/index.js';

const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(new URL('./fixtures/tasks.ts', import.meta.url));

describe('ThreadPoolExecutor options', () => {
  it.each([
    [{ maxWorkers: 0 }, RangeError, 'maxWorkers must be >= 1, got 0'],
    [{ minWorkers: -1 }, RangeError, 'minWorkers must be >= 0, got -1'],
    [{ maxWorkers: 2, minWorkers: 3 }, RangeError, 'minWorkers (3) must be <= maxWorkers (2)'],
    [{ maxBatchSize: 0 }, RangeError, 'maxBatchSize must be >= 1, got 0'],
    [{ idleTimeout: -1 }, RangeError, 'idleTimeout must be >= 0 milliseconds, got -1'],
    [{ onWorkerCrash: 'explode' }, TypeError, `onWorkerCrash must be 'replace' or 'break', got "explode"`],
    [{ initializer: () => undefined }, TypeError, 'initializer must be a task reference (from defineTasks), not a function'],
    [{ initArgs: 'x' }, TypeError, 'initArgs must be an array'],
    [{ execArgv: [1] }, TypeError, 'execArgv must be an array of strings'],
    [{ maxThreads: 4 }, TypeError, 'new ThreadPoolExecutor(): unknown option "maxThreads"'],
  ])('rejects %j with an exact message', (options, type, message) => {
    expect(() => new ThreadPoolExecutor(options as never)).toThrow(type);
    expect(() => new ThreadPoolExecutor(options as never)).toThrow(message);
  });

  it('refuses a plain function with a TypeError that says how to write a task module', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    expect(() => executor.submit((x: number) => x * 2, 1)).toThrow(/Export it from a module and pass a task reference instead, e\.g\. defineTasks/);
  });
});

describe('ThreadPoolExecutor crashes', () => {
  it('a task that exits its thread fails only its own future, with the exit code; the thread is replaced', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const runs = new Int32Array(new SharedArrayBuffer(4 * 4));
    const crasher = executor.submit(tasks.countAndMaybeExit, runs, 0, 0);
    const others = [1, 2, 3].map((i) => executor.submit(tasks.countAndMaybeExit, runs, i, -1));
    const error = await crasher.exception();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ code: 'ERR_WORKER_CRASHED', exitCode: 7 });
    expect((error as Error).message).toMatch(/countAndMaybeExit.*exit code 7/);
    expect(await Promise.all(others)).toEqual([10, 20, 30]);
    expect(await executor.submit(tasks.square, 9)).toBe(81);
  });

  it('a busy thread gets its next slow task ahead; the task stays pending and cancellable until the thread takes it', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const runs = new Int32Array(new SharedArrayBuffer(4 * 4));
    expect(await executor.submit(tasks.countAfter, runs, 0, 20)).toBe(0); // measured slow: such tasks go ahead
    const first = executor.submit(tasks.countAfter, runs, 1, 400);
    const second = executor.submit(tasks.countAfter, runs, 2, 10);
    const third = executor.submit(tasks.countAfter, runs, 3, 10);
    await until(() => Atomics.load(runs, 1) === 1);
    expect(first.running()).toBe(true);
    expect(second.state).toBe('pending'); // sent ahead to the thread, not taken
    expect(second.cancel()).toBe(true); // taken back through its claim cell
    expect(await first).toBe(1);
    expect(await third).toBe(3);
    expect(Array.from(runs)).toEqual([1, 1, 0, 1]); // the cancelled task never ran
    expect(executor.stats).toMatchObject({ cancelled: 1, completed: 3 });
  });

  it('a task sent ahead is running once its thread took it: cancel() is false', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const runs = new Int32Array(new SharedArrayBuffer(4 * 3));
    await executor.submit(tasks.countAfter, runs, 0, 20);
    const first = executor.submit(tasks.countAfter, runs, 1, 50);
    const second = executor.submit(tasks.countAfter, runs, 2, 400);
    await until(() => Atomics.load(runs, 2) === 1);
    await until(() => second.running());
    expect(second.cancel()).toBe(false);
    expect(await first).toBe(1);
    expect(await second).toBe(2);
  });

  it('a map chunk whose task crashes the thread keeps the results before it; the calls after it run exactly once', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const n = 12;
    const exitAt = 5;
    const runs = new Int32Array(new SharedArrayBuffer(4 * n));
    const futures: Future<unknown>[] = [];
    const off = executor.on('submitted', (future) => futures.push(future));
    const input = Array.from({ length: n }, (_, i) => [runs, i, exitAt] as [Int32Array, number, number]);
    // chunksize 12: the whole input is one chunk (one future), sent to the thread in one message.
    const yielded: number[] = [];
    await expect(
      (async () => {
        for await (const value of executor.starmap(tasks.countAndMaybeExit, input, { chunksize: n })) yielded.push(value);
      })(),
    ).rejects.toMatchObject({ name: 'WorkerCrashedError', exitCode: 7 });
    off();
    expect(yielded).toEqual([0, 10, 20, 30, 40]); // the map yields what ran, then throws at the crash
    expect(futures).toHaveLength(1);
    const chunk = (await futures[0]) as ChunkResults; // running when the map stopped: it finishes
    expect(chunk.size).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(runs[i]).toBe(1); // each call ran once: none lost, none repeated
      if (i === exitAt) {
        expect(chunk.failed(i)).toBe(true);
        expect(chunk.values[i]).toBeInstanceOf(WorkerCrashedError);
      } else {
        expect(chunk.failed(i)).toBe(false);
        expect(chunk.values[i]).toBe(i * 10);
      }
    }
  });

  it('an uncaught error in a timer kills the thread and fails the task with WorkerCrashedError', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const error = await executor.submit(faultTasks.throwLater).exception();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toMatch(/uncaught in a timer/);
    expect(await executor.submit(tasks.square, 3)).toBe(9);
  });

  it('a thread past its resourceLimits fails its task with an out-of-memory WorkerCrashedError', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    const error = await executor.submit(faultTasks.exhaustMemory).exception();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toMatch(/out of memory/);
    expect(await executor.submit(tasks.square, 4)).toBe(16);
  });

  it("onWorkerCrash: 'break' gives Python's semantics: the executor is broken", async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1, onWorkerCrash: 'break' });
    const runs = new Int32Array(new SharedArrayBuffer(8));
    const crasher = executor.submit(tasks.countAndMaybeExit, runs, 0, 0);
    const waiting = executor.submit(tasks.square, 2);
    expect(await crasher.exception()).toBeInstanceOf(WorkerCrashedError);
    expect(await waiting.exception()).toBeInstanceOf(BrokenExecutorError);
    expect(() => executor.submit(tasks.square, 3)).toThrow(BrokenExecutorError);
  });
});

describe('ThreadPoolExecutor threads that cannot start', () => {
  const badPreload = ['--require', '/nonexistent/futures-preload.cjs'];

  it('break the executor: every task fails with BrokenExecutorError naming the cause, none hangs', async () => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 2, execArgv: badPreload });
    const reported: WorkerCrashedError[] = [];
    executor.on('workerError', (error) => reported.push(error));
    const futures = [1, 2, 3].map((x) => executor.submit(tasks.square, x));
    for (const future of futures) {
      const error = await future.exception();
      expect(error).toBeInstanceOf(BrokenExecutorError);
      expect((error as Error).message).toMatch(/^ThreadPoolExecutor is broken: a worker thread failed to start: Cannot find module '\/nonexistent\/futures-preload\.cjs'/);
    }
    expect(reported[0]).toBeInstanceOf(WorkerCrashedError);
    expect(() => executor.submit(tasks.square, 4)).toThrow(BrokenExecutorError);
    await executor.shutdown();
  });

  it('are reported as a process warning when nobody listens for workerError', async () => {
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    const executor = new ThreadPoolExecutor({ maxWorkers: 1, execArgv: badPreload });
    await executor.submit(tasks.square, 1).exception();
    const warning = await warned;
    expect(warning).toBeInstanceOf(WorkerCrashedError);
    expect(warning.message).toMatch(/failed to start/);
    await executor.shutdown();
  });
});

describe('ThreadPoolExecutor initializer', () => {
  it('runs in every thread before its first task', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2, initializer: faultTasks.init, initArgs: ['hello from init'] });
    const greetings = await Promise.all(Array.from({ length: 4 }, () => executor.submit(faultTasks.readGreeting)));
    expect(greetings).toEqual(Array(4).fill('hello from init'));
  });

  it('a failing initializer breaks the executor with the cause, instead of hanging', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1, initializer: faultTasks.failingInit });
    const error = await executor.submit(tasks.square, 2).exception();
    expect(error).toBeInstanceOf(BrokenExecutorError);
    expect((error as Error).message).toMatch(/initializer failed.*cannot connect/);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect(() => executor.submit(tasks.square, 3)).toThrow(BrokenExecutorError);
  });
});

describe('ThreadPoolExecutor shared memory', () => {
  it('100 tasks incrementing a shared Value under a Lock give exactly 100', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });
    const counter = new Value('i', 0);
    const lock = new Lock();
    await Promise.all(Array.from({ length: 100 }, () => executor.submit(tasks.lockedIncrement, counter, lock)));
    expect(counter.value).toBe(100);
  });

  it('spreads work over several threads', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const ids = await Promise.all(Array.from({ length: 6 }, () => executor.submit(tasks.whichThread, 50)));
    expect(new Set(ids).size).toBe(2);
  });
});

describe('ThreadPoolExecutor transferables', () => {
  it('moves an ArrayBuffer to the thread without copying when asked', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const buffer = new Uint8Array(1024).fill(2).buffer;
    const copied = new Uint8Array(16).fill(1).buffer;
    expect(await executor.submit(tasks.sumBytes, copied)).toBe(16);
    expect(copied.byteLength).toBe(16); // copied: still usable here
    expect(await executor.submitWith({ transfer: [buffer] }, tasks.sumBytes, buffer)).toBe(2048);
    expect(buffer.byteLength).toBe(0); // moved: detached here
  });

  it('moves a result back without copying when the task returns transfer(value, list)', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const bytes = await executor.submit(tasks.makeBuffer, 4096, 7);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(4096);
    expect(bytes[4095]).toBe(7);
  });

  it('moves a MessagePort to the thread', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const { MessageChannel } = await import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    const answer = new Promise((resolve) => port1.once('message', resolve));
    expect(await executor.submitWith({ transfer: [port2] }, tasks.answerOnPort, port2, 'hi')).toBe('sent');
    expect(await answer).toBe('echo: hi');
    port1.close();
  });
});

describe('ThreadPoolExecutor terminateWorkers / killWorkers', () => {
  it.each(['terminateWorkers', 'killWorkers'] as const)('%s stops running tasks, cancels queued ones and shuts down', async (method) => {
    const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const running = executor.submit(tasks.whichThread, 10_000);
    const queued = executor.submit(tasks.square, 2);
    await new Promise((resolve) => executor.once('started', () => resolve(undefined)));
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the thread start the task
    await executor[method]();
    expect(await running.exception()).toBeInstanceOf(BrokenExecutorError);
    expect((await running.exception() as Error).message).toMatch(new RegExp(`${method}\\(\\) terminated every thread`));
    expect(queued.cancelled()).toBe(true);
    expect(executor.isShutdown).toBe(true);
    expect(executor.threadCount).toBe(0);
  });
});

describe('ThreadPoolExecutor batches', () => {
  it("sends map's chunks whole, even when chunksize is above maxBatchSize", async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2, maxBatchSize: 2 });
    const ids: number[] = [];
    for await (const id of executor.map(tasks.whichThread, new Array<number>(20).fill(1), { chunksize: 10 })) ids.push(id);
    expect(new Set(ids.slice(0, 10)).size).toBe(1);
    expect(new Set(ids.slice(10)).size).toBe(1);
  });

  it('runs batches that mix several tasks, each call with its own task', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => executor.submit(tasks.square, i))); // measured quick: batching on
    const futures = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? executor.submit(tasks.square, i) : executor.submit(faultTasks.readGreeting)));
    const values = await Promise.all(futures);
    values.forEach((value, i) => expect(value).toBe(i % 3 === 0 ? i * i : 'not initialized'));
  });
});

describe('ThreadPoolExecutor maxTasksPerWorker', () => {
  it('replaces a thread after it ran maxTasksPerWorker tasks', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1, maxTasksPerWorker: 2 });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await executor.submit(tasks.whichThread, 1));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(ids[4]).toBe(ids[5]);
    expect(new Set(ids).size).toBe(3);
  });

  it('validates maxTasksPerWorker', () => {
    expect(() => new ThreadPoolExecutor({ maxTasksPerWorker: 0 })).toThrow('maxTasksPerWorker must be >= 1, got 0');
  });
});

describe('ThreadPoolExecutor timing', () => {
  it('records wait and run percentiles by default', async () => {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    await Promise.all(Array.from({ length: 4 }, () => executor.submit(tasks.whichThread, 30)));
    const timing = executor.timing!;
    expect(timing.run.count).toBe(4);
    expect(timing.run.p50).toBeGreaterThanOrEqual(25);
    expect(timing.wait.count).toBe(4);
  });
});

/** Resolves once `check()` is true (polls every 5 ms, for 5 s at most). */
async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > 5_000) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
