import { describe, expect, it } from 'vitest';
import {
  BATCH_NOT_RUN,
  BrokenExecutorError,
  ChunkResults,
  Executor,
  baseConfig,
  type BaseExecutorOptions,
  type BatchReport,
  type ExecutorCapabilities,
  type Future,
  type RunningTask,
  type TaskFunction,
} from '../src/index.js';
import { deferred, macrotask, sleep } from './helpers.js';

/** What a task throws to stand for its worker dying: the batch rejects, that call reports nothing. */
class Crash extends Error {
  override name = 'Crash';
}

/**
 * A batching backend in-process: runs the calls of a batch one after another on the event
 * loop, reports each outcome, and rejects the batch (as a dying worker does) at a `Crash`.
 */
class BatchingExecutor extends Executor {
  readonly capabilities: ExecutorCapabilities = { plainFunctions: true, stopRunning: 'forced', sameObjects: true };
  /** The argument lists of every batch handed to runBatch, in order. */
  readonly batches: unknown[][] = [];
  /** Whether each batch's tasks could be stopped (they carry a signal or timeout). */
  readonly stoppable: boolean[] = [];
  /** Break the executor (Python's broken pool) when a batch crashes. */
  breakOnCrash = false;
  /** Report a batch whose tasks all succeed with one `report.many` call, as backends that receive outcomes in groups do. */
  inGroups = false;

  constructor(options?: BaseExecutorOptions) {
    super(baseConfig('BatchingExecutor', options, { maxWorkers: 2 }));
  }

  protected override get maxBatchSize(): number {
    return 256;
  }

  protected runTask(): unknown {
    throw new Error('a batching backend is called through runBatch');
  }

  protected override async runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    this.batches.push(batch.map((running) => running.args[0]));
    this.stoppable.push(batch.some((running) => running.stoppable));
    if (this.inGroups && report.many !== undefined) {
      const values: unknown[] = [];
      for (const running of batch) values.push(await (running.task as TaskFunction).apply(running.context, running.args as unknown[]));
      report.many(0, values);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const running = batch[i] as RunningTask;
      try {
        report(i, false, await (running.task as TaskFunction).apply(running.context, running.args as unknown[]));
      } catch (error) {
        if (!(error instanceof Crash)) {
          report(i, true, error);
          continue;
        }
        if (this.breakOnCrash) this.markBroken(new BrokenExecutorError('the pool is broken', { cause: error }));
        throw error;
      }
    }
  }
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of iterator) values.push(value);
    return { values, error: undefined };
  } catch (error) {
    return { values, error };
  }
}

const double = (x: number): number => x * 2;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('map with chunksize on a batching backend', () => {
  it('sends each chunk as one batch with one future, and yields every result in order', async () => {
    await using executor = new BatchingExecutor();
    const futures: Future[] = [];
    executor.on('submitted', (future) => futures.push(future));
    expect(await collect(executor.map(double, range(10), { chunksize: 4 }))).toEqual({ values: range(10).map(double), error: undefined });
    expect(executor.batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(futures).toHaveLength(3);
    expect(String(futures[0])).toMatch(/double \(map chunk of 4\)/);
    expect(executor.stats).toMatchObject({ submitted: 3, completed: 3, failed: 0 });
  });

  it('a call that throws fails at its own position; the rest of its chunk still runs', async () => {
    await using executor = new BatchingExecutor({ maxWorkers: 1 });
    const ran: number[] = [];
    const task = (x: number): number => {
      ran.push(x);
      if (x === 2) throw new RangeError('two');
      return x;
    };
    const futures: Future[] = [];
    executor.on('submitted', (future) => futures.push(future));
    const { values, error } = await collect(executor.map(task, range(6), { chunksize: 6 }));
    expect(values).toEqual([0, 1]);
    expect(error).toEqual(new RangeError('two'));
    const chunk = (await futures[0]) as ChunkResults;
    expect(chunk).toBeInstanceOf(ChunkResults);
    expect(range(6).map((i) => chunk.failed(i))).toEqual([false, false, true, false, false, false]);
    expect(ran).toEqual(range(6));
  });

  it('a worker crash mid-chunk keeps the results before it, fails the crashing call, and runs the rest once in a new batch', async () => {
    await using executor = new BatchingExecutor({ maxWorkers: 1 });
    const runs = new Map<number, number>();
    const task = (x: number): number => {
      const count = (runs.get(x) ?? 0) + 1;
      runs.set(x, count);
      if (x === 3 && count === 1) throw new Crash('worker died');
      return x * 10;
    };
    const futures: Future[] = [];
    executor.on('submitted', (future) => futures.push(future));
    const { values, error } = await collect(executor.map(task, range(8), { chunksize: 8 }));
    expect(values).toEqual([0, 10, 20]);
    expect(error).toBeInstanceOf(Crash);
    const chunk = (await futures[0]) as ChunkResults;
    expect(chunk.values.filter((_, i) => i !== 3)).toEqual([0, 10, 20, 40, 50, 60, 70]);
    expect(executor.batches).toEqual([range(8), [4, 5, 6, 7]]);
    expect([...runs.values()]).toEqual(range(8).map(() => 1));
  });

  it('when the crash breaks the executor, the calls that never ran fail with BrokenExecutorError in their places', async () => {
    await using executor = new BatchingExecutor({ maxWorkers: 1 });
    executor.breakOnCrash = true;
    const task = (x: number): number => {
      if (x === 2) throw new Crash('worker died');
      return x;
    };
    const futures: Future[] = [];
    executor.on('submitted', (future) => futures.push(future));
    const { values, error } = await collect(executor.map(task, range(5), { chunksize: 5 }));
    expect(values).toEqual([0, 1]);
    expect(error).toBeInstanceOf(Crash);
    const chunk = (await futures[0]) as ChunkResults;
    expect(chunk.values[2]).toBeInstanceOf(Crash);
    expect(chunk.values[3]).toBeInstanceOf(BrokenExecutorError);
    expect(chunk.values[4]).toBeInstanceOf(BrokenExecutorError);
    expect(executor.isBroken).toBe(true);
  });

  it('stopping early cancels the chunks that have not started; a running chunk finishes', async () => {
    await using executor = new BatchingExecutor({ maxWorkers: 1 });
    const gate = deferred();
    const ran: number[] = [];
    const task = async (x: number): Promise<number> => {
      ran.push(x);
      if (x === 4) await gate.promise;
      return x;
    };
    const futures: Future[] = [];
    executor.on('submitted', (future) => futures.push(future));
    const iterator = executor.map(task, range(12), { chunksize: 3 });
    // A chunk's results come when the whole chunk is done: the first chunk is, the second waits.
    expect(await iterator.next()).toEqual({ done: false, value: 0 });
    await iterator.return?.();
    gate.resolve();
    await executor.onIdle();
    expect(futures.map((future) => future.state)).toEqual(['finished', 'finished', 'cancelled', 'cancelled']);
    expect(ran).toEqual(range(6));
    expect(executor.stats).toMatchObject({ submitted: 4, completed: 2, cancelled: 2 });
  });

  it('with buffersize, reads lazily and never builds a chunk larger than the buffer', async () => {
    await using executor = new BatchingExecutor();
    let produced = 0;
    function* endless(): Generator<number> {
      for (let i = 0; ; i++) {
        produced++;
        yield i;
      }
    }
    const results: number[] = [];
    for await (const value of executor.map(double, endless(), { chunksize: 4, buffersize: 10 })) {
      results.push(value);
      expect(produced - results.length).toBeLessThanOrEqual(10);
      if (results.length === 30) break;
    }
    expect(results).toEqual(range(30).map(double));
    expect(Math.max(...executor.batches.map((batch) => batch.length))).toBe(4);

    const small = new BatchingExecutor();
    expect((await collect(small.map(double, range(7), { chunksize: 100, buffersize: 3 }))).values).toEqual(range(7).map(double));
    expect(small.batches.every((batch) => batch.length <= 3)).toBe(true);
    await small.shutdown();
  });

  it('fills chunks from an async input and sends the last, shorter one when the input ends', async () => {
    await using executor = new BatchingExecutor();
    async function* numbers(): AsyncGenerator<number> {
      for (let i = 0; i < 7; i++) {
        await macrotask();
        yield i;
      }
    }
    expect((await collect(executor.map(double, numbers(), { chunksize: 3 }))).values).toEqual(range(7).map(double));
    expect(executor.batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6],
    ]);
  });

  it('starmap: a bad item fails at its position after the items before it ran', async () => {
    await using executor = new BatchingExecutor();
    const add = (a: number, b: number): number => a + b;
    const input: unknown[] = [[1, 2], [3, 4], [5, 6], 'not a list', [7, 8]];
    const { values, error } = await collect(executor.starmap(add, input as [number, number][], { chunksize: 2 }));
    expect(values).toEqual([3, 7, 11]);
    expect(error).toEqual(new TypeError('starmap expects each item to be an array of arguments, got string'));
  });

  it('with a per-task timeout on the executor, items travel one future each (a chunk has no per-call clock)', async () => {
    await using executor = new BatchingExecutor({ taskTimeout: 10_000 });
    const futures: Future[] = [];
    executor.on('submitted', (future) => futures.push(future));
    expect((await collect(executor.map(double, range(5), { chunksize: 5 }))).values).toEqual(range(5).map(double));
    expect(futures).toHaveLength(5);
  });

  it("a map's signal stops a running chunk: its tasks are stoppable, and the iterator throws the reason", async () => {
    await using executor = new BatchingExecutor({ maxWorkers: 1 });
    const controller = new AbortController();
    const gate = deferred();
    const task = async (x: number): Promise<number> => {
      if (x === 2) await gate.promise;
      return x;
    };
    const iterator = executor.map(task, range(4), { chunksize: 2, signal: controller.signal });
    expect(await iterator.next()).toEqual({ done: false, value: 0 });
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    controller.abort(new Error('enough'));
    await expect(iterator.next()).rejects.toThrow('enough');
    expect(executor.stoppable).toEqual([true, true]);
    gate.resolve();
  });

  it('a shutdown mid-map surfaces at the position of the first chunk that could not be submitted; chunks submitted before it run', async () => {
    const executor = new BatchingExecutor();
    let shut = false;
    function* input(): Generator<number> {
      for (let i = 0; i < 6; i++) {
        if (i === 4 && !shut) {
          shut = true;
          void executor.shutdown({ wait: false });
        }
        yield i;
      }
    }
    const { values, error } = await collect(executor.map(double, input(), { chunksize: 2 }));
    expect(values).toEqual([0, 2, 4, 6]);
    expect((error as Error).name).toBe('ExecutorShutdownError');
    await executor.shutdown();
  });

  it('quick tasks coalesced into one batch: after a crash, the ones that never ran go back in their order', async () => {
    await using executor = new BatchingExecutor({ maxWorkers: 1 });
    await executor.submit(double, 1); // measured quick: what is queued next is coalesced
    const ran: number[] = [];
    let crashed = false;
    const task = (x: number): number => {
      ran.push(x);
      if (x === 2 && !crashed) {
        crashed = true;
        throw new Crash('worker died');
      }
      return x;
    };
    const futures = range(8).map((i) => executor.submit(task, i));
    const settled = await Promise.allSettled(futures);
    expect(executor.batches[1]).toEqual(range(8));
    expect(ran).toEqual(range(8));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('takes a whole chunk reported at once (report.many) as it is', async () => {
    await using executor = new BatchingExecutor();
    executor.inGroups = true;
    const futures: Future[] = [];
    executor.on('submitted', (future) => futures.push(future));
    expect((await collect(executor.map(double, range(10), { chunksize: 5 }))).values).toEqual(range(10).map(double));
    const chunk = (await futures[1]) as ChunkResults;
    expect(chunk.values).toEqual([10, 12, 14, 16, 18]);
    expect(chunk.complete()).toBe(true);
  });

  it('a consumer that stops in the middle of a ready chunk stops there; an abort there throws its reason', async () => {
    await using executor = new BatchingExecutor();
    const seen: number[] = [];
    for await (const value of executor.map(double, range(20), { chunksize: 10 })) {
      seen.push(value);
      if (seen.length === 13) break;
    }
    expect(seen).toEqual(range(13).map(double));

    const controller = new AbortController();
    const iterator = executor.map(double, range(20), { chunksize: 10, signal: controller.signal });
    expect(await iterator.next()).toEqual({ done: false, value: 0 });
    expect(await iterator.next()).toEqual({ done: false, value: 2 });
    controller.abort(new Error('stop here'));
    await expect(iterator.next()).rejects.toThrow('stop here');
  });

  it('a consumer of ready results lets the event loop turn now and then', async () => {
    await using executor = new BatchingExecutor();
    let turned = 0;
    let consumed = 0;
    const ticks = setInterval(() => turned++, 0);
    try {
      for await (const value of executor.map(double, range(20_000), { chunksize: 10_000 })) {
        void value;
        consumed++;
      }
    } finally {
      clearInterval(ticks);
    }
    expect(consumed).toBe(20_000);
    expect(turned).toBeGreaterThan(0); // without the turns the interval would not run before the end
  });
});

/**
 * A backend with `claimsAhead`, in-process: one worker that runs its batches one after another;
 * a task sent ahead waits in the worker's line and is taken through a claim, which `revokeAhead`
 * races for. With `silent`, the worker takes it without telling (as worker threads do, through
 * shared memory): the executor learns it from `observeAhead`.
 */
class ClaimingExecutor extends Executor {
  readonly capabilities: ExecutorCapabilities = { plainFunctions: true, stopRunning: 'forced', sameObjects: true };
  readonly #claims = new Map<RunningTask, 'open' | 'taken' | 'revoked'>();
  /** Tasks taken silently, not yet seen by the executor, with when the worker took them. */
  readonly #unseen = new Map<RunningTask, number>();
  #line: Promise<unknown> = Promise.resolve();
  /** Make the worker die (the batches waiting in its line never run) when this resolves. */
  crash: Promise<void> | undefined;
  /** Take tasks sent ahead without calling `claimed()`. */
  silent = false;
  /** What the silent worker says about when it took a task, relative to the real time (ms). */
  claimShift = 0;
  readonly ran: unknown[] = [];
  /** The first argument of each task handed over ahead (to the busy worker). */
  readonly sentAhead: unknown[] = [];
  /** The size of each batch handed over. */
  readonly batchSizes: number[] = [];

  constructor(options: { recordTiming?: boolean } = {}) {
    super(baseConfig('ClaimingExecutor', { maxWorkers: 1, ...options }, { maxWorkers: 1 }));
  }
  protected override observeAhead(): void {
    for (const [running, at] of this.#unseen) {
      this.#unseen.delete(running);
      running.claimed?.(at);
    }
  }
  protected override get maxBatchSize(): number {
    return 256;
  }
  protected override get sendAhead(): number {
    return 1;
  }
  protected override get claimsAhead(): boolean {
    return true;
  }
  protected override revokeAhead(running: RunningTask): boolean {
    if (this.#claims.get(running) !== 'open') return false;
    this.#claims.set(running, 'revoked');
    return true;
  }
  protected runTask(): unknown {
    throw new Error('a batching backend is called through runBatch');
  }
  protected override runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    const running = batch[0] as RunningTask;
    if (running.ahead === true) {
      this.#claims.set(running, 'open');
      this.sentAhead.push(running.args[0]);
    }
    this.batchSizes.push(batch.length);
    const crash = this.crash;
    const run = this.#line.then(async () => {
      if (crash !== undefined && running.ahead === true) throw BATCH_NOT_RUN; // the worker died before taking it
      if (running.ahead === true) {
        if (this.#claims.get(running) !== 'open') return; // taken back: skipped
        this.#claims.set(running, 'taken');
        if (this.silent) this.#unseen.set(running, performance.now() + this.claimShift);
        else running.claimed?.();
      }
      for (const [index, each] of batch.entries()) {
        this.ran.push(each.args[0]);
        report(index, false, await (each.task as TaskFunction).apply(each.context, each.args as unknown[]));
      }
    });
    this.#line = run.catch(() => undefined);
    return run;
  }
}

describe('tasks sent ahead with claims (claimsAhead)', () => {
  /** Returns x once `gate` opens (and after a few ms, so that the executor measures tasks as slow). */
  const slow = async (x: number, gate?: Promise<void>): Promise<number> => {
    await sleep(5);
    await gate;
    return x;
  };

  /** A started executor that measured its tasks as slow (only those go ahead). */
  async function started(): Promise<ClaimingExecutor> {
    const executor = new ClaimingExecutor();
    await executor.submit(slow, -1);
    executor.ran.length = 0;
    executor.sentAhead.length = 0;
    return executor;
  }

  it('a slow task with a bulky binary argument is still sent ahead (alone, it costs no batch)', async () => {
    await using executor = await started();
    const gate = deferred();
    const bulky = new Uint8Array(64 * 1024);
    const first = executor.submit(slow, 1, gate.promise);
    const second = executor.submit(async (data: Uint8Array) => slow(data.length), bulky);
    await macrotask();
    const sentAhead = [...executor.sentAhead];
    gate.resolve(); // before any assertion can fail: shutting the executor down waits for the first task
    expect(sentAhead).toEqual([bulky]);
    expect([await first, await second]).toEqual([1, 64 * 1024]);
  });

  it('a task sent ahead stays pending and counted as queued; cancel() takes it back and it never runs', async () => {
    await using executor = await started();
    const gate = deferred();
    const first = executor.submit(slow, 1, gate.promise);
    const second = executor.submit(slow, 2);
    await macrotask();
    expect(first.running()).toBe(true);
    expect(executor.sentAhead).toEqual([2]);
    expect(second.state).toBe('pending'); // sent ahead, not taken
    expect(executor.stats).toMatchObject({ running: 1, queued: 1 });
    expect(second.cancel()).toBe(true);
    gate.resolve();
    expect(await first).toBe(1);
    await executor.onIdle();
    expect(executor.ran).toEqual([1]);
    expect(executor.stats).toMatchObject({ completed: 2, cancelled: 1, queued: 0, running: 0 });
  });

  it.each([
    ['tells the executor', false],
    ['takes it silently (cancel() itself asks)', true],
  ])('once its worker takes it (the worker %s), the task is running and cancel() is false', async (_how, silent) => {
    await using executor = await started();
    executor.silent = silent;
    const gate = deferred();
    const gate2 = deferred();
    const first = executor.submit(slow, 1, gate.promise);
    const second = executor.submit(slow, 2, gate2.promise);
    await macrotask();
    gate.resolve();
    await first;
    await macrotask();
    expect(second.cancel()).toBe(false);
    expect(second.running()).toBe(true);
    expect(second.state).toBe('running');
    gate2.resolve();
    expect(await second).toBe(2);
    expect(executor.stats).toMatchObject({ completed: 3, cancelled: 0 });
  });

  it('a task sent ahead to a worker that died before taking it goes back to the queue and runs once', async () => {
    await using executor = await started();
    const gate = deferred();
    const first = executor.submit(slow, 1, gate.promise);
    executor.crash = Promise.resolve();
    const second = executor.submit(slow, 2);
    await macrotask();
    executor.crash = undefined;
    gate.resolve();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    expect(executor.sentAhead).toEqual([2]); // then it ran from the queue, on a free worker
    expect(executor.ran).toEqual([1, 2]);
  });

  it('a task its worker took silently reads running once asked (state, running(), stats, cancel())', async () => {
    await using executor = await started();
    executor.silent = true;
    const gate = deferred();
    const gate2 = deferred();
    const first = executor.submit(slow, 1, gate.promise);
    const second = executor.submit(slow, 2, gate2.promise);
    const third = executor.submit(slow, 3, gate2.promise);
    const startedEvents: unknown[] = [];
    executor.on('started', (future) => startedEvents.push(future));
    await macrotask();
    expect(executor.sentAhead).toEqual([2]);
    gate.resolve();
    await first;
    await macrotask(); // the worker took the second task; nobody told the executor
    try {
      expect(executor.ran).toEqual([1, 2]);
      expect(executor.stats).toMatchObject({ running: 1, queued: 1 }); // stats asks first
      expect(startedEvents).toEqual([first, second]);
      expect(second.running()).toBe(true);
      expect(second.cancel()).toBe(false);
      expect(third.state).toBe('pending');
    } finally {
      gate2.resolve();
    }
    expect([await second, await third]).toEqual([2, 3]);
  });

  it("a task sent ahead waits and runs from when its worker says it took it", async () => {
    const executor = new ClaimingExecutor({ recordTiming: true });
    await executor.submit(slow, -1);
    executor.silent = true;
    executor.claimShift = -10_000; // the worker says it took the task 10 s ago
    const gate = deferred();
    const first = executor.submit(slow, 1, gate.promise);
    const second = executor.submit(slow, 2);
    await macrotask();
    gate.resolve();
    expect([await first, await second]).toEqual([1, 2]);
    expect(executor.sentAhead).toEqual([2]);
    expect(executor.timing?.run.max).toBeGreaterThanOrEqual(10_000);
    expect(executor.timing?.wait.count).toBe(3);
    await executor.shutdown();
  });

  it('quick tasks after tasks sent ahead travel in batches again (the run time of a task sent ahead counts from its claim)', async () => {
    await using executor = await started();
    const gate = deferred();
    const first = executor.submit(slow, 1, gate.promise);
    const second = executor.submit(slow, 2);
    await macrotask();
    expect(executor.sentAhead).toEqual([2]);
    gate.resolve();
    await Promise.all([first, second]);
    // The moving average of task times falls below 1 ms within about 20 quick tasks.
    const quick = (x: number): number => x;
    for (let round = 0; round < 4; round++) await Promise.all(Array.from({ length: 30 }, (_, i) => executor.submit(quick, i)));
    expect(Math.max(...executor.batchSizes.slice(-20))).toBeGreaterThan(1);
  });

  it('shutdown({ cancelFutures: true }) cancels a task sent ahead that no worker took', async () => {
    const executor = await started();
    const gate = deferred();
    const first = executor.submit(slow, 1, gate.promise);
    const second = executor.submit(slow, 2);
    await macrotask();
    const closing = executor.shutdown({ cancelFutures: true });
    expect(second.cancelled()).toBe(true);
    gate.resolve();
    await closing;
    expect(await first).toBe(1);
    expect(executor.ran).toEqual([1]);
  });
});

describe('bulky binary arguments travel alone', () => {
  /** The size from which a binary argument makes its task travel alone (core's BULKY_ARGUMENT_BYTES). */
  const BULKY = 64 * 1024;
  const size = (data: ArrayBuffer | ArrayBufferView | number): number => (typeof data === 'number' ? data : data.byteLength);

  /** A started executor whose moving average says tasks are quick, so that queued ones are coalesced. */
  async function quickExecutor(): Promise<BatchingExecutor> {
    const executor = new BatchingExecutor();
    for (let round = 0; round < 4; round++) await Promise.all(Array.from({ length: 30 }, (_, i) => executor.submit(size, i)));
    executor.batches.length = 0;
    return executor;
  }

  it('a task whose argument holds 64 KiB of copied binary data is never batched; smaller and shared ones still are', async () => {
    await using executor = await quickExecutor();
    const args = [
      new ArrayBuffer(BULKY),
      new Uint8Array(BULKY - 1),
      Buffer.alloc(BULKY),
      new Float64Array(BULKY / 8),
      new DataView(new ArrayBuffer(BULKY)),
      new Uint8Array(new SharedArrayBuffer(BULKY)), // shared memory is not copied
      new Uint8Array(new ArrayBuffer(4 * BULKY), 0, 16), // postMessage copies the whole buffer under a view
      Buffer.from('a pooled Buffer: a view of an 8 KiB slab'),
      7,
    ];
    const bulky = [true, false, true, true, true, false, true, false, false];
    // Each four times: the bulky ones first, then the others in one run, so that they queue together.
    const order = [...args.filter((_, i) => bulky[i]), ...args.filter((_, i) => !bulky[i])].flatMap((arg) => [arg, arg, arg, arg]);
    const results = await Promise.all(order.map((arg) => executor.submit(size, arg)));
    expect(results).toEqual(order.map(size));
    const batches = executor.batches as unknown[][];
    for (const [i, arg] of args.entries()) {
      const sizes = batches.filter((batch) => batch.includes(arg)).map((batch) => batch.length);
      expect(sizes.length, `argument ${i}`).toBeGreaterThan(0);
      if (bulky[i]) expect(sizes, `argument ${i} travels alone`).toEqual(sizes.map(() => 1));
    }
    // the others were coalesced: the queue was deeper than the workers when they came
    expect(Math.max(...batches.map((batch) => batch.length))).toBeGreaterThan(1);
    expect(batches.flat()).toHaveLength(order.length);
  });
});
