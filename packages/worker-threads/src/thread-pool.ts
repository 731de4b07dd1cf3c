import { availableParallelism } from 'node:os';
import { receiveMessageOnPort, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import {
  BATCH_NOT_RUN,
  BrokenExecutorError,
  Executor,
  WorkerCrashedError,
  baseConfig,
  deserializeError,
  durationOption,
  fromTaskOutcome,
  integerOption,
  isTaskRef,
  limitOption,
  toTaskBatch,
  type BaseExecutorOptions,
  type BatchReport,
  type ExecutorCapabilities,
  type RunningTask,
  type Settlement,
  type TaskOutcome,
  type TaskRef,
} from '@futures/core';
import { Piscina } from 'piscina';
import { fromTransferable } from './shared/index.js';
import { SOURCE_MODE, inheritedExecArgv, workerFilename } from './worker-start.js';
import { CLAIM, isOutcomePort, isTaskStarted, type BatchRequest, type BatchResponse, type StreamedOutcome, type WorkerSettings } from './messages.js';

/** Options of {@link ThreadPoolExecutor}. */
export interface ThreadPoolExecutorOptions extends BaseExecutorOptions {
  /**
   * Worker threads at most: Python's `max_workers`.
   * @default os.availableParallelism()
   */
  readonly maxWorkers?: number | undefined;
  /**
   * Worker threads kept alive while idle.
   * @default 0
   */
  readonly minWorkers?: number | undefined;
  /**
   * How long an idle thread above `minWorkers` lives, in ms.
   * @default 10_000
   */
  readonly idleTimeout?: number | undefined;
  /** Tasks that may wait for a thread; when full, `submit` throws `QueueFullError`. @default Infinity */
  readonly maxQueue?: number | undefined;
  /** Default per-task time limit in ms; past it the thread running the task is stopped and replaced. */
  readonly taskTimeout?: number | undefined;
  /**
   * Most tasks sent to a thread in one message when the queue is deeper than the threads
   * (fewer messages for many small tasks). `map`'s `chunksize` may ask for more. `1` turns it off.
   * @default 256
   */
  readonly maxBatchSize?: number | undefined;
  /**
   * Replace a thread after it ran this many tasks (Python's `max_tasks_per_child`): for tasks
   * that leak memory or state. Tasks then travel one per message.
   * @default Infinity
   */
  readonly maxTasksPerWorker?: number | undefined;
  /** Memory limits of each thread (`worker_threads` resource limits); a thread past them is replaced. */
  readonly resourceLimits?: ResourceLimits | undefined;
  /**
   * Runs in every new thread before its first task (Python's `initializer`). If it throws, the
   * executor is broken: every task fails with `BrokenExecutorError` and the cause.
   * @example new ThreadPoolExecutor({ initializer: tasks.connect, initArgs: [url] })
   */
  readonly initializer?: TaskRef | undefined;
  /** Arguments of `initializer`. @default [] */
  readonly initArgs?: readonly unknown[] | undefined;
  /** `process.env` of the threads. @default the parent's environment (shared) */
  readonly env?: Record<string, string | undefined> | undefined;
  /** `process.argv` additions of the threads. */
  readonly argv?: readonly string[] | undefined;
  /**
   * Node options of the threads (`worker_threads` `execArgv`).
   * @default the parent's, minus its script, test-runner, watch, debugger and tsx loader flags and the process-wide options threads refuse
   */
  readonly execArgv?: readonly string[] | undefined;
  /**
   * What a crashed thread (exit, uncaught error, out of memory) does: `'replace'` fails only the
   * task it was running and starts a new thread; `'break'` is Python's semantics: the executor
   * becomes broken and every pending task fails with `BrokenExecutorError`.
   * @default 'replace'
   */
  readonly onWorkerCrash?: 'replace' | 'break' | undefined;
}

const OPTION_KEYS = ['minWorkers', 'idleTimeout', 'maxBatchSize', 'maxTasksPerWorker', 'resourceLimits', 'initializer', 'initArgs', 'env', 'argv', 'execArgv', 'onWorkerCrash'];

/**
 * Python's `ThreadPoolExecutor`, on Node.js worker threads (piscina): CPU-bound tasks run in
 * parallel. Tasks are task references (a module and an export), resolved inside the threads.
 *
 * @example
 * const tasks = defineTasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });
 * for await (const n of executor.map(tasks.fib, [30, 31, 32])) console.log(n);
 */
export class ThreadPoolExecutor extends Executor {
  /** Threads: task references only; a running task is stopped by stopping its thread; values are copied. */
  readonly capabilities: ExecutorCapabilities = Object.freeze({ plainFunctions: false, stopRunning: 'forced', sameObjects: false });

  readonly #pool: Piscina;
  readonly #batchSize: number;
  readonly #onCrash: 'replace' | 'break';
  readonly #streams = new Map<number, (index: number, outcome: TaskOutcome) => void>();
  /** Each live thread's outcome port (see `OutcomePort`), by thread id. */
  readonly #outcomePorts = new Map<number, MessagePort>();
  /** Stoppable tasks waiting for their thread to say that they started (tasks sent ahead are never stoppable). */
  readonly #starts = new Map<number, RunningTask>();
  /** The claim cells of tasks sent ahead (see `BatchRequest.claim`), and the free cells. */
  readonly #claims: Int32Array;
  /** When a thread took the task of each cell: `performance.timeOrigin + performance.now()` in the thread. */
  readonly #claimTimes: Float64Array;
  readonly #freeCells: number[];
  /**
   * Tasks sent ahead not yet seen taken by their thread (see `observeAhead`), with their cells.
   * Only these can be taken back: a task seen taken is running.
   */
  readonly #unseen = new Map<RunningTask, number>();
  #nextBatch = 1;
  readonly #maxTasksPerWorker: number;
  /** Threads that ran their maxTasksPerWorker tasks and are being replaced. */
  readonly #retiring = new Set<number>();
  #destroyed: Promise<void> | undefined;
  /** Threads that loaded the worker module (announced their outcome port). */
  #threadsStarted = 0;
  /** Why the executor broke because its threads cannot run tasks (see `#onThreadError`). */
  #brokenBy: BrokenExecutorError | undefined;
  /** Set by terminateWorkers()/killWorkers(): why running tasks stopped. */
  #terminatedBy: string | undefined;

  /** Creates the executor; threads start when tasks arrive. Every option is checked here. */
  constructor(options?: ThreadPoolExecutorOptions) {
    const config = baseConfig('ThreadPoolExecutor', options, { maxWorkers: availableParallelism(), recordTiming: true }, OPTION_KEYS);
    super(config);
    const opts = config.options as ThreadPoolExecutorOptions;
    const minWorkers = integerOption('minWorkers', opts.minWorkers, 0, 0);
    if (minWorkers > config.maxWorkers) throw new RangeError(`minWorkers (${minWorkers}) must be <= maxWorkers (${config.maxWorkers})`);
    this.#maxTasksPerWorker = limitOption('maxTasksPerWorker', opts.maxTasksPerWorker, Infinity);
    // A thread that must retire after N tasks gets them one at a time, so that N is exact.
    this.#batchSize = this.#maxTasksPerWorker === Infinity ? integerOption('maxBatchSize', opts.maxBatchSize, 256) : 1;
    const onCrash = opts.onWorkerCrash ?? 'replace';
    if (onCrash !== 'replace' && onCrash !== 'break') throw new TypeError(`onWorkerCrash must be 'replace' or 'break', got ${JSON.stringify(onCrash)}`);
    this.#onCrash = onCrash;
    if (opts.initializer !== undefined && !isTaskRef(opts.initializer)) {
      throw new TypeError('initializer must be a task reference (from defineTasks), not a function: it runs inside each thread');
    }
    if (opts.initArgs !== undefined && !Array.isArray(opts.initArgs)) throw new TypeError('initArgs must be an array');
    for (const key of ['argv', 'execArgv'] as const) {
      if (opts[key] !== undefined && !(Array.isArray(opts[key]) && opts[key].every((v) => typeof v === 'string'))) {
        throw new TypeError(`${key} must be an array of strings`);
      }
    }
    if (opts.env !== undefined && (typeof opts.env !== 'object' || opts.env === null)) throw new TypeError('env must be an object');
    // A thread holds two tasks at most (piscina's concurrentTasksPerWorker below): one cell each is enough.
    const cells = 2 * config.maxWorkers;
    this.#claims = new Int32Array(new SharedArrayBuffer(4 * cells));
    this.#claimTimes = new Float64Array(new SharedArrayBuffer(8 * cells));
    this.#freeCells = Array.from({ length: cells }, (_, i) => cells - 1 - i);
    const settings: WorkerSettings = {
      claims: this.#claims.buffer as SharedArrayBuffer,
      claimTimes: this.#claimTimes.buffer as SharedArrayBuffer,
      ...(opts.initializer ? { initializer: { module: opts.initializer.module, name: opts.initializer.name, args: opts.initArgs ?? [] } } : {}),
    };
    this.#pool = new Piscina({
      filename: workerFilename(),
      minThreads: minWorkers,
      maxThreads: config.maxWorkers,
      idleTimeout: durationOption('idleTimeout', opts.idleTimeout) ?? 10_000,
      // A thread runs one task at a time; it may hold a second one, sent ahead (see `sendAhead`).
      concurrentTasksPerWorker: 2,
      // The executor keeps its own wait and run times (`executor.timing`): piscina's histograms
      // would cost the main thread two more records per task.
      recordTiming: false,
      workerData: { futures: settings },
      // An idle thread first, else one that runs a single task (a task sent ahead); never a thread
      // retiring after maxTasksPerWorker tasks.
      loadBalancer: (_task, workers) => {
        let busy: (typeof workers)[number] | null = null;
        for (const worker of workers) {
          if (worker.terminating || this.#retiring.has(worker.id)) continue;
          if (worker.currentUsage === 0) return worker;
          if (worker.currentUsage === 1) busy ??= worker;
        }
        return busy;
      },
      ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
      ...(opts.env ? { env: opts.env as Record<string, string> } : {}),
      ...(opts.argv ? { argv: [...opts.argv] } : {}),
      execArgv: [...(SOURCE_MODE ? ['--conditions=@futures/source'] : []), ...(opts.execArgv ?? inheritedExecArgv())],
    });
    this.#pool.on('message', (message: unknown) => {
      if (isOutcomePort(message)) this.#addOutcomePort(message.threadId, message['@futures/outcomes']);
      else if (isTaskStarted(message)) this.#starts.get(message.id)?.started();
      this.observeAhead();
    });
    // piscina reports a thread that failed outside any task here (the task side is handled per batch).
    this.#pool.on('error', (error: unknown) => this.#onThreadError(error));
  }

  /** Threads running now. */
  get threadCount(): number {
    return this.#pool.threads.length;
  }

  /**
   * Python 3.14's `terminate_workers()`: stops every thread now. Tasks not started are
   * cancelled; running tasks fail with `BrokenExecutorError`; the executor is shut down.
   * Resolves when every future has settled and no thread is left.
   */
  async terminateWorkers(): Promise<void> {
    this.#terminatedBy ??= 'terminateWorkers()';
    const shutdown = this.shutdown({ cancelFutures: true });
    await this.#destroy();
    await shutdown;
  }

  /**
   * Python 3.14's `kill_workers()`. Threads have no signals to choose from: this stops them
   * exactly like {@link ThreadPoolExecutor.terminateWorkers}.
   */
  async killWorkers(): Promise<void> {
    this.#terminatedBy ??= 'killWorkers()';
    await this.terminateWorkers();
  }

  protected override get maxBatchSize(): number {
    return this.#batchSize;
  }

  /**
   * Each thread gets its next slow task while it runs one (no round trip between tasks). The
   * task stays pending, and cancellable, until the thread takes it through its claim cell.
   */
  protected override get sendAhead(): number {
    return this.#batchSize > 1 ? 1 : 0;
  }

  protected override get claimsAhead(): boolean {
    return true;
  }

  protected override revokeAhead(running: RunningTask): boolean {
    const cell = this.#unseen.get(running);
    if (cell === undefined) return false; // seen taken: running
    if (this.#revoke(cell)) return true;
    this.observeAhead(); // too late: its thread took it
    return false;
  }

  /** Takes a task sent ahead back from its thread, if the thread has not taken it. */
  #revoke(cell: number): boolean {
    return Atomics.compareExchange(this.#claims, cell, CLAIM.open, CLAIM.revoked) === CLAIM.open;
  }

  /**
   * A thread takes a task sent ahead by a store to its claim cell, without a message (which
   * would wake the main thread once more per task): the main thread looks at the cells whenever
   * a thread's message wakes it anyway, and whenever the executor asks.
   */
  protected override observeAhead(): void {
    if (this.#unseen.size === 0) return;
    for (const [running, cell] of this.#unseen) this.#see(running, cell);
  }

  /** If the thread took `running` (sent ahead in `cell`), tells the executor when. */
  #see(running: RunningTask, cell: number): void {
    if (Atomics.load(this.#claims, cell) !== CLAIM.taken || !this.#unseen.delete(running)) return;
    running.claimed?.((this.#claimTimes[cell] as number) - performance.timeOrigin);
  }

  /** Timeouts count from when the thread starts the task, not from thread start-up. */
  protected override get reportsTaskStart(): boolean {
    return true;
  }

  /** One task at a time (batching off, or `maxTasksPerWorker` set): a batch of one. */
  protected async runTask(running: RunningTask): Promise<unknown> {
    let outcome: { failed: boolean; value: unknown } | undefined;
    await this.runBatch([running], (_index, failed, value) => (outcome = { failed, value }));
    if (outcome === undefined) throw new Error(`ThreadPoolExecutor: the worker returned no result for task ${isTaskRef(running.task) ? running.task.name : ''}`);
    if (outcome.failed) throw outcome.value;
    return outcome.value;
  }

  protected override runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    const first = batch[0] as RunningTask;
    const id = this.#nextBatch++;
    // Not an async function: a slow task's answer reaches the executor without two more promise hops.
    // (The executor turns a synchronous throw into a failed batch.)
    if (batch.length === 1) return this.#runOne(id, first, report);
    return this.#runMany(id, batch, first, report);
  }

  /** A batch of several tasks: their outcomes stream on the thread's outcome port as each is known. */
  async #runMany(id: number, batch: readonly RunningTask[], first: RunningTask, report: BatchReport): Promise<void> {
    let received = 0;
    let settleAll: (() => void) | undefined;
    const allReceived = new Promise<void>((resolve) => (settleAll = resolve));
    const pending: Promise<void>[] = []; // errors of task-module classes are rebuilt asynchronously
    this.#streams.set(id, (index, outcome) => {
      const settlement = this.#settlement(batch[index], outcome);
      if ('then' in settlement) pending.push(settlement.then(({ failed, value }) => report(index, failed, value)));
      else report(index, settlement.failed, settlement.value);
      if (++received === batch.length) settleAll?.();
    });
    try {
      const response = await this.#run(id, batch, first);
      await this.#afterAnswer(response);
      if (response.kind !== 'streamed') throw new Error(`ThreadPoolExecutor: a thread answered a batch of ${batch.length} tasks with one outcome`);
      // Every outcome was posted before the answer: read them now rather than one event each.
      const port = this.#outcomePorts.get(response.threadId);
      if (port !== undefined) this.#drain(port);
      if (received < batch.length) await allReceived;
      await Promise.all(pending);
    } catch (error) {
      // Outcomes posted before a crash may still be in flight on the outcome ports: let them land.
      await new Promise((resolve) => setImmediate(resolve));
      for (const port of this.#outcomePorts.values()) this.#drain(port);
      await Promise.all(pending);
      throw this.#explain(error, batch[received] ?? first);
    } finally {
      this.#streams.delete(id);
    }
  }

  /**
   * A batch of one: no stream, its outcome comes with the answer. This is the path of slow
   * tasks, where the time from a thread's answer to its next task counts: one promise hop from
   * piscina's answer to the report (the executor then starts the next task at once).
   */
  #runOne(id: number, running: RunningTask, report: BatchReport): Promise<void> {
    const cell = running.ahead === true ? this.#takeCell(running) : undefined;
    if (running.stoppable) this.#starts.set(id, running);
    return this.#run(id, [running], running, cell).then(
      (response): Promise<void> | void => {
        this.#starts.delete(id);
        if (cell !== undefined) this.#see(running, cell); // its start time, from its claim
        this.#freeCell(running, cell);
        if (response.kind === 'revoked') return; // cancelled before the thread took it
        const retiring = this.#afterAnswer(response);
        if (retiring !== undefined) return retiring.then(() => this.#reportOne(running, response, report));
        const reported = this.#reportOne(running, response, report);
        // Most often the thread took its next task (sent ahead) right after answering: seen now,
        // once this one has settled.
        this.observeAhead();
        return reported;
      },
      (error: unknown) => {
        this.#starts.delete(id);
        // Sent ahead to a thread that died before taking it: it never ran.
        const neverRan = cell !== undefined && this.#revoke(cell);
        this.#freeCell(running, cell);
        if (neverRan && this.#brokenBy === undefined && this.#terminatedBy === undefined) throw BATCH_NOT_RUN;
        throw this.#explain(error, running);
      },
    );
  }

  /** A claim cell for a task sent ahead, open; the task turns running when its thread takes it. */
  #takeCell(running: RunningTask): number {
    const cell = this.#freeCells.pop();
    if (cell === undefined) throw new Error('ThreadPoolExecutor: no free claim cell (more tasks out than two per thread)');
    Atomics.store(this.#claims, cell, CLAIM.open);
    this.#unseen.set(running, cell);
    return cell;
  }

  #freeCell(running: RunningTask, cell: number | undefined): void {
    if (cell === undefined) return;
    this.#unseen.delete(running);
    this.#freeCells.push(cell);
  }

  #reportOne(running: RunningTask, response: BatchResponse, report: BatchReport): Promise<void> | void {
    if (response.kind !== 'single') throw new Error(`ThreadPoolExecutor: a thread answered a single task with a ${response.kind} answer`);
    const settlement = this.#settlement(running, response.outcome);
    if ('then' in settlement) return settlement.then(({ failed, value }) => report(0, failed, value));
    report(0, settlement.failed, settlement.value);
  }

  /** Posts a batch to a free thread (piscina); resolves with the thread's answer once every task ran. */
  #run(id: number, batch: readonly RunningTask[], first: RunningTask, claim?: number): Promise<BatchResponse> {
    const request: BatchRequest = { id, batch: toTaskBatch(batch), notifyStart: first.stoppable && batch.length === 1, ...(claim === undefined ? {} : { claim }) };
    return this.#pool.run(request, {
      ...(first.stoppable ? { signal: first.signal } : {}),
      ...(first.transfer ? { transferList: first.transfer as never } : {}),
    }) as Promise<BatchResponse>;
  }

  /**
   * Checks a thread's answer: an initializer that failed breaks the executor (thrown); a thread
   * that ran its `maxTasksPerWorker` tasks is retired (the promise, while it stops).
   */
  #afterAnswer(response: BatchResponse): Promise<void> | undefined {
    if (response.kind === 'initializer-failed') {
      const cause = deserializeError(response.error);
      const error = new BrokenExecutorError(`ThreadPoolExecutor: the initializer failed in thread ${response.threadId}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
      this.markBroken(error);
      throw error;
    }
    if (response.kind === 'revoked') return undefined;
    return response.ran >= this.#maxTasksPerWorker ? this.#retire(response.threadId) : undefined;
  }

  /** A task's outcome as its future takes it: errors rebuilt (maybe as a task-module class), shared primitives revived. */
  #settlement(running: RunningTask | undefined, outcome: TaskOutcome): Settlement | Promise<Settlement> {
    const settlement = fromTaskOutcome(outcome, running !== undefined && isTaskRef(running.task) ? running.task.module : '');
    if ('then' in settlement || settlement.failed) return settlement;
    return { failed: false, value: fromTransferable(settlement.value) };
  }

  /** Listens to a new thread's outcome port (an outcome of a long batch arrives as soon as it is posted). */
  #addOutcomePort(threadId: number, port: MessagePort): void {
    this.#threadsStarted++;
    this.#outcomePorts.set(threadId, port);
    port.on('message', (message: StreamedOutcome) => {
      this.#onOutcome(message);
      this.#drain(port); // the rest of what is queued, without an event each
      this.observeAhead();
    });
    port.on('close', () => {
      if (this.#outcomePorts.get(threadId) === port) this.#outcomePorts.delete(threadId);
    });
    port.unref();
  }

  #drain(port: MessagePort): void {
    for (let entry = receiveMessageOnPort(port); entry !== undefined; entry = receiveMessageOnPort(port)) {
      this.#onOutcome(entry.message as StreamedOutcome);
    }
  }

  #onOutcome([id, index, outcome]: StreamedOutcome): void {
    this.#streams.get(id)?.(index, outcome);
  }

  protected override async release(): Promise<void> {
    await this.#destroy();
  }

  /**
   * Stops a thread that ran its quota, before its slot takes the next task: piscina then starts
   * a fresh thread for it.
   */
  async #retire(threadId: number): Promise<void> {
    this.#retiring.add(threadId);
    const thread = this.#pool.threads.find((worker) => worker.threadId === threadId);
    try {
      if (thread !== undefined) await thread.terminate();
    } finally {
      this.#retiring.delete(threadId);
    }
  }

  /**
   * A thread failed outside any task. If no thread ever started, threads cannot start here
   * (a bad `execArgv`, a preload that throws, ...): piscina would keep the tasks queued forever, so
   * the executor breaks and every task fails with the cause. With `onWorkerCrash: 'break'` any such
   * failure breaks it. Otherwise piscina has replaced the thread and nothing is lost. Reported
   * as a `workerError` event, or as a process warning when nobody listens.
   */
  #onThreadError(error: unknown): void {
    const message = (error as Error | undefined)?.message ?? String(error);
    const starting = this.#threadsStarted === 0;
    const crashed = new WorkerCrashedError(
      starting
        ? `a worker thread failed to start: ${message}`
        : `a worker thread failed outside any task${this.#onCrash === 'break' ? '' : ' and was replaced'}: ${message}`,
      {},
      { cause: error },
    );
    if (starting || this.#onCrash === 'break') {
      this.#brokenBy ??= new BrokenExecutorError(`ThreadPoolExecutor is broken: ${crashed.message}`, { cause: crashed });
      this.markBroken(this.#brokenBy);
      void this.#destroy(); // fails the tasks piscina holds; #explain gives them #brokenBy
    }
    if (this.hasListeners('workerError')) this.emit('workerError', crashed);
    else process.emitWarning(crashed);
  }

  #destroy(): Promise<void> {
    this.#destroyed ??= this.#pool.destroy();
    return this.#destroyed;
  }

  /** Turns piscina's rejection into the error the task's future gets. */
  #explain(error: unknown, running: RunningTask): unknown {
    if (error instanceof BrokenExecutorError) return error;
    if (this.#brokenBy !== undefined) return this.#brokenBy;
    if (running.signal.aborted) return running.signal.reason;
    if (this.#terminatedBy !== undefined) {
      return new BrokenExecutorError(`task ${isTaskRef(running.task) ? running.task.name : ''} was stopped: ${this.#terminatedBy} terminated every thread`, { cause: error });
    }
    const err = error as (Error & { code?: string }) | undefined;
    const name = isTaskRef(running.task) ? running.task.name : 'task';
    if (err?.name === 'DataCloneError') {
      return new TypeError(`the arguments of task ${name} cannot be copied to a worker thread: ${err.message}`, { cause: error });
    }
    const exitCode = /exited with code:? (-?\d+)/i.exec(err?.message ?? '')?.[1];
    const crashed = new WorkerCrashedError(
      err?.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `the worker thread running task ${name} ran out of memory (resourceLimits) and was replaced`
        : `the worker thread running task ${name} died${exitCode === undefined ? '' : ` with exit code ${exitCode}`}: ${err?.message ?? String(error)}`,
      exitCode === undefined ? {} : { exitCode: Number(exitCode) },
      { cause: error },
    );
    if (this.#onCrash === 'break') {
      this.markBroken(new BrokenExecutorError(`ThreadPoolExecutor is broken: ${crashed.message}`, { cause: crashed }));
    }
    return crashed;
  }
}
