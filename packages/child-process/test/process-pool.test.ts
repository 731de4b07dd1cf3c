import { BrokenExecutorError, type ChunkResults, WorkerCrashedError, defineTasks, type Future } from '@futures/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { faultTasks } from '@futures/test-suite';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { ProcessPoolExecutor } from '../src/index.js';
import { nodeChildrenOf, until } from './helpers.js';

const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(new URL('./fixtures/tasks.ts', import.meta.url));

describe('ProcessPoolExecutor options', () => {
  it.each([
    [{ maxWorkers: 0 }, RangeError, 'maxWorkers must be >= 1, got 0'],
    [{ maxWorkers: 1.5 }, TypeError, 'maxWorkers must be an integer, got 1.5'],
    [{ maxTasksPerChild: 0 }, RangeError, 'maxTasksPerChild must be >= 1, got 0'],
    [{ maxBatchSize: 0 }, RangeError, 'maxBatchSize must be >= 1, got 0'],
    [{ maxQueue: -1 }, RangeError, 'maxQueue must be >= 0, got -1'],
    [{ taskTimeout: -5 }, RangeError, 'taskTimeout must be >= 0 milliseconds, got -5'],
    [{ onWorkerCrash: 'explode' }, TypeError, `onWorkerCrash must be 'replace' or 'break', got "explode"`],
    [{ output: 'loud' }, TypeError, `output must be 'inherit', 'forward', 'prefix' or 'ignore', got "loud"`],
    [{ initializer: () => undefined }, TypeError, 'initializer must be a task reference (from defineTasks), not a function: it runs inside each child process'],
    [{ initArgs: 'x' }, TypeError, 'initArgs must be an array'],
    [{ execArgv: [1] }, TypeError, 'execArgv must be an array of strings'],
    [{ env: 'A=1' }, TypeError, 'env must be an object'],
    [{ maxTasksPerWorker: 4 }, TypeError, 'new ProcessPoolExecutor(): unknown option "maxTasksPerWorker"'],
  ])('rejects %j with an exact message', (options, type, message) => {
    expect(() => new ProcessPoolExecutor(options as never)).toThrow(type);
    expect(() => new ProcessPoolExecutor(options as never)).toThrow(message);
  });

  it('refuses a plain function with a TypeError that says how to write a task module', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    expect(() => executor.submit((x: number) => x * 2, 1)).toThrow(/Export it from a module and pass a task reference instead/);
  });

  it('passes env and execArgv to the children', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1, env: { ...process.env, FUTURES_TEST: 'yes' }, execArgv: ['--max-old-space-size=100'] });
    expect(await executor.submit(tasks.env, 'FUTURES_TEST')).toBe('yes');
    expect(await executor.submit(tasks.execArgv)).toContain('--max-old-space-size=100');
  });
});

describe('ProcessPoolExecutor values and errors', () => {
  it('copies Buffers, Maps, Dates, BigInts and typed arrays both ways (advanced serialization)', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const value = await executor.submit(tasks.rich);
    expect(ArrayBuffer.isView(value.buffer)).toBe(true);
    expect(Buffer.from(value.buffer).toString()).toBe('hey');
    expect(value.map.get('d')).toEqual(new Date(7));
    expect(value.big).toBe(10n ** 20n);
    expect(value.floats).toEqual(new Float64Array([1.5, 2.5]));
  });

  it("rebuilds the task module's error classes with their own fields", async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const { ValidationError } = await import('./fixtures/tasks.js');
    const error = await executor.submit(tasks.validate, 'email').exception();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ message: 'bad email', field: 'email' });
    expect((error as Error).stack).toMatch(/validate/);
  });

  it('a result that cannot be copied fails its own future only', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const bad = executor.submit(tasks.returnsFunction);
    const good = executor.submit(tasks.square, 4);
    expect(await bad.exception()).toMatchObject({ name: 'TypeError', message: expect.stringMatching(/cannot be copied to the parent process/) });
    expect(await good).toBe(16);
  });
});

describe('ProcessPoolExecutor crashes', () => {
  it('a child that exits fails only its own future, with the exit code; the child is replaced', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    const crasher = executor.submit(tasks.exitAt, 0, 0);
    const others = [1, 2, 3].map((i) => executor.submit(tasks.exitAt, i, -1));
    const error = await crasher.exception();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ code: 'ERR_WORKER_CRASHED', exitCode: 7, signal: undefined });
    expect((error as Error).message).toMatch(/child process worker \d+ \(pid \d+\) running task exitAt exited with code 7/);
    expect(await Promise.all(others)).toEqual([10, 20, 30]);
    expect(await executor.submit(tasks.square, 9)).toBe(81);
  });

  it('a child killed by a signal names the signal', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const error = await executor.submit(tasks.killSelf, 'SIGKILL').exception();
    expect(error).toMatchObject({ code: 'ERR_WORKER_CRASHED', signal: 'SIGKILL', exitCode: undefined });
    expect((error as Error).message).toMatch(/was killed by signal SIGKILL/);
    expect(await executor.submit(tasks.square, 3)).toBe(9);
  });

  it('a map chunk whose task kills the child keeps the results before it; the calls after it run once', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const futures: Future<unknown>[] = [];
    const off = executor.on('submitted', (future) => futures.push(future));
    const input = Array.from({ length: 12 }, (_, i) => [i, 5] as [number, number]);
    const yielded: number[] = [];
    await expect(
      (async () => {
        for await (const value of executor.starmap(tasks.exitAt, input, { chunksize: 12 })) yielded.push(value);
      })(),
    ).rejects.toMatchObject({ name: 'WorkerCrashedError', exitCode: 7 });
    off();
    expect(yielded).toEqual([0, 10, 20, 30, 40]);
    expect(futures).toHaveLength(1); // one chunk, one future (as in Python)
    const chunk = (await futures[0]) as ChunkResults;
    expect(chunk.failed(5)).toBe(true);
    expect(chunk.values[5]).toMatchObject({ exitCode: 7 });
    // The calls after the crash went back to the queue and ran in a new child, once each (a
    // second run of call 5 would have crashed again).
    expect(chunk.values.filter((_, i) => i !== 5)).toEqual([0, 10, 20, 30, 40, 60, 70, 80, 90, 100, 110]);
    expect(executor.stats).toMatchObject({ submitted: 1, completed: 1, failed: 0 });
  });

  it('a child that dies mid-chunk with the next chunk sent ahead to it: that chunk runs once, on the new child', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const futures: Future<unknown>[] = [];
    executor.on('submitted', (future) => futures.push(future));
    const input = Array.from({ length: 8 }, (_, i) => [i, 2] as [number, number]);
    const yielded: number[] = [];
    await expect(
      (async () => {
        for await (const value of executor.starmap(tasks.pidUnlessAt, input, { chunksize: 4 })) yielded.push(value);
      })(),
    ).rejects.toMatchObject({ name: 'WorkerCrashedError', exitCode: 7 });
    const [first, second] = (await Promise.all(futures)) as ChunkResults[];
    const dead = yielded[0];
    expect(yielded).toEqual([dead, dead]);
    expect(first!.failed(2)).toBe(true);
    const fresh = first!.values[3];
    expect(fresh).not.toBe(dead); // call 3 never ran in the dead child: it ran once, in its replacement
    expect(second!.values).toEqual([fresh, fresh, fresh, fresh]);
    expect(executor.stats).toMatchObject({ submitted: 2, completed: 2 });
  });

  it('an uncaught error in a timer kills the child; the error is the cause', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1, output: 'ignore' });
    const error = await executor.submit(faultTasks.throwLater).exception();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ exitCode: 1 });
    expect((error as Error).message).toMatch(/uncaught Error: uncaught in a timer/);
    expect((error as Error).cause).toMatchObject({ message: 'uncaught in a timer' });
    expect(await executor.submit(tasks.square, 3)).toBe(9);
  });

  it('a child that runs out of memory fails its task with WorkerCrashedError and is replaced', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1, execArgv: ['--max-old-space-size=32'], output: 'ignore' });
    const error = await executor.submit(faultTasks.exhaustMemory).exception();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toMatch(/out of memory/);
    expect(await executor.submit(tasks.square, 4)).toBe(16);
  });

  it("onWorkerCrash: 'break' gives Python's semantics: the executor is broken", async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1, onWorkerCrash: 'break' });
    const crasher = executor.submit(tasks.exitAt, 0, 0);
    const waiting = executor.submit(tasks.square, 2);
    expect(await crasher.exception()).toBeInstanceOf(WorkerCrashedError);
    expect(await waiting.exception()).toBeInstanceOf(BrokenExecutorError);
    expect(() => executor.submit(tasks.square, 3)).toThrow(BrokenExecutorError);
  });
});

describe('ProcessPoolExecutor initializer', () => {
  it('runs in every child before its first task', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2, initializer: faultTasks.init, initArgs: ['hello from init'] });
    const greetings = await Promise.all(Array.from({ length: 4 }, () => executor.submit(faultTasks.readGreeting)));
    expect(greetings).toEqual(Array(4).fill('hello from init'));
  });

  it('a failing initializer breaks the executor with the cause, instead of hanging', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1, initializer: faultTasks.failingInit });
    const error = await executor.submit(tasks.square, 2).exception();
    expect(error).toBeInstanceOf(BrokenExecutorError);
    expect((error as Error).message).toMatch(/initializer failed in child process worker 1 \(pid \d+\): cannot connect/);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect(() => executor.submit(tasks.square, 3)).toThrow(BrokenExecutorError);
  });
});

describe('ProcessPoolExecutor maxTasksPerChild', () => {
  it('replaces a child after it ran maxTasksPerChild tasks', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 2 });
    const pids: number[] = [];
    for (let i = 0; i < 6; i++) pids.push(await executor.submit(tasks.pid));
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).toBe(pids[3]);
    expect(pids[4]).toBe(pids[5]);
    expect(new Set(pids).size).toBe(3);
  });
});

describe('ProcessPoolExecutor output', () => {
  afterEach(() => vi.restoreAllMocks());

  it("output: 'prefix' forwards each line of stdout and stderr with the worker id", async () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    const executor = new ProcessPoolExecutor({ maxWorkers: 1, output: 'prefix' });
    expect(await executor.submit(tasks.speak, 'hello')).toBe('hello');
    await executor.shutdown(); // the output has ended once every child has exited
    expect(out.join('')).toContain('[worker 1] hello out\n');
    expect(err.join('')).toContain('[worker 1] hello err\n');
  });
});

describe('ProcessPoolExecutor processes', () => {
  it('spreads work over several children', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    const pids = await Promise.all(Array.from({ length: 6 }, () => executor.submit(tasks.pid, 100)));
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(process.pid);
    expect(executor.pids.sort()).toEqual([...new Set(pids)].sort());
  });

  it('after shutdown() no child process remains', async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 2 });
    const timedOut = executor.submitWith({ timeout: 100 }, tasks.spin, 10_000);
    await Promise.all(Array.from({ length: 4 }, () => executor.submit(tasks.pid, 50)));
    await timedOut.exception();
    expect((await nodeChildrenOf(process.pid)).length).toBeGreaterThan(0);
    await executor.shutdown();
    expect(executor.workerCount).toBe(0);
    expect(await nodeChildrenOf(process.pid)).toEqual([]);
  });

  it('each child is sent its next two map chunks while it runs one; a chunk sent ahead counts as running', async () => {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const futures: Future<unknown>[] = [];
    executor.on('submitted', (future) => futures.push(future));
    const iterator = executor.map(tasks.spin, [300, 1, 1, 1, 1, 1, 1, 1], { chunksize: 2 });
    const first = iterator.next();
    await until(() => futures[0]!.running());
    expect(futures.map((future) => future.state)).toEqual(['running', 'running', 'running', 'pending']);
    expect(await first).toMatchObject({ done: false });
    let count = 1;
    for await (const value of iterator) count += value >= 0 ? 1 : 0;
    expect(count).toBe(8);
  });

  it('chunks handed to a child in one turn travel in one write; a chunk whose items cannot be copied fails alone, at its place', async () => {
    // Every message the engine wrote to its child, by kind (child_process.fork wrapped for this test).
    const kinds: unknown[] = [];
    const childProcess = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    const fork = childProcess.fork;
    childProcess.fork = ((...args: Parameters<typeof fork>) => {
      const child = fork(...args);
      const send = child.send.bind(child) as (...sendArgs: unknown[]) => boolean;
      child.send = ((message: unknown, ...rest: unknown[]) => {
        const sent = send(message, ...rest); // throws when the message cannot be copied: not written
        kinds.push((message as Record<string, unknown>)['@futures/pool']);
        return sent;
      }) as typeof child.send;
      return child;
    }) as typeof fork;
    syncBuiltinESMExports();
    await using executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    try {
      await executor.submit(tasks.square, 1); // the child is up: what follows is written, not queued until it is ready
      kinds.length = 0;
      const squares: number[] = [];
      for await (const value of executor.map(tasks.square, [1, 2, 3, 4, 5, 6], { chunksize: 2 })) squares.push(value);
      expect(squares).toEqual([1, 4, 9, 16, 25, 36]);
      // Three chunks: one to run and two sent ahead, in fewer writes (the map hands its first chunk over while it reads on).
      expect(kinds).toContain('bundle');
      expect(kinds.length).toBeLessThan(3);
      kinds.length = 0;
      const results: unknown[] = [];
      let error: unknown;
      try {
        for await (const value of executor.map(tasks.square, [1, 2, (() => 3) as unknown as number, 4, 5, 6], { chunksize: 2 })) results.push(value);
      } catch (caught) {
        error = caught;
      }
      expect(results).toEqual([1, 4]);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/cannot be copied/);
      expect(kinds).not.toContain('bundle'); // it could not be copied: one write per chunk (the second without its bad call)
      expect(await executor.submit(tasks.square, 7)).toBe(49);
    } finally {
      childProcess.fork = fork;
      syncBuiltinESMExports();
    }
  });

  it('terminateWorkers with a map chunk sent ahead: every call that had not run fails, none runs on a new child', async () => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const futures: Future<unknown>[] = [];
    executor.on('submitted', (future) => futures.push(future));
    const iterator = executor.map(tasks.spin, [20_000, 1, 1, 1, 1, 1, 1, 1], { chunksize: 2 });
    const first = iterator.next();
    first.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the child start the first chunk
    await executor.terminateWorkers();
    await expect(first).rejects.toBeInstanceOf(BrokenExecutorError);
    const [running, ahead, ahead2, queued] = futures;
    const chunk = (await running) as ChunkResults;
    expect(chunk.values.map((value) => value instanceof BrokenExecutorError)).toEqual([true, true]);
    for (const sent of [ahead, ahead2]) expect(((await sent) as ChunkResults).values.map((value) => value instanceof BrokenExecutorError)).toEqual([true, true]);
    expect(queued!.cancelled()).toBe(true);
    expect(executor.isBroken).toBe(true);
    expect(await nodeChildrenOf(process.pid)).toEqual([]);
  });

  it.each(['terminateWorkers', 'killWorkers'] as const)('%s stops running tasks, cancels queued ones, and leaves no child', async (method) => {
    const executor = new ProcessPoolExecutor({ maxWorkers: 1 });
    const running = executor.submit(tasks.spin, 20_000);
    const queued = executor.submit(tasks.square, 2);
    await until(() => running.running());
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the child start the task
    await executor[method]();
    const error = await running.exception();
    expect(error).toBeInstanceOf(BrokenExecutorError);
    expect((error as Error).message).toMatch(new RegExp(`${method}\\(\\) terminated every child process`));
    expect(queued.cancelled()).toBe(true);
    expect(executor.isShutdown).toBe(true);
    expect(await nodeChildrenOf(process.pid)).toEqual([]);
  });
});
