import { randomBytes } from 'node:crypto';
import {
  BrokenExecutorError,
  Executor,
  Future,
  baseConfig,
  durationOption,
  forEachOutcome,
  fromTaskOutcome,
  integerOption,
  isTaskRef,
  limitOption,
  type BaseExecutorOptions,
  type BatchReport,
  type ExecutorCapabilities,
  toTaskBatch,
  type OutcomeGroup,
  type RunningTask,
  type SerializedError,
} from '@futures/core';
import { Job, Queue, QueueEvents, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_MAX_PAYLOAD_BYTES, PAYLOAD_FORMAT, decodeValue, encodeValue, type JobPayload } from './codec.js';
import { connectionOptions, connectionTimeoutOption, watchConnection } from './connection.js';
import { JobNotFoundError, type RedisUnavailableError } from './errors.js';
import { cancelChannel, jobFailure, queueOptions, type QueueOptions } from './shared.js';

/** Options of {@link DistributedExecutor}. */
export interface DistributedExecutorOptions extends BaseExecutorOptions, QueueOptions {
  /**
   * How many of this executor's tasks are in Redis at once (waiting for a worker or running);
   * the others wait in this process, where cancelling them costs nothing. How many run at once
   * is decided by the workers (`startWorker`'s `concurrency`, summed over workers).
   * @default 256
   */
  readonly maxWorkers?: number | undefined;
  /**
   * Default per-task time limit in ms, from when a worker takes the task. Both sides enforce it:
   * the future fails with `TaskTimeoutError` and the worker stops the task.
   * @default undefined (no limit)
   */
  readonly taskTimeout?: number | undefined;
  /**
   * How many times a task is tried in all: a task that throws (or whose worker died) runs again
   * after `backoff`, as BullMQ's `attempts`. Aborted and timed-out tasks are not tried again.
   * @default 1
   */
  readonly attempts?: number | undefined;
  /**
   * Wait before each new attempt: a fixed delay in ms, or BullMQ's `{ type: 'fixed' |
   * 'exponential', delay, jitter? }`.
   * @default 0
   */
  readonly backoff?: number | { readonly type: 'fixed' | 'exponential'; readonly delay: number; readonly jitter?: number } | undefined;
  /**
   * How long finished jobs (with their results) stay in Redis, in ms, so that a restarted
   * process can still `attach` to them. BullMQ then removes them.
   * @default 3_600_000 (one hour); failed jobs stay a day
   */
  readonly keepFinished?: number | undefined;
  /**
   * How often (ms) jobs with no news are looked up in Redis, in case an event was missed (a
   * trimmed event stream, a reconnect) or Redis lost the job (a restart without persistence).
   * @default 5_000
   */
  readonly checkInterval?: number | undefined;
}

/** One task handed to Redis (or attached by id) whose outcome is awaited. */
interface InFlight {
  readonly id: string;
  /** The task module, to bring back errors of its classes. */
  readonly module: string;
  /** The executor's task, or `undefined` for a future from `attach`. */
  readonly running: RunningTask | undefined;
  /** Settles the outcome: the executor's report, or the attached future. */
  readonly settle: (failed: boolean, value: unknown) => void | Promise<void>;
  /** Ends the task's `runBatch` (frees its place). */
  readonly end: () => void;
  /** The job's data, until it is added. */
  payload: JobPayload | undefined;
  /** A worker took it. */
  active: boolean;
  /** Added to Redis, not taken by a worker yet (counted in `#waitingInRedis`). */
  waiting: boolean;
  /** `cancel()` took it back: its outcome is not reported. */
  revoked: boolean;
  /** When the last event about it arrived (`performance.now()`). */
  news: number;
  /** Stops watching the task's signal. */
  unwatch: () => void;
}

const CAPABILITIES: ExecutorCapabilities = Object.freeze({ plainFunctions: false, stopRunning: 'cooperative', sameObjects: false });

/** When a lookup of a job found nothing of it. */
const LOST = Symbol('lost');

/**
 * Python's `concurrent.futures` executor over many machines: each task becomes a BullMQ job on
 * a Redis queue, and any number of worker processes (`startWorker`, or `futures worker`), on
 * any machine that reaches the same Redis, run it and send the outcome back through BullMQ's
 * events. Tasks are task references (module URL + export), resolved by each worker.
 *
 * `cancel()` takes back a job no worker has taken yet; a per-call `signal` or `timeout` stops
 * a running one on its worker. A worker killed mid-task has its job taken up again by another
 * (BullMQ's stalled-job recovery) and the future settles once. A process that restarts can
 * {@link DistributedExecutor.attach} to its jobs by id. When Redis cannot be reached for
 * `connectionTimeout` ms, the executor breaks with {@link RedisUnavailableError} instead of
 * hanging.
 *
 * @example
 * import { DistributedExecutor } from '@futures/bullmq';
 * await using executor = new DistributedExecutor({ connection: 'redis://127.0.0.1:6379' });
 * const tasks = defineTasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * console.log(await executor.submit(tasks.square, 7)); // 49, computed by a worker
 */
export class DistributedExecutor extends Executor {
  /** Plain functions cannot travel; stopping a running task is up to the worker's backend (cooperative on its default AsyncExecutor, forced on a thread or process pool). */
  readonly capabilities: ExecutorCapabilities = CAPABILITIES;
  /** The BullMQ queue the tasks go to (for its other methods: counts, pause, clean). */
  readonly queue: Queue;
  /** The queue's name. */
  readonly queueName: string;

  readonly #client: Redis;
  readonly #eventsClient: Redis;
  readonly #jobOptions: JobsOptions;
  readonly #maxPayloadBytes: number;
  readonly #checkInterval: number;
  readonly #channel: string;
  readonly #idBase = randomBytes(6).toString('base64url');
  #sequence = 0;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #byTask = new WeakMap<RunningTask, InFlight>();
  readonly #jobIds = new WeakMap<Future, string>();
  readonly #attached = new Set<Future>();
  #toAdd: InFlight[] = [];
  #flushScheduled = false;
  #flushTimer: NodeJS.Timeout | undefined;
  /** This executor's jobs added to Redis that no worker has taken yet. */
  #waitingInRedis = 0;
  #events: QueueEvents | undefined;
  readonly #ready: Promise<void>;
  #lost: RedisUnavailableError | undefined;
  readonly #unwatch: () => void;
  #checker: NodeJS.Timeout | undefined;

  constructor(options?: DistributedExecutorOptions) {
    const config = baseConfig('DistributedExecutor', options, { maxWorkers: 256, recordTiming: true }, [
      'connection',
      'queue',
      'prefix',
      'attempts',
      'backoff',
      'keepFinished',
      'checkInterval',
      'maxPayloadBytes',
      'connectionTimeout',
    ]);
    super(config);
    const opts = (options ?? {}) as DistributedExecutorOptions;
    const shared = queueOptions('new DistributedExecutor()', opts);
    this.queueName = shared.queue;
    this.#channel = cancelChannel(shared.prefix, shared.queue);
    this.#maxPayloadBytes = limitOption('maxPayloadBytes', opts.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES, 1);
    this.#checkInterval = durationOption('checkInterval', opts.checkInterval) ?? 5_000;
    const keep = durationOption('keepFinished', opts.keepFinished) ?? 3_600_000;
    const attempts = integerOption('attempts', opts.attempts, 1);
    this.#jobOptions = {
      attempts,
      ...backoffOption(opts.backoff),
      removeOnComplete: { age: Math.ceil(keep / 1000) },
      removeOnFail: { age: Math.max(Math.ceil(keep / 1000), 86_400) },
    };
    const timeout = connectionTimeoutOption(opts.connectionTimeout);
    const connection = connectionOptions(opts.connection, 'new DistributedExecutor()'); // every option is checked before a connection opens
    // Two connections of our own, so that a lost Redis can be let go of at once (BullMQ's own
    // close waits for a Redis that may never come back): one for commands, shared with the
    // queue, and one for reading the events stream (a blocking read). Commands wait through a
    // short outage; the watch below turns a lasting one into a typed error.
    this.#client = new Redis({ ...connection, maxRetriesPerRequest: null });
    this.#client.on('error', () => undefined); // its state is watched below
    this.#eventsClient = new Redis({ ...connection, maxRetriesPerRequest: null });
    this.#eventsClient.on('error', () => undefined);
    this.queue = new Queue(shared.queue, { connection: this.#client, prefix: shared.prefix });
    this.queue.on('error', () => undefined); // reported through the watched client
    this.#unwatch = watchConnection(
      this.#client,
      timeout,
      'DistributedExecutor',
      (error) => this.#lose(error),
      '. Jobs already in Redis may still run: reattach to them with attach(jobId) once Redis is back',
    );
    this.#ready = this.#listen(shared.prefix);
    this.#ready.catch(() => undefined); // reported to the tasks that wait for it
  }

  /**
   * Starts reading the queue's events from now on the Redis clock, so that no event of a job
   * added once this resolves can be missed, however soon it comes.
   */
  async #listen(prefix: string): Promise<void> {
    const [seconds, micros] = await this.#client.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const events = new QueueEvents(this.queueName, { connection: this.#eventsClient, prefix, lastEventId: `${now - 1}-0` });
    this.#events = events;
    events.on('error', () => undefined);
    events.on('active', ({ jobId }) => this.#activated(jobId));
    events.on('completed', ({ jobId, returnvalue }) => this.#completed(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => void this.#failed(jobId, failedReason));
    events.on('removed', ({ jobId }) => this.#removed(jobId));
    await events.waitUntilReady();
  }

  /** Every task is handed to Redis at once (up to `maxWorkers`) and stays pending there until a worker takes it. */
  protected override get handsOverAll(): boolean {
    return true;
  }

  protected override get claimsAhead(): boolean {
    return true;
  }

  protected override runTask(): never {
    throw new TypeError('DistributedExecutor hands every task over with runBatch');
  }

  /**
   * `map(..., { chunksize })` sends each chunk as one job (the calls travel as a `TaskBatch` and
   * come back as an `OutcomeGroup`, the task protocol every parallel backend shares).
   */
  protected override get maxBatchSize(): number {
    return MAX_CHUNK;
  }

  /**
   * Hands one task, or one `map` chunk, to Redis as a job (batched with the others of this tick
   * into one `addBulk`).
   */
  protected override runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    const running = batch[0] as RunningTask;
    const task = running.task;
    if (!isTaskRef(task)) return Promise.reject(new TypeError('DistributedExecutor runs task references only'));
    const chunk = running.inChunk === true ? batch.length : undefined;
    const reportAll = (value: unknown): void => {
      for (let index = 0; index < (chunk ?? 1); index++) report(index, true, value);
    };
    let payload: JobPayload;
    try {
      payload = {
        futures: PAYLOAD_FORMAT,
        module: task.module,
        name: task.name,
        ...(chunk === undefined
          ? { args: encodeValue(running.args, this.#maxPayloadBytes, `the arguments of task ${task.name}`) }
          : { batch: encodeValue(toTaskBatch(batch), this.#maxPayloadBytes, `the arguments of a map chunk of ${chunk} calls to ${task.name}`) }),
        ...(running.timeout === undefined ? {} : { timeout: running.timeout }),
        ...(running.stoppable ? { stoppable: true } : {}),
      };
    } catch (error) {
      reportAll(error);
      return Promise.resolve();
    }
    if (this.#lost !== undefined) {
      reportAll(this.#lost);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const record: InFlight = {
        id: `${this.#idBase}-${++this.#sequence}`,
        module: task.module,
        running,
        settle:
          chunk === undefined
            ? (failed, value) => report(0, failed, value)
            : (failed, value) => (failed ? reportAll(value) : reportGroup(value as OutcomeGroup, task.module, report)),
        end: resolve,
        payload,
        active: false,
        waiting: false,
        revoked: false,
        news: performance.now(),
        unwatch: () => undefined,
      };
      if (running.stoppable) {
        // An abort or timeout of a running task (the executor has settled its future): stop it on its worker.
        const signal = running.signal;
        const stop = (): void => void this.#stopOnWorker(record, signal.reason);
        signal.addEventListener('abort', stop, { once: true });
        record.unwatch = () => signal.removeEventListener('abort', stop);
      }
      this.#track(record);
      this.#jobIds.set(running.future, record.id);
      this.#byTask.set(running, record);
      this.#toAdd.push(record);
      this.#scheduleFlush();
    });
  }

  /**
   * Adds what was handed over at the end of this turn of the event loop, or, while plenty of
   * this executor's jobs still wait in Redis for a worker, a little later in batches of
   * {@link FLUSH_BATCH}: in steady state each finished task hands one over, and one `addBulk`
   * per task would cost Redis and this process more than the job itself.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#toAdd.length === 0) return;
    if (this.#toAdd.length >= FLUSH_BATCH || this.#waitingInRedis < FLUSH_BATCH) {
      this.#flushScheduled = true;
      setImmediate(this.#flush);
    } else {
      this.#flushTimer ??= setTimeout(this.#flush, FLUSH_DELAY_MS);
    }
  }

  /** Adds the tasks handed over since the last flush, in one round trip. */
  readonly #flush = (): void => {
    this.#flushScheduled = false;
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const records = this.#toAdd.filter((record) => !record.revoked);
    this.#toAdd = [];
    if (records.length === 0) return;
    const jobs = records.map((record) => ({ name: record.payload?.name ?? 'task', data: record.payload, opts: { ...this.#jobOptions, jobId: record.id } }));
    for (const record of records) {
      record.payload = undefined;
      record.waiting = true;
    }
    this.#waitingInRedis += records.length;
    this.#ready
      .then(() => this.queue.addBulk(jobs))
      .catch((error: unknown) => {
        for (const record of records) this.#finish(record, true, this.#lost ?? new Error(`DistributedExecutor could not add job ${record.id} to queue ${this.queueName}: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      });
  };

  /**
   * `cancel()` of a task handed over: true unless a worker is known to have taken it. The job
   * is removed from Redis; if a worker took it meanwhile (BullMQ refuses to remove a locked
   * job), it is stopped there, as an abort would. Its outcome is not reported either way.
   */
  protected override revokeAhead(running: RunningTask): boolean {
    const record = this.#byTask.get(running);
    if (record === undefined || record.revoked) return true;
    if (record.active) return false;
    record.revoked = true;
    if (record.payload !== undefined) {
      this.#finish(record, false, undefined); // not added yet: never leaves this process
      return true;
    }
    void this.#ready
      .then(() => this.queue.remove(record.id))
      .then(
        (removed) => {
          if (removed === 1) this.#finish(record, false, undefined);
          else return this.#stopOnWorker(record, 'cancelled');
        },
        () => undefined, // Redis is away: the connection watch ends it
      );
    return true;
  }

  /** Tells the workers to stop the job (whichever runs it aborts it; it then fails, and is not tried again). */
  async #stopOnWorker(record: InFlight, reason: unknown): Promise<void> {
    if (this.#lost !== undefined || !this.#inFlight.has(record.id)) return;
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    try {
      await this.#client.publish(this.#channel, JSON.stringify({ id: record.id, reason: text }));
    } catch {
      // Redis is away: the connection watch ends the task
    }
  }

  #track(record: InFlight): void {
    this.#inFlight.set(record.id, record);
    if (this.#checker === undefined) {
      this.#checker = setInterval(() => void this.#check(), this.#checkInterval);
      this.#checker.unref();
    }
  }

  /** Ends a task: reports its outcome (unless it was revoked) and frees its place. */
  #finish(record: InFlight, failed: boolean, value: unknown): void {
    if (this.#inFlight.get(record.id) !== record) return;
    this.#inFlight.delete(record.id);
    this.#taken(record);
    record.unwatch();
    let settling: Promise<void> | void = undefined;
    if (!record.revoked) {
      if (!record.active && record.running !== undefined) record.running.claimed?.();
      settling = record.settle(failed, value);
    }
    if (settling === undefined) record.end();
    else void settling.then(record.end, record.end);
    if (this.#inFlight.size === 0 && this.#checker !== undefined) {
      clearInterval(this.#checker);
      this.#checker = undefined;
    }
  }

  /** A job no longer waits in Redis (a worker took it, or it ended): hands more over if few wait. */
  #taken(record: InFlight): void {
    if (!record.waiting) return;
    record.waiting = false;
    this.#waitingInRedis--;
    if (this.#waitingInRedis < FLUSH_BATCH && this.#flushTimer !== undefined) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = undefined;
      this.#scheduleFlush();
    }
  }

  #activated(jobId: string): void {
    const record = this.#inFlight.get(jobId);
    if (record === undefined || record.active) return;
    record.news = performance.now();
    record.active = true;
    this.#taken(record);
    if (!record.revoked) record.running?.claimed?.();
  }

  #completed(jobId: string, returnvalue: unknown): void {
    const record = this.#inFlight.get(jobId);
    if (record === undefined) return;
    let value: unknown;
    try {
      value = decodeValue(returnvalue, `the result of job ${jobId}`);
    } catch (error) {
      this.#finish(record, true, error);
      return;
    }
    this.#finish(record, false, value);
  }

  async #failed(jobId: string, failedReason: string): Promise<void> {
    const record = this.#inFlight.get(jobId);
    if (record === undefined) return;
    record.news = performance.now();
    if (record.revoked) {
      this.#finish(record, true, undefined);
      return;
    }
    let job: Job | undefined;
    try {
      job = await Job.fromId(this.queue, jobId);
    } catch {
      job = undefined; // only the reason is known
    }
    const error = await jobFailure(job, failedReason, record.module, jobId);
    this.#finish(record, true, error);
  }

  #removed(jobId: string): void {
    const record = this.#inFlight.get(jobId);
    if (record === undefined) return;
    this.#finish(record, true, new JobNotFoundError(`job ${jobId} was removed from queue ${this.queueName} by another client before it ran`, jobId));
  }

  /** Looks up jobs with no news for `checkInterval` ms: an event may have been missed. */
  async #check(): Promise<void> {
    const stale = performance.now() - this.#checkInterval;
    for (const record of [...this.#inFlight.values()]) {
      if (record.news > stale || record.payload !== undefined || this.#lost !== undefined) continue;
      record.news = performance.now();
      const outcome = await this.#lookUp(record.id, record.module).catch(() => undefined);
      if (outcome === undefined) continue; // still waiting or running (or Redis is away)
      if (outcome === LOST) {
        if (record.revoked) this.#finish(record, false, undefined);
        else this.#finish(record, true, new JobNotFoundError(`job ${record.id} is no longer in Redis (was Redis restarted without persistence, or the job removed?)`, record.id));
        continue;
      }
      if (outcome.active) this.#activated(record.id);
      else this.#finish(record, outcome.failed, outcome.value);
    }
  }

  /** A job's outcome in Redis, `{ active }` while it runs, `undefined` while it waits, {@link LOST} if it is gone. */
  async #lookUp(jobId: string, module: string | undefined): Promise<{ failed: boolean; value: unknown; active?: false } | { active: true } | typeof LOST | undefined> {
    // The state first (one small command): a job still waiting costs no fetch of its arguments.
    const state = await this.queue.getJobState(jobId);
    if (state === 'unknown') return LOST;
    if (state === 'active') return { active: true };
    if (state !== 'completed' && state !== 'failed') return undefined;
    const job = await Job.fromId(this.queue, jobId);
    if (job === undefined) return LOST;
    if (state === 'completed') {
      try {
        return { failed: false, value: decodeValue(job.returnvalue, `the result of job ${jobId}`) };
      } catch (error) {
        return { failed: true, value: error };
      }
    }
    // jobFailure falls back to the module named in the job's data (an attached job's module is not known here).
    return { failed: true, value: await jobFailure(job, job.failedReason, module ?? '', jobId) };
  }

  /**
   * The id of the job that carries `future`'s task, once it was handed to Redis (`undefined`
   * while it still waits in this process, and for futures of other executors). Keep it to
   * {@link DistributedExecutor.attach} to the job from another process, or after a restart.
   */
  jobId(future: Future): string | undefined {
    return this.#jobIds.get(future);
  }

  /**
   * A future for a job submitted earlier, by this process or another (one that restarted, say):
   * it settles with the job's outcome as the original future would have, at once if the job
   * has finished. Fails with {@link JobNotFoundError} if Redis has no such job (never added, or
   * removed after `keepFinished`). Cancelling it stops watching; the job goes on. Attached
   * futures are not counted in `stats`; `shutdown()` waits for them.
   *
   * @example
   * const future = executor.attach<number>(savedJobId);
   * console.log(await future);
   */
  attach<T = unknown>(jobId: string): Future<T> {
    if (typeof jobId !== 'string' || jobId === '') throw new TypeError(`attach: jobId must be a non-empty string, got ${typeof jobId}`);
    if (this.isShutdown) throw new BrokenExecutorError(`DistributedExecutor: cannot attach to job ${jobId} after shutdown`);
    if (this.#lost !== undefined) throw this.#lost;
    const future = new Future<T>({ name: `job ${jobId}` });
    future.setRunningOrNotifyCancel();
    this.#attached.add(future);
    this.#jobIds.set(future, jobId);
    const record: InFlight = {
      id: jobId,
      module: '',
      running: undefined,
      settle: (failed, value) => {
        if (future.done()) return;
        if (failed) future.setException(value);
        else future.setResult(value as T);
      },
      end: () => undefined,
      payload: undefined,
      active: false,
      waiting: false,
      revoked: false,
      news: performance.now(),
      unwatch: () => undefined,
    };
    future.addDoneCallback(() => {
      this.#attached.delete(future);
      if (this.#inFlight.get(jobId) === record) this.#inFlight.delete(jobId); // cancelled: stop watching
    });
    const existing = this.#inFlight.get(jobId);
    if (existing !== undefined) {
      // A future of this executor already waits for it: follow that one.
      existing.running?.future.addDoneCallback((done) => void done.result().then(record.settle.bind(null, false), record.settle.bind(null, true)));
      return future;
    }
    this.#track(record);
    void this.#ready
      .then(() => this.#lookUp(jobId, undefined))
      .then(
        (outcome) => {
          if (outcome === LOST) this.#finish(record, true, new JobNotFoundError(`no job ${jobId} in queue ${this.queueName} (never added, or removed after keepFinished)`, jobId));
          else if (outcome !== undefined && !('active' in outcome && outcome.active)) this.#finish(record, outcome.failed, outcome.value);
        },
        (error: unknown) => this.#finish(record, true, this.#lost ?? error),
      );
    return future;
  }

  /** Redis stayed away for `connectionTimeout`: the executor breaks, and every task in flight fails with the error. */
  #lose(error: RedisUnavailableError): void {
    if (this.#lost !== undefined) return;
    this.#lost = error;
    this.markBroken(error);
    for (const record of [...this.#inFlight.values()]) this.#finish(record, true, error);
  }

  protected override async release(): Promise<void> {
    clearTimeout(this.#flushTimer);
    await Promise.all([...this.#attached].map((future) => future.exception().catch(() => undefined)));
    clearInterval(this.#checker);
    this.#unwatch();
    if (this.#lost !== undefined) {
      // Nothing to say goodbye to: drop the connections (what still waits on them fails);
      // BullMQ's objects are closed without waiting, as they would wait for Redis.
      this.#client.disconnect();
      this.#eventsClient.disconnect();
      void this.queue.close().catch(() => undefined);
      void this.#events?.close().catch(() => undefined);
      return;
    }
    await Promise.allSettled([this.#ready.then(() => this.#events?.close()), this.queue.close()]);
    await Promise.allSettled([this.#client, this.#eventsClient].map((client) => client.quit().catch(() => client.disconnect())));
  }

  override toString(): string {
    return super.toString().replace('DistributedExecutor(', `DistributedExecutor(queue=${this.queueName}, `);
  }
}

/** While this many of an executor's jobs wait in Redis, new ones are added in batches of this size... */
const FLUSH_BATCH = 64;
/** ...or after this many ms, whichever comes first. */
const FLUSH_DELAY_MS = 10;

/** The most calls one `map` chunk (one job) may hold. */
const MAX_CHUNK = 10_000;

/**
 * Reports the outcomes of a chunk's calls, in order; errors come back as their classes (which
 * may mean importing the task module once, hence a promise then).
 */
function reportGroup(group: OutcomeGroup, module: string, report: BatchReport): Promise<void> | void {
  const pending: Promise<void>[] = [];
  forEachOutcome(group, (index, ok, value) => {
    if (ok) {
      report(index, false, value);
      return;
    }
    const settlement = fromTaskOutcome([false, value as SerializedError], module);
    if ('then' in settlement) pending.push(settlement.then(({ value: error }) => report(index, true, error)));
    else report(index, true, settlement.value);
  });
  if (pending.length > 0) return Promise.all(pending).then(() => undefined);
}

/** BullMQ's `backoff` from ours. */
function backoffOption(backoff: DistributedExecutorOptions['backoff']): Pick<JobsOptions, 'backoff'> {
  if (backoff === undefined) return {};
  if (typeof backoff === 'number') return { backoff: { type: 'fixed', delay: durationOption('backoff', backoff) ?? 0 } };
  if (typeof backoff !== 'object' || backoff === null || (backoff.type !== 'fixed' && backoff.type !== 'exponential')) {
    throw new TypeError(`backoff must be a delay in ms or { type: 'fixed' | 'exponential', delay }, got ${JSON.stringify(backoff)}`);
  }
  const delay = durationOption('backoff.delay', backoff.delay) ?? 0;
  if (backoff.jitter !== undefined && !(typeof backoff.jitter === 'number' && backoff.jitter >= 0 && backoff.jitter <= 1)) {
    throw new RangeError(`backoff.jitter must be a number from 0 to 1, got ${String(backoff.jitter)}`);
  }
  return { backoff: { type: backoff.type, delay, ...(backoff.jitter === undefined ? {} : { jitter: backoff.jitter }) } };
}
