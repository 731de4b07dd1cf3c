import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AsyncExecutor } from '@futures/async';
import {
  TaskTimeoutError,
  batchLength,
  durationOption,
  groupOutcomes,
  integerOption,
  limitOption,
  optionsObject,
  rejectUnknownOptions,
  serializeError,
  taskRef,
  typeScriptImports,
  type Executor,
  type TaskBatch,
  type TaskOutcome,
  type TaskRef,
} from '@futures/core';
import { UnrecoverableError, Worker, type Job, type RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_MAX_PAYLOAD_BYTES, decodeValue, encodeValue, readPayload } from './codec.js';
import { connectionOptions, connectionTimeoutOption, watchConnection } from './connection.js';
import { InvalidPayloadError, PayloadTooLargeError, TaskNotAllowedError, type RedisUnavailableError } from './errors.js';
import { cancelChannel, queueOptions, type QueueOptions } from './shared.js';

/** Options of {@link startWorker}. */
export interface WorkerOptions extends QueueOptions {
  /**
   * Where the tasks run in this process: any @futures executor (a `ThreadPoolExecutor` or
   * `ProcessPoolExecutor` for CPU-bound tasks). The worker shuts it down when it closes.
   * @default a new AsyncExecutor with `maxWorkers: concurrency` (tasks run on this event loop)
   */
  readonly executor?: Executor | undefined;
  /**
   * How many jobs this worker runs at once.
   * @default the executor's `maxWorkers`, else 16
   */
  readonly concurrency?: number | undefined;
  /**
   * The task modules this worker may import: exact module URLs, or URLs ending in `/` for every
   * module under a directory. A job naming another module fails with `TaskNotAllowedError`.
   * Anyone who can write to the queue chooses what the worker imports: set this in production.
   * @default undefined (any module)
   */
  readonly allowModules?: readonly (string | URL)[] | undefined;
  /**
   * Maps a task's module URL as the submitter wrote it to where the module is on this machine
   * (when the code is deployed at another path). Runs before `allowModules` is checked.
   * @example resolveModule: (url) => url.replace('file:///home/dev/app/', 'file:///srv/app/')
   */
  readonly resolveModule?: ((module: string) => string | URL) | undefined;
  /**
   * How long (ms) a job's lock lasts; the worker renews it while the task runs. A worker that
   * dies (killed, out of memory, cut off) stops renewing, and once the lock expires BullMQ
   * gives the job to another worker.
   * @default 30_000
   */
  readonly lockDuration?: number | undefined;
  /**
   * How often (ms) this worker looks for jobs whose lock expired (stalled jobs) to run again.
   * @default 30_000
   */
  readonly stalledInterval?: number | undefined;
  /**
   * How many times a job may stall (its worker died) before it fails with `WorkerCrashedError`
   * rather than run again.
   * @default 1
   */
  readonly maxStalledCount?: number | undefined;
  /**
   * This worker's name, recorded by BullMQ on each job it takes (`job.processedBy`) and shown
   * in messages.
   * @default `${hostname}:${pid}`
   */
  readonly name?: string | undefined;
  /** Stops the worker (as `close()`) when it aborts. */
  readonly signal?: AbortSignal | undefined;
}

/** A running worker: see {@link startWorker}. */
export interface DistributedWorker extends AsyncDisposable {
  /** The BullMQ worker underneath (for its events and methods: `pause`, `on('failed')`, ...). */
  readonly worker: Worker;
  /** Where tasks run. */
  readonly executor: Executor;
  /** The queue's name. */
  readonly queueName: string;
  /** This worker's name (`job.processedBy` of the jobs it takes). */
  readonly name: string;
  /**
   * Resolves once the worker has closed: after `close()`, its `signal`, or (rejecting with
   * `RedisUnavailableError`) when Redis stayed away for `connectionTimeout`.
   */
  readonly closed: Promise<void>;
  /**
   * Stops taking jobs, waits for the running ones to finish and shuts the executor down; while it
   * waits, their submitters can still stop them (an abort or a timeout reaches them). With
   * `force`, running jobs are abandoned instead: nothing is stored, BullMQ gives the jobs to
   * another worker once their locks expire, and the tasks of jobs submitted with a signal or a
   * timeout are told to stop (cooperative tasks do); other tasks run on, unwatched. The first
   * call decides: a forced close after a `close()` still waiting does not hurry it.
   */
  close(options?: { readonly force?: boolean }): Promise<void>;
}

/**
 * Runs the tasks of a {@link DistributedExecutor}'s queue in this process, until closed. Start
 * any number, on any machines that reach the same Redis: each takes jobs as it has room, runs
 * them on its `executor` and stores their outcomes in Redis, where the submitter's futures
 * settle from BullMQ's events. Task modules are imported here, by URL (see `resolveModule`,
 * `allowModules`). Resolves once the worker is connected and taking jobs.
 *
 * @example
 * import { startWorker } from '@futures/bullmq';
 * import { ThreadPoolExecutor } from '@futures/worker-threads';
 * const worker = await startWorker({ connection: 'redis://10.0.0.5:6379', executor: new ThreadPoolExecutor() });
 * process.on('SIGTERM', () => void worker.close());
 */
export async function startWorker(options?: WorkerOptions): Promise<DistributedWorker> {
  const where = 'startWorker()';
  const opts = optionsObject(where, options) as WorkerOptions;
  rejectUnknownOptions(where, opts, [
    'connection',
    'queue',
    'prefix',
    'maxPayloadBytes',
    'connectionTimeout',
    'executor',
    'concurrency',
    'allowModules',
    'resolveModule',
    'lockDuration',
    'stalledInterval',
    'maxStalledCount',
    'name',
    'signal',
  ]);
  const { queue, prefix } = queueOptions(where, opts);
  const maxPayloadBytes = limitOption('maxPayloadBytes', opts.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES, 1);
  const concurrency = integerOption('concurrency', opts.concurrency, opts.executor?.maxWorkers ?? 16);
  const lockDuration = durationOption('lockDuration', opts.lockDuration) ?? 30_000;
  const stalledInterval = durationOption('stalledInterval', opts.stalledInterval) ?? 30_000;
  const maxStalledCount = integerOption('maxStalledCount', opts.maxStalledCount, 1, 0);
  const timeout = connectionTimeoutOption(opts.connectionTimeout);
  if (opts.resolveModule !== undefined && typeof opts.resolveModule !== 'function') throw new TypeError(`${where}: resolveModule must be a function`);
  const allowed = allowList(opts.allowModules);
  if (opts.name !== undefined && (typeof opts.name !== 'string' || opts.name === '')) throw new TypeError(`${where}: name must be a non-empty string`);
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const connection = connectionOptions(opts.connection, where);
  const executor = opts.executor ?? new AsyncExecutor({ maxWorkers: concurrency });

  /** Task references made so far, by module URL and export (a job names its task as text). */
  const refs = new Map<string, TaskRef>();
  const refFor = (module: string, name: string): TaskRef => {
    const key = `${module}#${name}`;
    let ref = refs.get(key);
    if (ref === undefined) {
      if (refs.size >= 1_000) refs.clear(); // jobs name tasks as text: keep the cache bounded
      refs.set(key, (ref = taskRef(module, name)));
    }
    return ref;
  };

  /** Where the module of a job is here, or a refusal. */
  const moduleOf = (module: string): string => {
    const mapped = opts.resolveModule === undefined ? module : opts.resolveModule(module);
    const href = mapped instanceof URL ? mapped.href : String(mapped);
    if (allowed !== undefined && !allowed.some((entry) => (entry.endsWith('/') ? href.startsWith(entry) : href === entry))) {
      throw new TaskNotAllowedError(`this worker does not run tasks from ${href}: it is not in allowModules`);
    }
    return href;
  };

  /**
   * The jobs running here, with an AbortController for those their submitter may stop (the
   * payload says `stoppable`: a signal or a timeout). Stop requests and a forced close abort
   * them. Other jobs run without a signal: BullMQ's own per-job AbortController (made when the
   * processor takes a third parameter) is left out, as one `AbortSignal` per job is a large part
   * of a small job's cost on Node 20.
   */
  const running = new Map<string, AbortController | undefined>();

  const processor = async (job: Job): Promise<string> => {
    const id = job.id as string;
    let signal: AbortSignal | undefined;
    try {
      const stop = early.get(id);
      if (stop !== undefined) {
        early.delete(id);
        throw new UnrecoverableError(stop.reason);
      }
      const payload = readPayload(job.data, job.id);
      const controller = payload.stoppable === true ? new AbortController() : undefined;
      signal = controller?.signal;
      running.set(id, controller);
      const module = moduleOf(payload.module);
      const loading = prepareImport(module); // a promise only while a TypeScript loader registers
      if (loading !== undefined) await loading;
      const ref = refFor(module, payload.name);
      if (payload.batch !== undefined) return await runChunk(job, payload.batch, signal);
      const args = decodeValue(payload.args, `the arguments of job ${job.id}`);
      if (!Array.isArray(args)) throw new InvalidPayloadError(`the arguments of job ${job.id} are not a list`);
      const value: unknown =
        signal === undefined && payload.timeout === undefined
          ? await executor.submit(ref, ...(args as unknown[]))
          : await executor.submitWith(payload.timeout === undefined ? { signal } : { signal, timeout: payload.timeout }, ref, ...(args as unknown[]));
      return encodeValue(value, maxPayloadBytes, `the result of task ${payload.name} (job ${job.id})`);
    } catch (error) {
      throw await failure(job, error, signal);
    } finally {
      running.delete(id);
    }
  };

  /**
   * Runs the calls of a `map` chunk (a `TaskBatch`) on the executor, side by side as it has
   * room, and returns every call's outcome as one `OutcomeGroup`: a call that fails fails only
   * its own place. Stopped as a whole by `signal`.
   */
  const runChunk = async (job: Job, encoded: string, signal: AbortSignal | undefined): Promise<string> => {
    const batch = decodeValue(encoded, `the calls of job ${job.id}`) as TaskBatch;
    if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.tasks)) throw new InvalidPayloadError(`the calls of job ${job.id} are not a task batch`);
    const refs = await Promise.all(
      batch.tasks.map(async ([module, name]) => {
        const href = moduleOf(module);
        await prepareImport(href);
        return refFor(href, name);
      }),
    );
    const calls = Array.from({ length: batchLength(batch) }, (_, index) => {
      const ref = refs[batch.which?.[index] ?? 0];
      if (ref === undefined) throw new InvalidPayloadError(`call ${index} of job ${job.id} names no task`);
      const args = batch.arg !== undefined ? [batch.arg[index]] : (batch.args?.[index] ?? []);
      return executor.submitWith({ signal }, ref, ...(args as unknown[]));
    });
    const settled = await Promise.allSettled(calls);
    if (signal?.aborted === true) throw signal.reason;
    const outcomes = settled.map((outcome): TaskOutcome => (outcome.status === 'fulfilled' ? [true, outcome.value] : [false, serializeError(outcome.reason)]));
    return encodeValue(groupOutcomes(outcomes), maxPayloadBytes, `the results of a map chunk of ${outcomes.length} calls (job ${job.id})`);
  };

  /** Records the task's error in the job (class, stack, fields) and returns what to throw to BullMQ. */
  const failure = async (job: Job, error: unknown, signal: AbortSignal | undefined): Promise<Error> => {
    const final =
      signal?.aborted === true ||
      error instanceof UnrecoverableError ||
      error instanceof TaskTimeoutError ||
      error instanceof InvalidPayloadError ||
      error instanceof TaskNotAllowedError ||
      error instanceof PayloadTooLargeError;
    // A job abandoned by a worker closing by force stays active in Redis and goes to another worker: it records nothing.
    if (abandoning) return new Error(`worker ${name} closed while running job ${job.id}`);
    try {
      await job.updateData({ ...(job.data as object), error: encodeValue(serializeError(error), Infinity, 'the error') });
    } catch {
      // the job is gone, or Redis is away: BullMQ's reason is all the submitter will see
    }
    // Stopped by its submitter: the reason it gave (the task may not have started; then its local future was only cancelled).
    const message = signal?.aborted === true ? String(signal.reason) : error instanceof Error ? error.message : `non-error thrown: ${String(error)}`;
    // Aborted, timed out or refused: trying again would not help (nor would the submitter want it).
    const thrown = final ? new UnrecoverableError(message) : new Error(message);
    if (error instanceof Error && typeof error.stack === 'string') thrown.stack = error.stack;
    return thrown;
  };

  const bull = new Worker(queue, processor, {
    connection: { ...connection, maxRetriesPerRequest: null } as BullRedisOptions,
    prefix,
    name,
    concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
    autorun: false,
  });
  bull.on('error', () => undefined); // connection trouble is watched below

  // Submitters publish the ids of running jobs to stop (an abort, a timeout, a late cancel).
  const subscriber = new Redis({ ...connection, maxRetriesPerRequest: null });
  subscriber.on('error', () => undefined);
  // A request can arrive before BullMQ tracks the job it just took (the submitter hears of the
  // job's start from Redis, as soon as this worker does): it is kept for a while, and a job
  // that starts with a request waiting stops at once. Requests for jobs of other workers expire.
  const early = new Map<string, { readonly reason: string; readonly at: number }>();
  subscriber.on('message', (_channel: string, message: string) => {
    let request: { id?: unknown; reason?: unknown };
    try {
      request = JSON.parse(message) as typeof request;
    } catch {
      return; // not ours
    }
    if (typeof request.id !== 'string') return;
    const reason = typeof request.reason === 'string' ? request.reason : 'stopped by its submitter';
    if (running.has(request.id)) {
      // Only a job its submitter may stop has a controller; another (a cancel() that came too late) runs to its end, its outcome ignored.
      running.get(request.id)?.abort(reason);
      return;
    }
    const now = Date.now();
    for (const [id, { at }] of early) if (now - at > EARLY_STOP_MS) early.delete(id);
    early.set(request.id, { reason, at: now });
  });

  let closing: Promise<void> | undefined;
  /** Set when the worker closes by force or lost Redis: its running jobs are abandoned. */
  let abandoning = false;
  let settleClosed!: (error?: RedisUnavailableError) => void;
  const closed = new Promise<void>((resolve, reject) => {
    settleClosed = (error) => (error === undefined ? resolve() : reject(error));
  });
  closed.catch(() => undefined); // for whoever awaits it
  const close = (force = false, error?: RedisUnavailableError): Promise<void> => {
    closing ??= (async () => {
      unwatch();
      opts.signal?.removeEventListener('abort', onAbort);
      // Abandoned tasks are told to stop (the cooperative ones do); their jobs are not failed.
      if (force || error !== undefined) {
        abandoning = true;
        for (const controller of running.values()) controller?.abort(`worker ${name} is closing`);
      }
      // Abandoning: stop requests no longer matter. Draining: the running jobs can still be told
      // to stop (their submitters may abort meanwhile), so the subscriber stays until they end.
      if (abandoning) subscriber.disconnect();
      try {
        // With Redis gone, BullMQ's close would wait for it: let it go without waiting.
        if (error === undefined) await bull.close(force).catch(() => undefined);
        else void bull.close(true).catch(() => undefined);
        // Forced, or Redis is gone: running tasks are abandoned (their outcomes could not be
        // stored; their jobs go to another worker once their locks expire), so not waited for.
        await executor.shutdown({ cancelFutures: true, wait: !abandoning });
      } finally {
        subscriber.disconnect();
      }
    })().finally(() => settleClosed(error));
    return closing;
  };
  const onAbort = (): void => void close();
  const unwatch = watchConnection(
    subscriber,
    timeout,
    `worker ${name} of queue ${queue}`,
    (error) => void close(true, error),
    '. The worker stopped; its running jobs go to other workers once their locks expire',
  );

  try {
    // A Redis that never answers ends the start with the watch's error, not a wait for ever.
    await Promise.race([Promise.all([subscriber.subscribe(cancelChannel(prefix, queue)), bull.waitUntilReady()]), closed]);
    if (closing !== undefined) await closed;
  } catch (error) {
    await close(true);
    throw error;
  }
  void bull.run().catch(() => undefined);
  if (opts.signal?.aborted) void close();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    worker: bull,
    executor,
    queueName: queue,
    name,
    closed,
    close: (closeOptions) => close(closeOptions?.force === true),
    [Symbol.asyncDispose]: () => close(),
  };
}

/** How long a request to stop a job this worker does not run (yet) is kept. */
const EARLY_STOP_MS = 60_000;

/**
 * Registers a TypeScript loader (tsx, an optional peer dependency) before the first `.ts` task
 * module is imported, as the thread and process pools do in their workers: Node 20 cannot
 * import TypeScript by itself.
 */
const prepareImport = typeScriptImports({
  exists: (url) => existsSync(fileURLToPath(url)),
  register: async () => ((await import('tsx/esm/api')) as { register: () => unknown }).register(),
  nodeStripsTypes: () => Boolean((process.features as { typescript?: unknown }).typescript),
});

/** The allowed module URLs (a trailing `/` allows a directory). */
function allowList(allow: WorkerOptions['allowModules']): string[] | undefined {
  if (allow === undefined) return undefined;
  if (!Array.isArray(allow)) throw new TypeError('startWorker(): allowModules must be an array of module URLs');
  return allow.map((entry: unknown) => {
    if (entry instanceof URL) return entry.href;
    if (typeof entry !== 'string' || entry === '') throw new TypeError(`startWorker(): allowModules entries must be URLs, got ${JSON.stringify(entry)}`);
    try {
      return new URL(entry).href;
    } catch {
      return pathToFileURL(entry).href; // a path: a trailing / is kept
    }
  });
}
