/**
 * The rows of the distributed bench. Every row is a session: it starts its worker processes on a
 * fresh queue of the scenario's Redis and waits until each says it is connected, then the
 * warm-up and timed runs (distributed/measure.ts) submit the same job to them:
 *
 * - **@futures/bullmq**: a `DistributedExecutor` in this process, `submit(tasks.work, i)` ×N,
 *   then `Promise.all`; each worker process runs `startWorker` (workers/ours.mjs).
 * - **BullMQ direct**: a `Queue` and a `QueueEvents` in this process; `Queue.addBulk` in chunks of
 *   {@link CHUNK} jobs `{ n: i }`, results from QueueEvents' `'completed'` events; each worker
 *   process runs a BullMQ `Worker` whose processor calls the same `work(n)` (workers/bullmq.mjs).
 *
 * Both check every result: a run resolves to the sum of its results (each job's own, by job id,
 * on the BullMQ side), which measure.ts compares with `0 + 1 + … + (tasks - 1)`. At the end
 * of a session the worker processes are closed (killed if they take longer than
 * {@link CLOSE_TIMEOUT_MS}) and Redis is emptied (FLUSHALL) for the next row.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DistributedExecutor } from '@futures/bullmq';
import { defineTasks } from '@futures/core';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { submitAllThenAll } from '../lib/drivers.js';
import { CHUNK, CONCURRENCY, DEFAULT_MAX_WORKERS, MAP_CHUNK, REDIS_URL_ENV, WORKER_COUNTS } from './common.js';

/** One row: a library (or a setting of ours) with a number of worker processes. */
export interface DistributedCase {
  readonly name: string;
  /** `bullmq`: BullMQ used directly, the rows ours are compared with. */
  readonly kind: 'ours' | 'ours-chunked' | 'bullmq';
  /** Worker processes. */
  readonly workers: number;
  open(): Promise<DistributedSession>;
}

/** A row's running set-up: its worker processes, connected, and this process's side. */
export interface DistributedSession {
  /** Runs `tasks` tasks; resolves to the sum of their results. */
  run(tasks: number): Promise<number>;
  /** The worker processes' pids (for their CPU time). */
  readonly workerPids: readonly number[];
  close(): Promise<void>;
}

/** Task references of workers/tasks.mjs: what @futures/bullmq's workers import. */
export const tasks = defineTasks<typeof import('./workers/tasks.mjs')>(new URL('./workers/tasks.mjs', import.meta.url));

/** How long worker processes may take to connect, and to close before they are killed. */
const READY_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;
/** A run that has not settled after this long fails (a lost event, a stuck worker). */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_RUN_TIMEOUT_MS ?? 120_000);
/**
 * Node flags of the worker processes: none (a deployed worker runs plain `node`), unless
 * BENCH_WORKER_EXEC_ARGV gives some, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them
 * (NODE_OPTIONS does not take --cpu-prof).
 */
const WORKER_EXEC_ARGV = (process.env.BENCH_WORKER_EXEC_ARGV ?? '').split(' ').filter(Boolean);

/** The Redis the scenario started (distributed/index.ts), as a URL. */
function redisUrl(): string {
  const url = process.env[REDIS_URL_ENV];
  if (url === undefined || url === '') throw new Error(`${REDIS_URL_ENV} is not set: run the distributed cases through run.ts --only=distributed`);
  return url;
}

/** `redis://host:port` → the ioredis / BullMQ connection options. */
function connectionOf(url: string): { host: string; port: number; maxRetriesPerRequest: null } {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port), maxRetriesPerRequest: null };
}

const plural = (n: number): string => `${n} worker process${n === 1 ? '' : 'es'}`;

/** The worker processes of one row. */
class WorkerProcesses {
  readonly #children: ChildProcess[] = [];
  readonly #exited = new Map<ChildProcess, Promise<void>>();
  /** Rejects when a worker process exits before `close()`: a run then fails instead of waiting for ever. */
  readonly died: Promise<never>;
  #closing = false;

  get pids(): number[] {
    return this.#children.map((child) => child.pid ?? -1);
  }

  private constructor(script: URL, count: number, args: readonly string[]) {
    let die!: (error: Error) => void;
    this.died = new Promise<never>((_, reject) => (die = reject));
    this.died.catch(() => undefined); // only runs that race it report it
    for (let i = 0; i < count; i++) {
      // Plain node: not the tsx loader nor --expose-gc of the bench (a deployed worker has neither).
      const child = fork(fileURLToPath(script), [...args], { execArgv: WORKER_EXEC_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      this.#children.push(child);
      this.#exited.set(
        child,
        new Promise((resolve) => {
          child.once('exit', (code, signal) => {
            if (!this.#closing) die(new Error(`worker process ${child.pid} (${fileURLToPath(script)}) exited with ${signal ?? `code ${code}`} during the run`));
            resolve();
          });
        }),
      );
    }
  }

  /** Forks `count` processes of `script` and resolves once every one reported "ready" (connected). */
  static async start(script: URL, count: number, args: readonly string[]): Promise<WorkerProcesses> {
    const workers = new WorkerProcesses(script, count, args);
    let timer: NodeJS.Timeout | undefined;
    try {
      const ready = workers.#children.map((child) => new Promise<void>((resolve) => child.once('message', () => resolve())));
      await Promise.race([
        Promise.all(ready),
        workers.died,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${plural(count)} of ${fileURLToPath(script)} not ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      await workers.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return workers;
  }

  /** Asks every process to close; kills those still running after {@link CLOSE_TIMEOUT_MS}. */
  async close(): Promise<void> {
    this.#closing = true;
    const exited = [...this.#exited.values()];
    for (const child of this.#children) if (child.connected) child.send('close', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      Promise.all(exited).then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (late) {
      for (const child of this.#children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(exited);
    }
  }
}

/** Resolves to `work`'s value, or fails when a worker process dies or the run takes over {@link RUN_TIMEOUT_MS}. */
async function guarded<T>(name: string, workers: WorkerProcesses, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      workers.died,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name}: a run took more than ${RUN_TIMEOUT_MS / 1000} s (BENCH_RUN_TIMEOUT_MS)`)), RUN_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Empties the scenario's Redis: every row starts from nothing. */
async function flushRedis(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
}

/** A queue name of its own for each session. */
const queueName = (kind: string, workers: number): string => `bench-${kind}-${workers}-${process.pid}-${randomBytes(3).toString('hex')}`;

/**
 * Opens a row's session: its worker processes, then `open(queue)` for this process's side;
 * closing it closes that side, then the workers, then empties Redis.
 */
async function session(
  kind: string,
  script: string,
  workerCount: number,
  open: (url: string, queue: string) => Promise<{ run(tasks: number): Promise<number>; close(): Promise<void> }>,
  name: string,
): Promise<DistributedSession> {
  const url = redisUrl();
  const queue = queueName(kind, workerCount);
  const workers = await WorkerProcesses.start(new URL(`./workers/${script}`, import.meta.url), workerCount, [url, queue, String(CONCURRENCY)]);
  let side: Awaited<ReturnType<typeof open>>;
  try {
    side = await open(url, queue);
  } catch (error) {
    await workers.close();
    await flushRedis(url);
    throw error;
  }
  return {
    run: (n) => guarded(name, workers, side.run(n)),
    workerPids: workers.pids,
    close: async () => {
      try {
        await side.close();
      } finally {
        await workers.close();
        await flushRedis(url);
      }
    },
  };
}

/**
 * The @futures/bullmq row with `workerCount` worker processes: `submit` ×N with the default
 * `maxWorkers`, or `map(..., { chunksize })` (each chunk one job: what to use for tasks this small).
 */
function oursCase(workerCount: number, chunksize?: number): DistributedCase {
  const label = chunksize === undefined ? `submit ×N, maxWorkers ${DEFAULT_MAX_WORKERS} (default)` : `map, chunksize ${chunksize}`;
  const name = `@futures/bullmq: ${label}; ${plural(workerCount)}`;
  return {
    name,
    kind: chunksize === undefined ? 'ours' : 'ours-chunked',
    workers: workerCount,
    open: () =>
      session(
        'ours',
        'ours.mjs',
        workerCount,
        async (url, queue) => {
          const executor = new DistributedExecutor({ connection: url, queue });
          return {
            run:
              chunksize === undefined
                ? (n) => submitAllThenAll(n, (i) => executor.submit(tasks.work, i))
                : async (n) => {
                    let sum = 0;
                    for await (const value of executor.map(tasks.work, Array.from({ length: n }, (_, i) => i), { chunksize })) sum += value;
                    return sum;
                  },
            close: () => executor.shutdown(),
          };
        },
        name,
      ),
  };
}

/** One run of the BullMQ row: what the `'completed'` listener fills in. */
interface BullRun {
  /** jobId → its result. */
  readonly results: Map<string, number>;
  readonly tasks: number;
  readonly done: () => void;
  readonly fail: (error: Error) => void;
}

/** The BullMQ row with `workerCount` worker processes. */
function bullmqCase(workerCount: number): DistributedCase {
  const name = `BullMQ direct: addBulk + QueueEvents; ${plural(workerCount)}`;
  return {
    name,
    kind: 'bullmq',
    workers: workerCount,
    open: () =>
      session(
        'bullmq',
        'bullmq.mjs',
        workerCount,
        async (url, queue) => {
          const connection = connectionOf(url);
          // Completed jobs are removed at once (their results travel in the 'completed' event).
          const producer = new Queue(queue, { connection, defaultJobOptions: { removeOnComplete: true } });
          // The queue is new: reading its event stream from the start misses nothing.
          const events = new QueueEvents(queue, { connection, lastEventId: '0-0' });
          let current: BullRun | undefined;
          events.on('completed', ({ jobId, returnvalue }) => {
            if (current === undefined) return;
            current.results.set(jobId, returnvalue as unknown as number);
            if (current.results.size === current.tasks) current.done();
          });
          events.on('failed', ({ jobId, failedReason }) => current?.fail(new Error(`${name}: job ${jobId} failed: ${failedReason}`)));
          try {
            await Promise.all([producer.waitUntilReady(), events.waitUntilReady()]);
          } catch (error) {
            await Promise.allSettled([events.close(), producer.close()]);
            throw error;
          }
          return {
            async run(n) {
              let done!: () => void;
              let fail!: (error: Error) => void;
              const finished = new Promise<void>((resolve, reject) => {
                done = resolve;
                fail = reject;
              });
              const run: BullRun = { results: new Map(), tasks: n, done, fail };
              current = run;
              const ids: string[] = [];
              try {
                for (let start = 0; start < n; start += CHUNK) {
                  const jobs = [];
                  for (let i = start; i < Math.min(n, start + CHUNK); i++) jobs.push({ name: 'work', data: { n: i } });
                  for (const job of await producer.addBulk(jobs)) ids.push(job.id as string);
                }
                await finished;
              } finally {
                current = undefined;
              }
              // Every job added has its own result (no event counted twice or from elsewhere).
              let sum = 0;
              for (const id of ids) {
                const value = run.results.get(id);
                if (typeof value !== 'number') throw new Error(`${name}: no result for job ${id}`);
                sum += value;
              }
              return sum;
            },
            close: async () => {
              await Promise.allSettled([events.close(), producer.close()]);
            },
          };
        },
        name,
      ),
  };
}

/** The rows, per worker count: BullMQ direct, then ours with the default `maxWorkers` and with all tasks at once. */
export const distributedCases: readonly DistributedCase[] = WORKER_COUNTS.flatMap((n) => [bullmqCase(n), oursCase(n), oursCase(n, MAP_CHUNK)]);
