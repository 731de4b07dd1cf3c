/**
 * The process-pool engine, written once for every process backend: an `Executor` that runs
 * task batches on child processes started by a {@link WorkerLauncher} (`child_process.fork` for
 * ProcessPoolExecutor, `cluster.fork` for ClusterExecutor).
 *
 * It starts children on demand up to `maxWorkers`, hands each batch to an idle child, streams
 * outcomes back, stops a child to stop its task (abort, timeout), replaces children that die or
 * ran `maxTasksPerChild` tasks, serves Manager objects to the children, and on shutdown closes
 * every child and waits until each has exited. An idle pool does not keep the parent alive.
 */
import { serialize } from 'node:v8';
import {
  BrokenExecutorError,
  Executor,
  forEachOutcome,
  fromTaskOutcome,
  isTaskRef,
  BATCH_NOT_RUN,
  toTaskBatch,
  type BatchReport,
  type ExecutorCapabilities,
  type RunningTask,
  type SerializedError,
} from '@futures/core';
import { releaseOwner } from '../manager/registry.js';
import { crashError, taskLabel } from './crash.js';
import { childEntry, childExecArgv } from './launch.js';
import { KIND, type RunMessage } from './messages.js';
import { poolConfig, type PoolSettings, type ProcessPoolOptions } from './options.js';
import { PoolWorker, type Job } from './pool-worker.js';
import type { ExitInfo, LaunchSpec, WorkerLauncher } from './worker-process.js';

/** After shutdown closed a child's channel, how long it may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

/** How a backend plugs into the engine. */
export interface ProcessPoolBackend {
  /** The class name, for messages: `'ProcessPoolExecutor'`. */
  readonly name: string;
  /** What a child is called in messages: `'child process'`, `'cluster worker'`. */
  readonly noun: string;
  /** Starts one child. */
  readonly launch: WorkerLauncher;
}

/**
 * The shared engine of ProcessPoolExecutor and ClusterExecutor. A backend extends it and passes
 * its {@link ProcessPoolBackend}; everything else is here.
 */
export abstract class ProcessPoolBase extends Executor {
  /** Processes: task references only; a running task is stopped by stopping its child; values are copied. */
  readonly capabilities: ExecutorCapabilities = Object.freeze({ plainFunctions: false, stopRunning: 'forced', sameObjects: false });

  readonly #backend: ProcessPoolBackend;
  readonly #settings: PoolSettings;
  readonly #spec: LaunchSpec;
  /** Children alive and in the pool (idle or running a batch). */
  readonly #live = new Set<PoolWorker>();
  /** Idle children, oldest first. */
  readonly #idle: PoolWorker[] = [];
  /** Children being stopped (retired, aborted, shut down) whose exit is awaited at release. */
  readonly #leaving = new Set<PoolWorker>();
  #nextWorker = 1;
  #nextBatch = 1;
  #releasing = false;
  /** Set by terminateWorkers()/killWorkers(): why running tasks stopped. */
  #terminatedBy: string | undefined;

  /** Validates `options` (exact messages) and sets the pool up; children start when tasks arrive. */
  protected constructor(backend: ProcessPoolBackend, options: ProcessPoolOptions | undefined) {
    const { config, settings } = poolConfig(backend.name, options);
    super(config);
    this.#backend = backend;
    this.#settings = settings;
    this.#spec = {
      entry: childEntry(),
      execArgv: childExecArgv(settings.execArgv),
      env: settings.env,
      output: settings.output === 'inherit' ? 'inherit' : settings.output === 'ignore' ? 'ignore' : 'pipe',
    };
  }

  /** Child processes alive now. */
  get workerCount(): number {
    return this.#live.size;
  }

  /** The process ids of the live children. */
  get pids(): number[] {
    return [...this.#live].flatMap((worker) => (worker.process.pid === undefined ? [] : [worker.process.pid]));
  }

  /**
   * Python 3.14's `terminate_workers()`: sends SIGTERM to every child now. Tasks not started are
   * cancelled; running tasks fail with `BrokenExecutorError`; the executor is shut down.
   * Resolves when every future has settled and every child has exited.
   */
  terminateWorkers(): Promise<void> {
    return this.#stopAll('terminateWorkers()', 'SIGTERM');
  }

  /** Python 3.14's `kill_workers()`: like {@link ProcessPoolBase.terminateWorkers}, with SIGKILL. */
  killWorkers(): Promise<void> {
    return this.#stopAll('killWorkers()', 'SIGKILL');
  }

  protected override get maxBatchSize(): number {
    return this.#settings.batchSize;
  }

  /**
   * Each child gets its next two map chunks while it runs one: no round trip between chunks, and
   * when the parent is the slower side (quick calls) the chunks it hands a child in one turn go
   * in one write (see `PoolWorker.sendSoon`).
   */
  protected override get sendAhead(): number {
    return 2;
  }

  /** Timeouts count from when the child starts the task, not from its start-up. */
  protected override get reportsTaskStart(): boolean {
    return true;
  }

  /** One task at a time (batching off, or `maxTasksPerChild` set): a batch of one. */
  protected async runTask(running: RunningTask): Promise<unknown> {
    let outcome: { failed: boolean; value: unknown } | undefined;
    await this.runBatch([running], (_index, failed, value) => (outcome = { failed, value }));
    if (outcome === undefined) throw new Error(`${this.#backend.name}: the ${this.#backend.noun} returned no result for task ${taskLabel(running)}`);
    if (outcome.failed) throw outcome.value;
    return outcome.value;
  }

  protected override runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    const worker = this.#acquire();
    const first = batch[0] as RunningTask;
    const id = this.#nextBatch++;
    return new Promise<void>((resolve, reject) => {
      const pending: Promise<void>[] = []; // errors of task-module classes are rebuilt asynchronously
      let indexOf: readonly number[] | undefined = undefined; // message index → batch index, when some calls could not be sent
      let removeAbort = (): void => undefined;
      let over = false;
      const finish = (failed: boolean, error?: unknown): void => {
        if (over) return;
        over = true;
        removeAbort();
        if (worker.job === job) worker.job = undefined;
        void Promise.all(pending).then(() => (failed ? reject(error) : resolve()));
      };
      const job: Job = {
        id,
        outcomes: (from, outcomes, ran) => {
          if (outcomes.failed === undefined && indexOf === undefined && report.many !== undefined) report.many(from, outcomes.values as unknown[]);
          else forEachOutcome(outcomes, (k, ok, value) => {
            const index = indexOf?.[from + k] ?? from + k;
            if (ok) report(index, false, value);
            else this.#settleError(batch, index, value as SerializedError, report, pending);
          });
          if (ran === undefined) return;
          this.#afterBatch(worker);
          finish(false);
        },
        started: () => first.started(),
        initFailed: (cause) => {
          const error = new BrokenExecutorError(
            `${this.#backend.name}: the initializer failed in ${this.#backend.noun} ${worker.describe()}: ${(cause as Error)?.message ?? String(cause)}`,
            { cause },
          );
          this.markBroken(error);
          this.#stop(worker, 'abort', 'SIGKILL');
          finish(true, error);
        },
        exited: (exit) => finish(true, this.#explain(worker, batch, exit)),
        notRun: () => finish(true, this.#terminatedBy === undefined ? BATCH_NOT_RUN : this.#terminated(batch[0])),
      };
      if (worker.job === undefined) worker.job = job;
      else worker.ahead.push(job);
      if (first.stoppable) {
        const onAbort = (): void => this.#stop(worker, 'abort', 'SIGKILL'); // finishes through `exited`
        first.signal.addEventListener('abort', onAbort, { once: true });
        removeAbort = () => first.signal.removeEventListener('abort', onAbort);
        if (first.signal.aborted) onAbort();
      }
      const notifyStart = first.stoppable && batch.length === 1;
      const chunk = batch.length > 1 && first.inChunk === true;
      const message: RunMessage = { [KIND]: 'run', id, batch: toTaskBatch(batch), notifyStart, ...(chunk ? { chunk } : {}) };
      const sendAlone = (): void => {
        try {
          const sent = this.#send(worker, message, batch, report);
          if (sent === 'all') return;
          if (sent === 'none') {
            this.#afterBatch(worker);
            finish(false);
            return;
          }
          indexOf = sent;
        } catch (error) {
          finish(true, error);
        }
      };
      // Batches handed to this child in this turn (a map chunk and the ones sent ahead behind it) go in one write.
      worker.sendSoon(message, sendAlone);
    });
  }

  /** Sends a batch; `'all'`, or the batch indices sent when some arguments cannot be copied (those fail alone). */
  #send(worker: PoolWorker, message: RunMessage, batch: readonly RunningTask[], report: BatchReport): 'all' | 'none' | number[] {
    const { id, notifyStart } = message;
    try {
      worker.send(message);
      return 'all';
    } catch {
      const sendable: number[] = [];
      batch.forEach((running, index) => {
        try {
          serialize(running.args);
          sendable.push(index);
        } catch (error) {
          report(index, true, new TypeError(`the arguments of task ${taskLabel(running)} cannot be copied to a ${this.#backend.noun} (structured clone): ${(error as Error).message}`, { cause: error }));
        }
      });
      if (sendable.length === 0) return 'none';
      worker.send({ [KIND]: 'run', id, batch: toTaskBatch(sendable.map((index) => batch[index] as RunningTask)), notifyStart });
      return sendable;
    }
  }

  /** Reports a failed call (an error of a task-module class is rebuilt first, asynchronously). */
  #settleError(batch: readonly RunningTask[], index: number, error: SerializedError, report: BatchReport, pending: Promise<void>[]): void {
    const running = batch[index];
    const settlement = fromTaskOutcome([false, error], running !== undefined && isTaskRef(running.task) ? running.task.module : '');
    if ('then' in settlement) pending.push(settlement.then(({ failed, value }) => report(index, failed, value)));
    else report(index, settlement.failed, settlement.value);
  }

  /** A child finished a batch: on to the batch sent ahead, back to the idle list, or retired after `maxTasksPerChild` tasks. */
  #afterBatch(worker: PoolWorker): void {
    if (worker.exit !== undefined || worker.stopping !== undefined) return;
    const next = worker.ahead.shift();
    if (next !== undefined) {
      worker.job = next;
      return;
    }
    if (worker.ran >= this.#settings.maxTasksPerChild) {
      this.#stop(worker, 'retire', undefined);
      return;
    }
    this.#idle.push(worker);
    worker.process.unref();
  }

  /**
   * An idle child, or a new one while there are fewer than `maxWorkers`, or else (a map chunk
   * sent ahead) the busy child with the fewest batches waiting.
   */
  #acquire(): PoolWorker {
    const idle = this.#idle.shift();
    if (idle !== undefined) {
      idle.process.ref();
      return idle;
    }
    if (this.#live.size >= this.maxWorkers) {
      let least: PoolWorker | undefined;
      for (const worker of this.#live) if (least === undefined || worker.ahead.length < least.ahead.length) least = worker;
      if (least !== undefined) return least;
    }
    const id = this.#nextWorker++;
    const worker = new PoolWorker(id, this.#backend.launch(this.#spec), this.#settings.output, (w, exit) => this.#onExit(w, exit));
    this.#live.add(worker);
    worker.send({ [KIND]: 'setup', workerId: id, ...(this.#settings.initializer === undefined ? {} : { initializer: this.#settings.initializer }) });
    return worker;
  }

  /** Takes a child out of the pool and stops it: `signal`, or (none) close its channel so it exits once idle. */
  #stop(worker: PoolWorker, why: NonNullable<PoolWorker['stopping']>, signal: NodeJS.Signals | undefined): void {
    worker.stopping ??= why;
    this.#live.delete(worker);
    const at = this.#idle.indexOf(worker);
    if (at !== -1) this.#idle.splice(at, 1);
    if (worker.exit !== undefined) return;
    this.#leaving.add(worker);
    worker.process.ref();
    if (signal === undefined) worker.process.close();
    else worker.process.kill(signal);
  }

  /** A child's process ended (and every message it sent was delivered). */
  #onExit(worker: PoolWorker, exit: ExitInfo): void {
    this.#leaving.delete(worker);
    const wasLive = this.#live.delete(worker);
    const at = this.#idle.indexOf(worker);
    if (at !== -1) this.#idle.splice(at, 1);
    releaseOwner(worker); // locks it held, waits it had on Manager objects
    if (worker.job !== undefined) {
      const ahead = worker.ahead.splice(0);
      worker.job.exited(exit);
      for (const job of ahead) job.notRun(); // queued again (they never started), or failed if the pool broke
      return;
    }
    // An idle child died on its own: replaced on demand, or Python's broken pool.
    if (wasLive && worker.stopping === undefined && !this.#releasing && this.#settings.onWorkerCrash === 'break') {
      const crashed = crashError(this.#backend.noun, worker.describe(), undefined, exit, worker.uncaught);
      this.markBroken(new BrokenExecutorError(`${this.#backend.name} is broken: an idle ${this.#backend.noun} ${worker.describe()} died: ${crashed.message}`, { cause: crashed }));
    }
  }

  /** The error of the task that was running when its child exited. */
  #explain(worker: PoolWorker, batch: readonly RunningTask[], exit: ExitInfo): unknown {
    const running = batch.find((task) => !task.future.done()) ?? batch[0];
    if (this.#terminatedBy !== undefined && (worker.stopping === 'terminate' || worker.stopping === 'shutdown')) return this.#terminated(running);
    if (running?.signal.aborted === true) return running.signal.reason;
    if (worker.stopping === 'abort' && this.isBroken) return new BrokenExecutorError(`${this.#backend.name} is broken`);
    const crashed = crashError(this.#backend.noun, worker.describe(), running, exit, worker.uncaught);
    if (this.#settings.onWorkerCrash === 'break') {
      this.markBroken(new BrokenExecutorError(`${this.#backend.name} is broken: ${crashed.message}`, { cause: crashed }));
    }
    return crashed;
  }

  /** The error of a task stopped by terminateWorkers()/killWorkers(). */
  #terminated(running: RunningTask | undefined): BrokenExecutorError {
    return new BrokenExecutorError(`task ${taskLabel(running)} was stopped: ${this.#terminatedBy ?? 'shutdown'} terminated every ${this.#backend.noun}`);
  }

  async #stopAll(by: string, signal: NodeJS.Signals): Promise<void> {
    this.#terminatedBy ??= by;
    const shutdown = this.shutdown({ cancelFutures: true });
    // As Python's pool after terminate_workers(): broken, so that nothing a stopped child had
    // not finished (the rest of its batch) runs again on a new child.
    this.markBroken(new BrokenExecutorError(`${this.#backend.name} is broken: ${by} terminated every ${this.#backend.noun}`));
    for (const worker of [...this.#live]) this.#stop(worker, 'terminate', signal);
    await shutdown;
  }

  /** Shutdown drained every task: close every child and wait for each to exit (killing stragglers). */
  protected override async release(): Promise<void> {
    this.#releasing = true;
    for (const worker of [...this.#live]) this.#stop(worker, 'shutdown', undefined);
    const leaving = [...this.#leaving];
    if (leaving.length === 0) return;
    const timer = setTimeout(() => {
      for (const worker of leaving) if (worker.exit === undefined) worker.process.kill('SIGKILL');
    }, EXIT_GRACE_MS);
    try {
      await Promise.all(leaving.map((worker) => worker.exited));
    } finally {
      clearTimeout(timer);
    }
  }
}
