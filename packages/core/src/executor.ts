import { BrokenExecutorError, ExecutorShutdownError, QueueFullError, TaskTimeoutError } from './errors.js';
import { Emitter, type ExecutorEvents, type ExecutorStats } from './events.js';
import { Future, type FutureState } from './future.js';
import { ChunkResults, MapIterator, type MapOptions, type MapSubmitter } from './map.js';
import { durationOption, integerOption, limitOption, optionsObject, rejectUnknownOptions } from './options.js';
import { Durations, type DurationSummary } from './durations.js';
import { Deque } from './queue.js';
import { presetTaskBatch } from './protocol.js';
import { keepShape } from './shapes.js';
import { checkTask, isTaskRef, taskName, type Task, type TaskArgs, type TaskContext, type TaskResult } from './task.js';
import { checkSignal, formatMs, noop } from './timing.js';

/** Tasks measured below this many ms are coalesced into batches by batching backends. */
const QUICK_TASK_MS = 1;

/** Schedules the pump as a plain promise reaction. */
const resolved = Promise.resolve();

/** Options for one call: `executor.submitWith(options, task, ...args)`. */
export interface SubmitOptions {
  /**
   * Aborts this task: while it waits, its future is cancelled; while it runs, its future
   * rejects with `signal.reason` at once and the task is stopped (the async backend hands
   * the signal to the task; thread and process backends stop the worker and start a new one).
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Per-task time limit in milliseconds, counted from when the task starts running. When it
   * passes, the future rejects with `TaskTimeoutError` and the task is stopped like an abort.
   * @default the executor's `taskTimeout`
   */
  readonly timeout?: number | undefined;
  /**
   * Objects to move rather than copy to the worker (ArrayBuffers, MessagePorts). Ignored by
   * in-process executors.
   */
  readonly transfer?: readonly unknown[] | undefined;
}

/** Options of {@link Executor.shutdown}, as in Python. */
export interface ShutdownOptions {
  /**
   * Resolve only when every submitted task has settled and resources are released.
   * @default true
   */
  readonly wait?: boolean | undefined;
  /**
   * Cancel every task that has not started yet. Running tasks finish.
   * @default false
   */
  readonly cancelFutures?: boolean | undefined;
}

/** What a backend can and cannot do; `@futures/test-suite` reads it to pick its tests. */
export interface ExecutorCapabilities {
  /** Plain functions can be submitted (in-process backends), not only task references. */
  readonly plainFunctions: boolean;
  /**
   * How a running task is stopped on abort or timeout: `'cooperative'` hands it an
   * `AbortSignal` that it must watch; `'forced'` stops the worker running it.
   */
  readonly stopRunning: 'cooperative' | 'forced';
  /**
   * Arguments, results and errors are the very same objects (in-process), rather than copies
   * made with the structured clone algorithm.
   */
  readonly sameObjects: boolean;
}

/** Settings a backend passes to the {@link Executor} constructor. */
export interface ExecutorConfig {
  /** The class name used in messages, e.g. `'AsyncExecutor'`. */
  readonly name: string;
  /** The validated concurrency bound. */
  readonly maxWorkers: number;
  /** The validated queue bound (`Infinity` for none). */
  readonly maxQueue: number;
  /** The validated default per-task timeout in ms (`undefined` for none). */
  readonly taskTimeout: number | undefined;
  /** Record wait and run times for `executor.timing`. */
  readonly recordTiming?: boolean;
}

/** Options every backend accepts; backends extend this interface. */
export interface BaseExecutorOptions {
  /**
   * How many tasks run at once: Python's `max_workers`.
   */
  readonly maxWorkers?: number | undefined;
  /**
   * How many tasks may wait for a worker. When the queue is full, `submit` throws
   * `QueueFullError` (nothing is queued) and `map` waits for room.
   * @default Infinity
   */
  readonly maxQueue?: number | undefined;
  /**
   * Default per-task time limit in milliseconds, counted from when a task starts.
   * @default undefined (no limit)
   */
  readonly taskTimeout?: number | undefined;
  /**
   * Record how long tasks wait and run, for `executor.timing` (percentiles). Costs two clock
   * reads per task.
   * @default false for AsyncExecutor, true for the thread and process backends
   */
  readonly recordTiming?: boolean | undefined;
}

/** Checks the options every backend shares; backends call it from their constructors. */
export function baseConfig(
  name: string,
  options: BaseExecutorOptions | undefined,
  defaults: { readonly maxWorkers: number; readonly recordTiming?: boolean },
  extraKeys: readonly string[] = [],
): ExecutorConfig & { readonly options: Partial<BaseExecutorOptions> } {
  const opts = optionsObject(`new ${name}()`, options);
  rejectUnknownOptions(`new ${name}()`, opts, ['maxWorkers', 'maxQueue', 'taskTimeout', 'recordTiming', ...extraKeys]);
  if (opts.recordTiming !== undefined && typeof opts.recordTiming !== 'boolean') {
    throw new TypeError(`recordTiming must be a boolean, got ${typeof opts.recordTiming}`);
  }
  return {
    name,
    recordTiming: opts.recordTiming ?? defaults.recordTiming ?? false,
    maxWorkers: integerOption('maxWorkers', opts.maxWorkers, defaults.maxWorkers),
    maxQueue: limitOption('maxQueue', opts.maxQueue, Infinity, 0),
    taskTimeout: durationOption('taskTimeout', opts.taskTimeout),
    options: opts,
  };
}

/** A task handed to a backend's {@link Executor.runTask}. */
export interface RunningTask {
  /** The task (a reference, or a function on in-process backends). */
  readonly task: Task;
  /** Its arguments. */
  readonly args: readonly unknown[];
  /** Aborted when the task must stop (abort, timeout); its `reason` says why. */
  readonly signal: AbortSignal;
  /** The context to call the task function with (`this` inside the task). */
  readonly context: TaskContext;
  /** Objects to transfer rather than copy. */
  readonly transfer: readonly unknown[] | undefined;
  /** The future the task settles; backends normally leave it to the executor. */
  readonly future: Future;
  /**
   * The task's time limit in ms, when it has one (the executor enforces it; a backend whose
   * workers are remote passes it on so that they stop the task too).
   */
  readonly timeout?: number | undefined;
  /** True when the task can be stopped while running (it has a signal or a timeout): run it alone and watch `signal`. */
  readonly stoppable: boolean;
  /**
   * True for a call of a `map` chunk: the calls share the chunk's future, which settles when
   * all of them have run, so no outcome of one is awaited alone (backends may group them more).
   */
  readonly inChunk?: boolean;
  /**
   * For backends whose `reportsTaskStart` is true: call when the task really starts (e.g. a
   * worker thread finished starting up), which starts its per-task timeout.
   */
  started(): void;
  /**
   * True for a task sent ahead to a busy worker on a backend with `claimsAhead`: its future
   * stays pending (cancellable) until the worker takes it; the backend calls `claimed()` then.
   */
  readonly ahead?: boolean;
  /**
   * For a task sent `ahead`: call once the worker took it (its future turns running).
   * `startedAt` is when the worker took it, on this thread's `performance.now()` clock (default:
   * now); the task's wait and run times count from it.
   */
  readonly claimed?: ((startedAt?: number) => void) | undefined;
}

/**
 * How a batching backend reports each task of a batch as it settles: `index` into the batch,
 * then the result or the error.
 */
export interface BatchReport {
  (index: number, failed: boolean, value: unknown): void;
  /**
   * When present, reports the results of the tasks `from`, `from + 1`, ... at once (all
   * succeeded): the executor may take the list as it is. A backend that receives outcomes in
   * groups calls it instead of one report per task.
   */
  readonly many?: ((from: number, values: unknown[]) => void) | undefined;
}

/**
 * What a backend's `runBatch` rejects with when the batch never started (it waited behind
 * another batch on a worker that died): the executor puts it back in the queue untouched.
 */
export const BATCH_NOT_RUN: unique symbol = Symbol('futures.batchNotRun');

/** The future an executor hands out; it tells its executor when it is cancelled while queued. */
class QueuedFuture<T> extends Future<T> {
  /** Set while the task waits in the queue. */
  item: WorkItem | undefined;

  /** For a task sent ahead, asks the backend first whether its worker took it meanwhile. */
  override get state(): FutureState {
    this.item?.observe?.();
    return super.state;
  }

  override running(): boolean {
    return this.state === 'running';
  }

  override cancel(): boolean {
    const item = this.item;
    // Sent ahead to a busy worker: cancelled only if the backend takes it back before the worker takes it.
    if (item?.revoke !== undefined && this.state === 'pending' && !item.revoke()) {
      item.claimed?.();
      return false;
    }
    const wasPending = this.state === 'pending';
    const cancelled = super.cancel();
    if (wasPending && cancelled && item !== undefined) item.onCancel(item);
    return cancelled;
  }
}

/** What `this` is inside a task function. */
class Context implements TaskContext {
  readonly #item: WorkItem;
  constructor(item: WorkItem) {
    this.#item = item;
  }
  get signal(): AbortSignal {
    return this.#item.signal;
  }
}

/** Executor-internal record of one submitted task. */
class WorkItem implements RunningTask {
  readonly future: QueuedFuture<unknown>;
  #controller: AbortController | undefined;
  removeAbort: () => void = noop;
  clearTimer: () => void = noop;

  constructor(
    readonly onCancel: (item: WorkItem) => void,
    readonly task: Task,
    readonly args: readonly unknown[],
    readonly userSignal: AbortSignal | undefined,
    readonly timeout: number | undefined,
    readonly transfer: readonly unknown[] | undefined,
    /** A chunk of `map` (one future for many calls, as in Python); `args` is empty then. */
    readonly chunk?: Chunk,
  ) {
    this.future = new QueuedFuture({ name: chunk === undefined ? taskName(task) : `${taskName(task)} (map chunk of ${chunk.calls.length})` });
    this.future.item = this;
    if (chunk !== undefined) this.results = new ChunkResults(chunk.calls.length);
  }

  /** The chunk's calls, when it is one. */
  get calls(): readonly unknown[] | undefined {
    return this.chunk?.calls;
  }

  /** A chunk's outcomes so far, by call. */
  results: ChunkResults | undefined;

  /** Set once the future is running; a batch-mate put back in the queue keeps it. */
  isRunning = false;
  /** Set while the task is sent ahead and not yet taken by its worker: takes it back, true if it will not run. */
  revoke: (() => boolean) | undefined;
  /** Set while the task is sent ahead (see {@link RunningTask.claimed}). */
  claimed: ((startedAt?: number) => void) | undefined;
  /** Set while the task is sent ahead: has the backend report whether workers took their tasks (see {@link Executor.observeAhead}). */
  observe: (() => void) | undefined;
  /** True when sent ahead to a busy worker. */
  ahead = false;
  /** `performance.now()` at submit and at start, when the executor records timing. */
  submittedAt = 0;
  startedAt = 0;
  /** Starts the per-task timeout (set by the executor when it runs the task). */
  started: () => void = noop;

  get stoppable(): boolean {
    return this.userSignal !== undefined || this.timeout !== undefined;
  }

  /** May be handed to a busy worker ahead of time: nothing may stop it alone, nothing to transfer. */
  get canGoAhead(): boolean {
    return this.userSignal === undefined && this.timeout === undefined && this.transfer === undefined;
  }

  /** Can travel with other tasks in one message: as {@link WorkItem.canGoAhead}, and no bulky binary argument (see {@link BULKY_ARGUMENT_BYTES}). */
  get batchable(): boolean {
    return this.canGoAhead && !(this.#bulky ??= hasBulkyArgument(this.args));
  }

  /** Whether an argument is bulky binary data, once asked. */
  #bulky: boolean | undefined;

  /** The signal handed to the task; created on first use so that quick tasks allocate none. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.userSignal?.aborted) this.#controller.abort(this.userSignal.reason);
    }
    return this.#controller.signal;
  }

  get context(): TaskContext {
    return new Context(this);
  }

  abort(reason: unknown): void {
    if (this.#controller === undefined) this.#controller = new AbortController();
    this.#controller.abort(reason);
  }
}

/**
 * Binary arguments from this size on (an `ArrayBuffer`, a typed array, a `DataView`, a `Buffer`;
 * not over shared memory, which is not copied) make a task travel alone. Batching saves a
 * message's fixed cost, tens of microseconds; copying such an argument costs more than that,
 * and a batch makes one worker receive every copy before it starts: 1 MiB round trips on 2
 * threads, 4 in flight, ran at 2,021 trips/s batched and 2,470 alone (piscina: 3,009).
 */
const BULKY_ARGUMENT_BYTES = 64 * 1024;

/**
 * True when one of `args` is binary data of {@link BULKY_ARGUMENT_BYTES} or more that a message
 * would copy. A view counts its whole buffer: `postMessage` copies the buffer under a view, not
 * only the view's bytes (a 16-byte view of a 256 KiB buffer arrives with all 256 KiB).
 */
function hasBulkyArgument(args: readonly unknown[]): boolean {
  for (const arg of args) {
    if (typeof arg !== 'object' || arg === null) continue;
    const buffer = arg instanceof ArrayBuffer ? arg : ArrayBuffer.isView(arg) ? arg.buffer : undefined;
    if (buffer instanceof ArrayBuffer && buffer.byteLength >= BULKY_ARGUMENT_BYTES) return true; // a SharedArrayBuffer is not copied
  }
  return false;
}

// The shapes of a task's record and future outlive every task (see shapes.ts).
keepShape(new WorkItem(noop, noop, [], undefined, undefined, undefined));

/** The calls of a map chunk: argument lists, or (`single`) each call's one argument. */
interface Chunk {
  readonly calls: readonly unknown[];
  readonly single: boolean;
}

/** One call of a map chunk as backends see it: a task of its own that shares the chunk's future and signal. */
class ChunkCall implements RunningTask {
  constructor(
    readonly item: WorkItem,
    readonly call: number,
  ) {}
  get args(): readonly unknown[] {
    const chunk = this.item.chunk as Chunk;
    const args = chunk.calls[this.call];
    return chunk.single ? [args] : (args as readonly unknown[]);
  }
  get task(): Task {
    return this.item.task;
  }
  get signal(): AbortSignal {
    return this.item.signal;
  }
  get context(): TaskContext {
    return this.item.context;
  }
  get transfer(): undefined {
    return undefined;
  }
  get future(): Future {
    return this.item.future;
  }
  get stoppable(): boolean {
    return this.item.stoppable;
  }
  get inChunk(): true {
    return true;
  }
  started(): void {
    this.item.started();
  }
}

/**
 * The tasks of a chunk's batch, as backends see them: one per call to run (`todo`, or every
 * call). Each is made when a backend first looks at it: a thousand-call chunk whose backend only
 * reads the first task and its preset message form costs no thousand objects.
 */
function chunkCalls(item: WorkItem, todo: readonly number[] | undefined, count: number): readonly RunningTask[] {
  const made: (ChunkCall | undefined)[] = new Array<ChunkCall | undefined>(count);
  return new Proxy(made, {
    get(target, key, receiver): unknown {
      if (typeof key === 'string') {
        const index = Number(key);
        if (Number.isInteger(index) && index >= 0 && index < count) return (target[index] ??= new ChunkCall(item, todo === undefined ? index : (todo[index] as number)));
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key): boolean {
      // Array methods (find, map, forEach) skip holes: every index counts as present.
      if (typeof key === 'string') {
        const index = Number(key);
        if (Number.isInteger(index) && index >= 0 && index < count) return true;
      }
      return Reflect.has(target, key);
    },
  }) as readonly RunningTask[];
}

/**
 * The base class of every executor: it owns the queue, the concurrency bound, cancellation,
 * per-task timeouts and aborts, counters and events, `map`, and shutdown. A backend supplies
 * {@link Executor.runTask} (and, if it holds resources, {@link Executor.release}).
 */
export abstract class Executor extends Emitter<ExecutorEvents> implements AsyncDisposable {
  /** What this backend supports; read by `@futures/test-suite`. */
  abstract readonly capabilities: ExecutorCapabilities;

  /** How many tasks run at once. */
  readonly maxWorkers: number;
  /** How many tasks may wait for a worker (`Infinity`: unbounded). */
  readonly maxQueue: number;

  readonly #name: string;
  readonly #taskTimeout: number | undefined;
  readonly #queue = new Deque<WorkItem>();
  #queued = 0;
  #running = 0;
  #submitted = 0;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #pumpScheduled = false;
  #pumping = false;
  /** Workers busy with a task or a batch (equals #running without batching); counts batches sent ahead too. */
  #busy = 0;
  /** Tasks sent ahead whose worker has not taken them yet. */
  readonly #aheadSent = new Set<WorkItem>();
  /** The tasks watching each signal (see `#watch`), with the function that removes its listener. */
  readonly #watched = new Map<AbortSignal, Set<WorkItem> & { stop(): void }>();
  /** Moving average of a task's time in ms, measured by batching backends. */
  #taskMs: number | undefined;
  /** Wait and run times, when `recordTiming` is on. */
  readonly #timing: { readonly wait: Durations; readonly run: Durations } | undefined;
  #shutdown = false;
  #broken: BrokenExecutorError | undefined;
  #closed: Promise<void> | undefined;
  #idleWaiters: (() => void)[] = [];
  #roomWaiters: { below: number; resolve: () => void }[] = [];

  /** Backends pass the result of {@link baseConfig}. */
  protected constructor(config: ExecutorConfig) {
    super();
    this.#name = config.name;
    this.maxWorkers = config.maxWorkers;
    this.maxQueue = config.maxQueue;
    this.#taskTimeout = config.taskTimeout;
    this.#timing = config.recordTiming === true ? { wait: new Durations(), run: new Durations() } : undefined;
  }

  /**
   * Percentiles (ms) of how long recent tasks waited for a worker and how long they ran, when
   * the executor records timing (`recordTiming`); `undefined` otherwise.
   */
  get timing(): { readonly wait: DurationSummary; readonly run: DurationSummary } | undefined {
    return this.#timing === undefined ? undefined : { wait: this.#timing.wait.summary(), run: this.#timing.run.summary() };
  }

  /**
   * Runs one task and returns its result (or a promise of it). Called when a worker slot is
   * free; the executor settles the future. `running.signal` aborts when the task must stop.
   */
  protected abstract runTask(running: RunningTask): unknown;

  /** Releases the backend's resources once shutdown has drained every task. */
  protected release(): Promise<void> | void {}

  /**
   * For backends that send several tasks per message (thread and process pools): the most
   * tasks one batch may hold. Above 1, the executor calls {@link Executor.runBatch} instead of
   * `runTask`, coalescing queued tasks when the queue is deeper than the free workers, and
   * `map` sends its `chunksize` chunks as batches of their own (one future per chunk, whatever
   * this limit). Tasks with a signal, a timeout or objects to transfer always travel alone.
   */
  protected get maxBatchSize(): number {
    return 1;
  }

  /**
   * For batching backends that can queue work on a busy worker: how many `map` chunks each
   * worker may be sent ahead, behind the batch it runs, so that it never waits for the next
   * one. A chunk sent ahead counts as running (as Python's ProcessPoolExecutor treats the calls
   * it has queued for its workers): stopping the map does not cancel it. If its worker dies
   * before it starts, the backend rejects its `runBatch` with {@link BATCH_NOT_RUN}.
   */
  protected get sendAhead(): number {
    return 0;
  }

  /**
   * True when the backend can take back a task it sent ahead, atomically against the worker
   * taking it (a shared-memory claim): then any task that can travel with others may be sent
   * ahead and keeps Python's `cancel()` exactly (a future is running only once its worker took
   * it). Such a backend calls `running.claimed()` when the worker takes the task, answers
   * {@link Executor.revokeAhead}, and rejects `runBatch` with {@link BATCH_NOT_RUN} when the
   * worker died before taking it. Without it, only `map` chunks go ahead, counted as running.
   */
  protected get claimsAhead(): boolean {
    return false;
  }

  /**
   * True for backends that hand each task at once to a queue outside this process (a broker,
   * such as Redis) from which remote workers take it: every task that is not a `map` chunk goes
   * the way of a task sent ahead (see {@link Executor.claimsAhead}, which such a backend sets
   * too): its future stays pending, and `cancel()` asks {@link Executor.revokeAhead}, until the
   * backend calls `claimed()` when a worker took it. Its per-task timeout starts then.
   * `maxWorkers` bounds the tasks handed over at once.
   */
  protected get handsOverAll(): boolean {
    return false;
  }

  /** For backends with `claimsAhead`: takes back a task sent ahead; true if its worker will not run it. */
  protected revokeAhead(running: RunningTask): boolean {
    void running;
    return false;
  }

  /**
   * For backends with `claimsAhead` whose workers take tasks without telling the main thread
   * (a store to shared memory, no message: telling would wake the main thread once more per
   * task): call `claimed(startedAt)` on every task sent ahead that its worker took so far. The
   * executor calls it whenever a future sent ahead is asked for its state and before `stats`;
   * the backend also calls it whenever a worker's message wakes it up anyway.
   */
  protected observeAhead(): void {}

  /** {@link Executor.observeAhead}, for the futures sent ahead. */
  readonly #observeAhead = (): void => this.observeAhead();

  /**
   * True when the backend calls `running.started()` once a task really starts (after a worker
   * started up, say), so that per-task timeouts do not count start-up time. Otherwise the
   * timeout starts when the task is handed to the backend.
   */
  protected get reportsTaskStart(): boolean {
    return false;
  }

  /**
   * Runs a batch on one worker, in order, calling `report` as each task settles. Resolve (or
   * reject) when the worker is free again. If it rejects, the first task not reported fails
   * with the rejection (it was running) and the tasks after it are queued again: they never ran.
   */
  protected runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    void batch;
    void report;
    return Promise.reject(new TypeError(`${this.#name} sets maxBatchSize above 1 but does not implement runBatch`));
  }

  /** Live counters: submitted, queued, running, completed, failed, cancelled (a `map` chunk counts as one task, as its one future). */
  get stats(): ExecutorStats {
    if (this.#aheadSent.size > 0) this.observeAhead();
    return {
      submitted: this.#submitted,
      queued: this.#queued,
      running: this.#running,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
    };
  }

  /** True once `shutdown()` was called. */
  get isShutdown(): boolean {
    return this.#shutdown;
  }

  /** True once the executor is broken: it accepts no more tasks. */
  get isBroken(): boolean {
    return this.#broken !== undefined;
  }

  /**
   * Schedules `task(...args)` and returns its {@link Future}.
   * Throws `ExecutorShutdownError` after shutdown, `BrokenExecutorError` when broken,
   * `QueueFullError` when `maxQueue` tasks already wait, and `TypeError` for a bad task.
   *
   * @example
   * const future = executor.submit(tasks.square, 7);
   * await future; // 49
   */
  submit<T extends Task>(task: T, ...args: TaskArgs<T>): Future<TaskResult<T>> {
    return this.#submit(task, args, undefined, this.#taskTimeout, undefined);
  }

  /**
   * Like {@link Executor.submit}, with per-call options: an `AbortSignal`, a `timeout`, objects to `transfer`.
   *
   * @example
   * const future = executor.submitWith({ signal: AbortSignal.timeout(5000) }, tasks.fetchPage, url);
   */
  submitWith<T extends Task>(options: SubmitOptions, task: T, ...args: TaskArgs<T>): Future<TaskResult<T>> {
    const opts = optionsObject('submitWith', options);
    rejectUnknownOptions('submitWith', opts, ['signal', 'timeout', 'transfer']);
    if (opts.transfer !== undefined && !Array.isArray(opts.transfer)) throw new TypeError('transfer must be an array');
    const timeout = opts.timeout === undefined ? this.#taskTimeout : durationOption('timeout', opts.timeout);
    return this.#submit(task, args, checkSignal(opts.signal), timeout, opts.transfer);
  }

  /**
   * Calls `task` on every item of `iterable` (sync or async) and yields the results in input
   * order, as Python's `Executor.map`. Without `buffersize` every item is submitted at once;
   * with it, at most `buffersize` items are in flight, so an endless input uses bounded memory.
   * `timeout` (ms) is counted from this call. Stopping early (break, throw, timeout, a failed
   * task) cancels every task that has not started.
   *
   * @example
   * for await (const square of executor.map(tasks.square, [1, 2, 3])) console.log(square);
   */
  map<T extends Task>(task: T, iterable: Iterable<TaskArgs<T>[0]> | AsyncIterable<TaskArgs<T>[0]>, options?: MapOptions): AsyncIterableIterator<TaskResult<T>> {
    this.#checkAccepting();
    checkTask(task, this.#taskCheck());
    return new MapIterator(this.#mapSubmitter(task), iterable, undefined, options, this.#name);
  }

  /**
   * Like {@link Executor.map} for tasks of several arguments: each item is the argument list.
   *
   * @example
   * for await (const sum of executor.starmap(tasks.add, [[1, 2], [3, 4]])) console.log(sum);
   */
  starmap<T extends Task>(task: T, iterable: Iterable<TaskArgs<T>> | AsyncIterable<TaskArgs<T>>, options?: MapOptions): AsyncIterableIterator<TaskResult<T>> {
    this.#checkAccepting();
    checkTask(task, this.#taskCheck());
    return new MapIterator(this.#mapSubmitter(task), iterable, (args) => {
      if (!Array.isArray(args)) throw new TypeError(`starmap expects each item to be an array of arguments, got ${typeof args}`);
      return args as unknown[];
    }, options, this.#name);
  }

  /**
   * Stops accepting tasks. With `cancelFutures`, tasks that have not started are cancelled.
   * With `wait` (the default), resolves once every task has settled and the backend's resources
   * are released. Calling it again is harmless.
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    const opts = optionsObject('shutdown', options);
    rejectUnknownOptions('shutdown', opts, ['wait', 'cancelFutures']);
    this.#shutdown = true;
    if (opts.cancelFutures === true) this.#cancelQueued();
    if (this.#closed === undefined) {
      this.#closed = this.onIdle()
        .then(() => this.release())
        .then(() => this.emit('shutdown'));
      this.#closed.catch(noop); // reported to whoever awaits shutdown({ wait: true })
    }
    return opts.wait === false ? Promise.resolve() : this.#closed;
  }

  /** `await using executor = new SomeExecutor()` shuts it down (waiting) at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.#queued === 0 && this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Resolves when fewer than `size` tasks wait for a worker (tasks about to take a free worker
   * do not count): for backpressure with `maxQueue`.
   */
  onQueueBelow(size: number): Promise<void> {
    integerOption('size', size, 1, 0);
    if (this.#waiting() < size) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push({ below: size, resolve }));
  }

  /** `AsyncExecutor(maxWorkers=4, running=1, queued=3)`. */
  override toString(): string {
    return `${this.#name}(maxWorkers=${this.maxWorkers}, running=${this.#running}, queued=${this.#queued})`;
  }

  /**
   * For backends: marks the executor broken (Python's semantics): every queued future fails with
   * `error`, and `submit` throws it from now on.
   */
  protected markBroken(error: BrokenExecutorError): void {
    if (this.#broken !== undefined) return;
    this.#broken = error;
    for (const item of this.#queue.drain()) {
      // A batch-mate put back in the queue is already running; the others start now, to fail.
      if (item.isRunning || item.future.setRunningOrNotifyCancel()) {
        this.#queued--;
        item.removeAbort();
        if (item.results !== undefined) {
          // A chunk keeps the outcomes of the calls it ran; the others fail in their places.
          item.results.failRest(error);
          this.#completed++;
          item.future.setResult(item.results);
        } else {
          this.#failed++;
          item.future.setException(error);
        }
        this.#settled(item.future);
      }
    }
    this.#checkRoom();
    this.#checkIdle();
  }

  /** Called by a queued future when it is cancelled. */
  readonly #cancelledWhileQueued = (item: WorkItem): void => {
    item.removeAbort();
    this.#queued--;
    this.#cancelled++;
    this.#settled(item.future);
    this.#checkRoom();
    this.#checkIdle();
  };

  /** Throws when the executor is broken or shut down. */
  #checkAccepting(): void {
    if (this.#broken !== undefined) throw this.#broken;
    if (this.#shutdown) throw new ExecutorShutdownError(`cannot schedule new futures after shutdown (${this.#name})`);
  }

  #taskCheck(): { plainFunctions: boolean; executorName: string } {
    return { plainFunctions: this.capabilities.plainFunctions, executorName: this.#name };
  }

  #mapSubmitter(task: Task): MapSubmitter {
    return {
      submit: (args, signal) => this.#submit(task, args, signal, this.#taskTimeout, undefined),
      // Chunks need a backend that sends several calls per message, and no per-call timeout.
      submitChunk:
        this.maxBatchSize > 1 && this.#taskTimeout === undefined ? (calls, signal, single) => this.#submit(task, [], signal, undefined, undefined, { calls, single }) : undefined,
      waitForRoom: () => (this.#waiting() < this.maxQueue ? undefined : this.onQueueBelow(this.maxQueue)),
    };
  }

  #submit(
    task: Task,
    args: readonly unknown[],
    signal: AbortSignal | undefined,
    timeout: number | undefined,
    transfer: readonly unknown[] | undefined,
    chunk?: Chunk,
  ): Future<any> {
    this.#checkAccepting();
    checkTask(task, this.#taskCheck());
    if (this.#waiting() >= this.maxQueue) {
      throw new QueueFullError(
        `${this.#name} queue is full: ${Math.max(0, this.#waiting())} tasks waiting (maxQueue=${this.maxQueue}), ${this.#running} running; ` +
          `wait with onQueueBelow(), or use map(), which waits for room`,
      );
    }
    const item = new WorkItem(this.#cancelledWhileQueued, task, args, signal, timeout, transfer, chunk);
    this.#submitted++;
    if (this.#timing !== undefined) item.submittedAt = performance.now();
    if (this.hasListeners('submitted')) this.emit('submitted', item.future);
    if (signal?.aborted) {
      item.future.item = undefined; // never queued: nothing to take out of the queue counts
      item.future.cancel();
      this.#cancelled++;
      this.#settled(item.future);
      return item.future;
    }
    this.#queue.push(item);
    this.#queued++;
    if (signal !== undefined) item.removeAbort = this.#watch(signal, item);
    if (!this.#pumpScheduled) {
      this.#pumpScheduled = true;
      void resolved.then(this.#pump); // a V8 microtask: node's queueMicrotask allocates an AsyncResource per call
    }
    return item.future;
  }

  /**
   * Aborts `item` when `signal` aborts. One listener per signal, however many tasks share it (a
   * `map` with a signal, or many `submitWith` calls with one): Node warns past ten listeners on
   * one signal. Returns the function that stops watching.
   */
  #watch(signal: AbortSignal, item: WorkItem): () => void {
    let items = this.#watched.get(signal);
    if (items === undefined) {
      const watched = new Set<WorkItem>();
      const listener = (): void => {
        this.#watched.delete(signal);
        for (const each of [...watched]) this.#abort(each, signal.reason);
      };
      items = Object.assign(watched, { stop: () => signal.removeEventListener('abort', listener) });
      this.#watched.set(signal, items);
      signal.addEventListener('abort', listener, { once: true });
    }
    const set = items;
    set.add(item);
    return () => {
      if (!set.delete(item) || set.size > 0) return;
      set.stop();
      if (this.#watched.get(signal) === set) this.#watched.delete(signal);
    };
  }

  /** Starts queued tasks while workers are free. */
  #pump = (): void => {
    this.#pumpScheduled = false;
    if (this.#pumping) return; // tasks that finish synchronously return to the loop below
    this.#pumping = true;
    try {
      const batching = this.maxBatchSize > 1;
      const ahead = batching ? this.maxWorkers * this.sendAhead : 0;
      while (this.#queue.length > 0 && (this.#busy < this.maxWorkers || (this.#busy < this.maxWorkers + ahead && this.#mayGoAhead()))) {
        if ((this.#busy >= this.maxWorkers && this.claimsAhead) || (this.handsOverAll && (this.#queue.peek() as WorkItem).calls === undefined)) {
          const item = this.#queue.shift() as WorkItem;
          if (item.future.state === 'pending') this.#startAhead(item); // else it was cancelled while queued (already counted)
          continue;
        }
        if (batching) {
          const batch = this.#takeBatch();
          if (batch.length > 0) this.#startBatch(batch);
          continue;
        }
        const item = this.#queue.shift() as WorkItem;
        if (!this.#markRunning(item)) continue;
        this.#busy++;
        this.#start(item);
      }
    } finally {
      this.#pumping = false;
    }
    this.#checkRoom();
  };

  /** True when the next queued item may be sent to a busy worker: any lone task with claims, else a map chunk. */
  #mayGoAhead(): boolean {
    const next = this.#queue.peek() as WorkItem;
    if (!next.canGoAhead) return false;
    if (!this.claimsAhead) return next.calls !== undefined;
    // Only tasks measured slow: quick ones travel in batches, where sending one ahead would cost
    // more than it saves (and until a task was measured, nothing is known).
    const slow = this.#taskMs !== undefined && this.#taskMs >= QUICK_TASK_MS;
    return next.calls === undefined && !next.isRunning && slow;
  }

  /**
   * Sends a task to a busy worker, to start the moment that worker is free. Its future stays
   * pending (and counted as queued) until the worker takes it; `cancel()` meanwhile takes it
   * back through the backend's claim. If the worker dies before taking it, it goes back to the
   * front of the queue.
   */
  #startAhead(item: WorkItem): void {
    this.#busy++;
    this.#aheadSent.add(item);
    item.ahead = true;
    item.revoke = () => this.revokeAhead(item);
    item.claimed = (startedAt) => this.#claimAhead(item, startedAt);
    item.observe = this.#observeAhead;
    let reported = false;
    const report: BatchReport = (index, failed, value) => {
      if (index !== 0 || reported) return;
      reported = true;
      if (!item.isRunning) this.observeAhead(); // when its worker took it, if the backend was not asked yet
      this.#claimAhead(item);
      const ran = performance.now() - item.startedAt; // from the claim
      this.#measure(ran);
      this.#timing?.run.add(ran);
      this.#settleItem(item, failed, value);
    };
    const done = (failed: boolean, error: unknown): void => {
      this.#busy--;
      this.#aheadSent.delete(item);
      const pending = item.future.state === 'pending';
      item.revoke = undefined;
      item.claimed = undefined;
      item.observe = undefined;
      item.ahead = false;
      if (!reported && pending && error === BATCH_NOT_RUN && this.#broken === undefined) {
        this.#queue.unshift(item); // its worker died before taking it: it never ran (still queued)
      } else if (!reported && item.future.state !== 'cancelled') {
        this.#claimAhead(item);
        this.#settleItem(item, true, !failed ? new Error(`${this.#name}: the worker returned no result for task ${taskName(item.task)}`) : error === BATCH_NOT_RUN ? this.#broken : error);
      }
      this.#afterSettle();
    };
    this.#runBatch([item], report, done);
  }

  /**
   * Hands a batch to the backend's `runBatch` and calls `done` once it ends: `done(false)` when
   * it resolves, `done(true, error)` when it rejects or throws.
   */
  #runBatch(batch: readonly RunningTask[], report: BatchReport, done: (failed: boolean, error: unknown) => void): void {
    let running: Promise<void>;
    try {
      running = this.runBatch(batch, report);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => done(false, undefined),
      (error: unknown) => done(true, error),
    );
  }

  /** A task sent ahead was taken by its worker at `startedAt` (or must settle): it is running now. */
  #claimAhead(item: WorkItem, startedAt = performance.now()): void {
    if (item.isRunning) return;
    item.observe = undefined; // the future's state below must not ask the backend again
    if (item.future.state !== 'pending') return;
    item.revoke = undefined;
    this.#aheadSent.delete(item);
    item.startedAt = startedAt; // its run time, which says whether tasks are slow, counts from here
    if (this.#markRunning(item, startedAt) && item.timeout !== undefined) this.#startTimer(item); // only handed-over tasks have one here
  }

  /** Moves a queued item to running (started at `startedAt`); false if it was cancelled while queued (already counted). */
  #markRunning(item: WorkItem, startedAt?: number): boolean {
    if (!item.isRunning) {
      if (!item.future.setRunningOrNotifyCancel()) return false;
      item.isRunning = true;
      item.future.item = undefined;
      if (this.#timing !== undefined) {
        item.startedAt = startedAt ?? performance.now();
        this.#timing.wait.add(item.startedAt - item.submittedAt);
      }
      if (this.hasListeners('started')) this.emit('started', item.future);
    }
    this.#queued--;
    this.#running++;
    return true;
  }

  /**
   * The next batch for a free worker: a task that must travel alone, a chunk of `map`, or, for
   * tasks measured quick, enough queued tasks to share the queue among the free workers, at
   * most `maxBatchSize`.
   */
  #takeBatch(): WorkItem[] {
    const batch: WorkItem[] = [];
    let limit = 1;
    while (this.#queue.length > 0 && batch.length < limit) {
      const next = this.#queue.peek() as WorkItem;
      if (batch.length > 0 && (!next.batchable || next.calls !== undefined)) break;
      this.#queue.shift();
      if (!this.#markRunning(next)) continue;
      batch.push(next);
      if (batch.length === 1 && next.batchable && next.calls === undefined) {
        // Coalesce only tasks measured to be quick, where one message per task would cost more
        // than the task; slower tasks go one at a time and stay cancellable while queued.
        const quick = this.#taskMs !== undefined && this.#taskMs < QUICK_TASK_MS;
        const free = this.maxWorkers - this.#busy;
        limit = quick ? Math.min(this.maxBatchSize, Math.ceil((this.#queue.length + 1) / Math.max(1, free))) : 1;
      }
    }
    return batch;
  }

  /**
   * Runs a map chunk on one worker: each call the chunk has not run yet becomes a task of the
   * batch. When the batch fails part way (the worker died), the call that was running fails,
   * the outcomes before it are kept, and the chunk goes back to the front of the queue for the
   * calls after it, which never ran: nothing done is lost and nothing runs twice.
   */
  #startChunk(item: WorkItem): void {
    this.#busy++;
    const results = item.results as ChunkResults;
    const chunk = item.chunk as Chunk;
    // The calls to run: all of them (`undefined`), or after a crash those without an outcome.
    const todo = results.pristine() ? undefined : results.remaining();
    const count = todo === undefined ? chunk.calls.length : todo.length;
    const tasks = chunkCalls(item, todo, count);
    if (isTaskRef(item.task) && count > 1) {
      // The message form, built at once from the chunk's own lists: no per-call work.
      const picked = todo === undefined ? chunk.calls : todo.map((call) => chunk.calls[call]);
      const task: [string, string] = [item.task.module, item.task.name];
      presetTaskBatch(tasks, chunk.single ? { tasks: [task], arg: picked } : { tasks: [task], args: picked as readonly (readonly unknown[])[] });
    }
    const start = performance.now();
    let ran = 0;
    const one = (index: number, failed: boolean, value: unknown): void => {
      const call = todo === undefined ? (index < count ? index : undefined) : todo[index];
      if (call === undefined || results.isSet(call)) return;
      ran++;
      results.set(call, failed, value);
    };
    const many = (from: number, values: unknown[]): void => {
      // The whole chunk at once, on its first run: its results are this very list.
      if (from === 0 && todo === undefined && results.adopt(values)) {
        ran += values.length;
        return;
      }
      for (let k = 0; k < values.length; k++) one(from + k, false, values[k]);
    };
    const report: BatchReport = Object.assign(one, { many });
    const done = (failed: boolean, error: unknown): void => {
      this.#busy--;
      if (ran > 0) {
        // The calls ran back to back: one sample of their mean time, not a clock read per call.
        const perCall = (performance.now() - start) / ran;
        this.#measure(perCall);
        this.#timing?.run.add(perCall);
      }
      const unreported = results.remaining();
      if (unreported.length > 0 && !item.future.done()) {
        const first = unreported[0] as number;
        if (error === BATCH_NOT_RUN && this.#broken === undefined) {
          // it waited behind another batch on a worker that died: it goes back untouched
        } else if (error === BATCH_NOT_RUN) {
          results.failRest(this.#broken);
        } else if (!failed) {
          for (const call of unreported) results.set(call, true, new Error(`${this.#name}: the worker returned no result for call ${call} of ${item.future.name}`));
        } else {
          results.set(first, true, error);
          if (this.#broken !== undefined) for (const call of unreported.slice(1)) results.set(call, true, this.#broken);
        }
        if (!results.complete()) {
          this.#running--; // the calls after the failed one never ran: back to the front of the queue
          this.#queued++;
          this.#queue.unshift(item);
          this.#afterSettle();
          return;
        }
      }
      this.#settleItem(item, false, results);
      this.#afterSettle();
    };
    this.#runBatch(tasks, report, done);
  }

  #startBatch(batch: WorkItem[]): void {
    if (batch.length === 1 && (batch[0] as WorkItem).calls !== undefined) {
      this.#startChunk(batch[0] as WorkItem);
      return;
    }
    this.#busy++;
    if (batch.length === 1) this.#armTimer(batch[0] as WorkItem);
    const reported = new Array<boolean>(batch.length).fill(false);
    let last = performance.now();
    const report: BatchReport = (index, failed, value) => {
      const item = batch[index];
      if (item === undefined || reported[index]) return;
      reported[index] = true;
      const now = performance.now();
      this.#measure(now - last);
      this.#timing?.run.add(now - Math.max(last, item.startedAt)); // tasks of a batch run one after another
      last = now;
      this.#settleItem(item, failed, value);
    };
    const done = (failed: boolean, error: unknown): void => {
      this.#busy--;
      const notRun = error === BATCH_NOT_RUN;
      const again: WorkItem[] = [];
      let first = !notRun;
      for (let i = 0; i < batch.length; i++) {
        if (reported[i]) continue;
        const item = batch[i] as WorkItem;
        if (first || !failed || this.#broken !== undefined) {
          // The task that was running when the batch failed, one the backend never answered, or
          // (the executor broke meanwhile) one that has nowhere to run any more.
          const problem = !failed
            ? new Error(`${this.#name}: the worker returned no result for task ${taskName(item.task)}`)
            : first
              ? error
              : this.#broken;
          this.#settleItem(item, true, problem);
        } else {
          again.push(item); // it never ran
        }
        first = false;
      }
      // Back to the front of the queue, in their order.
      for (let i = again.length - 1; i >= 0; i--) {
        this.#running--;
        this.#queued++;
        this.#queue.unshift(again[i] as WorkItem);
      }
      this.#afterSettle();
    };
    this.#runBatch(batch, report, done);
  }
  #start(item: WorkItem): void {
    this.#armTimer(item);
    let result: unknown;
    try {
      result = this.runTask(item);
    } catch (error) {
      this.#finish(item, true, error);
      return;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      (result as PromiseLike<unknown>).then(
        (value) => this.#finish(item, false, value),
        (error: unknown) => this.#finish(item, true, error),
      );
    } else {
      this.#finish(item, false, result);
    }
  }

  /** Starts the per-task timeout now, or when the backend reports that the task started. */
  #armTimer(item: WorkItem): void {
    if (item.timeout === undefined) return; // nothing to start (the common case: no closure per task)
    if (this.reportsTaskStart) item.started = () => this.#startTimer(item);
    else this.#startTimer(item);
  }

  /** Keeps a moving average of how long a task takes (including its message round trip). */
  #measure(ms: number): void {
    this.#taskMs = this.#taskMs === undefined ? ms : this.#taskMs * 0.9 + ms * 0.1;
  }

  /** Starts the per-task timeout, counted from now (the task starts). */
  #startTimer(item: WorkItem): void {
    item.started = noop;
    if (item.timeout === undefined) return;
    const ms = item.timeout;
    const timer = setTimeout(() => {
      const error = new TaskTimeoutError(`task ${taskName(item.task)} (future #${item.future.id}) timed out after ${formatMs(ms)} and was stopped`, ms);
      this.#abort(item, error);
    }, ms);
    item.clearTimer = () => clearTimeout(timer);
  }

  /** Aborts a task: cancels it if queued; if running, rejects its future now and signals the task. */
  #abort(item: WorkItem, reason: unknown): void {
    const future = item.future;
    if (future.state === 'pending') {
      future.cancel();
      return;
    }
    if (future.state !== 'running') return;
    item.removeAbort();
    item.clearTimer();
    this.#failed++;
    future.setException(reason);
    this.#settled(future);
    item.abort(reason);
  }

  /** The task's promise settled: free the slot, settle the future unless an abort did already. */
  #finish(item: WorkItem, failed: boolean, value: unknown): void {
    this.#busy--;
    this.#timing?.run.add(performance.now() - item.startedAt);
    this.#settleItem(item, failed, value);
    this.#afterSettle();
  }

  /** A task ended: free its place, settle its future unless an abort or timeout did already. */
  #settleItem(item: WorkItem, failed: boolean, value: unknown): void {
    this.#running--;
    const future = item.future;
    if (future.done()) return;
    item.removeAbort();
    item.clearTimer();
    if (failed) {
      this.#failed++;
      future.setException(value);
    } else {
      this.#completed++;
      future.setResult(value);
    }
    this.#settled(future);
  }

  #afterSettle(): void {
    if (this.#queue.length > 0) this.#pump();
    else this.#checkRoom();
    this.#checkIdle();
  }

  #settled(future: Future): void {
    if (this.hasListeners('settled')) this.emit('settled', future);
  }

  #cancelQueued(): void {
    for (const item of [...this.#aheadSent]) item.future.cancel();
    const keep: WorkItem[] = [];
    for (const item of this.#queue.drain()) {
      // A batch-mate put back in the queue is running already (cancel() is false): it still runs.
      if (!item.future.cancel()) keep.push(item);
    }
    for (const item of keep) this.#queue.push(item);
  }

  #checkIdle(): void {
    if (this.#queued !== 0 || this.#running !== 0) return;
    if (this.hasListeners('idle')) this.emit('idle');
    if (this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Queued tasks that will not find a free worker (negative while workers are free). */
  #waiting(): number {
    return this.#queued - Math.max(0, this.maxWorkers - this.#busy);
  }

  #checkRoom(): void {
    if (this.#roomWaiters.length === 0) return;
    const waiting = this.#waiting();
    const ready = this.#roomWaiters.filter((waiter) => waiting < waiter.below);
    if (ready.length === 0) return;
    this.#roomWaiters = this.#roomWaiters.filter((waiter) => waiting >= waiter.below);
    for (const waiter of ready) waiter.resolve();
  }
}
