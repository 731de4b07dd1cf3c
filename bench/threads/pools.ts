/**
 * The five thread pools of the comparison behind one small interface, so that every scenario
 * runs the same driver code on each of them and only the calls into the library differ.
 *
 * Every pool gets {@link WORKERS} threads and `execArgv: []`: the bench runs under the tsx
 * loader, which worker threads would otherwise inherit (`process.execArgv`) and load at start;
 * a plain `node app.js` program has no loader either. The worker files are plain JavaScript
 * (workers/*.mjs), so no pool needs a TypeScript loader.
 */
import { defineTasks } from '@futures/core';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import { Piscina } from 'piscina';
import { FixedThreadPool } from 'poolifier';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { fileURLToPath } from 'node:url';
import type { CaseSession } from '../lib/throughput.js';

/**
 * Threads per pool: this machine has 2 cores. Every pool starts both threads with the pool
 * (piscina and tinypool `minThreads`, ThreadPoolExecutor and workerpool `minWorkers`, poolifier
 * FixedThreadPool always), so that no pool pays thread start-up in the middle of a run.
 */
export const WORKERS = 2;

/** Worker threads start without the parent's node flags (see the module comment). */
const execArgv: string[] = [];

const workerFile = (name: string): string => fileURLToPath(new URL(`./workers/${name}`, import.meta.url));

/** Task references of workers/tasks.mjs, for ThreadPoolExecutor. */
export const tasks = defineTasks<typeof import('./workers/tasks.mjs')>(new URL('./workers/tasks.mjs', import.meta.url));

/** The task that hands its buffer back by transfer (workers/transfer-tasks.mjs). */
const transferTasks = defineTasks<typeof import('./workers/transfer-tasks.mjs')>(new URL('./workers/transfer-tasks.mjs', import.meta.url));

/** One running pool: the calls the scenarios make, and how to close it. */
export interface Pool {
  /** The trivial task `x => x + 1`. */
  inc(x: number): PromiseLike<number>;
  /** CPU-bound work (workers/functions.mjs `spin`). */
  spin(iterations: number): PromiseLike<number>;
  /**
   * Sends `buffer` to a worker, which counts the trip in it and returns it: `'copy'` copies both
   * ways, `'in'` moves the buffer to the worker and copies it back, `'both'` moves it both ways.
   */
  touch(buffer: ArrayBuffer, transfer: Transfer): PromiseLike<ArrayBuffer>;
  /** Shuts the pool down and waits until its threads are gone. */
  close(): Promise<void>;
}

/** How a buffer travels: copied both ways, moved to the worker only, or moved both ways. */
export type Transfer = 'copy' | 'in' | 'both';

/** A library of the comparison: its label and how to start a pool of {@link WORKERS} threads. */
export interface PoolLibrary {
  /** `ThreadPoolExecutor`, `piscina`, ... */
  readonly name: string;
  /** The calls used, for row labels: e.g. `run(x)`. */
  readonly call: string;
  create(): Pool;
}

export const ours: PoolLibrary = {
  name: 'ThreadPoolExecutor',
  call: 'submit(tasks.inc, x)',
  create() {
    const executor = createExecutor();
    return {
      inc: (x) => executor.submit(tasks.inc, x),
      spin: (iterations) => executor.submit(tasks.spin, iterations),
      touch: (buffer, transfer) =>
        transfer === 'copy'
          ? executor.submit(tasks.touch, buffer)
          : executor.submitWith({ transfer: [buffer] }, transfer === 'both' ? transferTasks.touchTransfer : tasks.touch, buffer),
      close: () => executor.shutdown(),
    };
  },
};

/** Our executor itself, for the cases that use more than submit (map). */
export function createExecutor(): ThreadPoolExecutor {
  return new ThreadPoolExecutor({ maxWorkers: WORKERS, minWorkers: WORKERS, execArgv });
}

export const piscina: PoolLibrary = {
  name: 'piscina',
  call: 'run(x)',
  create() {
    const pool = new Piscina({ filename: workerFile('piscina.mjs'), minThreads: WORKERS, maxThreads: WORKERS, execArgv });
    return {
      inc: (x) => pool.run(x) as Promise<number>,
      spin: (iterations) => pool.run(iterations, { name: 'spin' }) as Promise<number>,
      touch: (buffer, transfer) =>
        (transfer === 'copy'
          ? pool.run(buffer, { name: 'touch' })
          : pool.run(Piscina.move(buffer), { name: transfer === 'both' ? 'touchMove' : 'touch' })) as Promise<ArrayBuffer>,
      close: () => pool.destroy(),
    };
  },
};

export const tinypool: PoolLibrary = {
  name: 'tinypool',
  call: 'run(x)',
  create() {
    const pool = new Tinypool({ filename: workerFile('tinypool.mjs'), minThreads: WORKERS, maxThreads: WORKERS, execArgv });
    return {
      inc: (x) => pool.run(x) as Promise<number>,
      spin: (iterations) => pool.run(iterations, { name: 'spin' }) as Promise<number>,
      touch: (buffer, transfer) => pool.run(buffer, { name: 'touch', ...(transfer === 'copy' ? {} : { transferList: [buffer] }) }) as Promise<ArrayBuffer>,
      close: () => pool.destroy(),
    };
  },
};

export const workerpoolLibrary: PoolLibrary = {
  name: 'workerpool',
  call: "exec('inc', [x])",
  create() {
    const pool = workerpool.pool(workerFile('workerpool.mjs'), { minWorkers: WORKERS, maxWorkers: WORKERS, workerType: 'thread', workerThreadOpts: { execArgv } });
    return {
      inc: (x) => pool.exec('inc', [x]) as PromiseLike<number>,
      spin: (iterations) => pool.exec('spin', [iterations]) as PromiseLike<number>,
      touch: (buffer, transfer) => pool.exec('touch', [buffer], transfer === 'copy' ? {} : { transfer: [buffer] }) as PromiseLike<ArrayBuffer>,
      close: () => pool.terminate() as Promise<void>,
    };
  },
};

export const poolifier: PoolLibrary = {
  name: 'poolifier',
  call: 'FixedThreadPool execute(x)',
  create() {
    const pool = new FixedThreadPool<unknown, unknown>(WORKERS, workerFile('poolifier.mjs'), { workerOptions: { execArgv } });
    return {
      inc: (x) => pool.execute(x) as Promise<number>,
      spin: (iterations) => pool.execute(iterations, 'spin') as Promise<number>,
      touch: (buffer, transfer) => pool.execute(buffer, 'touch', undefined, transfer === 'copy' ? undefined : [buffer]) as Promise<ArrayBuffer>,
      close: () => destroyPoolifier(pool),
    };
  },
};

/**
 * `pool.destroy()`, settled also when every thread has exited. poolifier 5.3.2 on node 20 now
 * and then never settles `destroy()`: after its kill message the worker ends by itself, and the
 * `worker.terminate()` that follows then waits for an 'exit' event that was already emitted (seen
 * in about 1 in 4 runs of create, execute, destroy ×8). Its threads are unref'd, so a script that
 * awaits that `destroy()` exits with code 13 (unsettled top-level await) or, if something else
 * keeps it alive, hangs. Waiting for the threads' own 'exit' events gives the time at which
 * they are gone either way.
 */
function destroyPoolifier(pool: FixedThreadPool<unknown, unknown>): Promise<void> {
  const exited = pool.workerNodes.map(
    ({ worker }) =>
      new Promise<void>((resolve) => {
        if (worker.threadId === -1) resolve();
        else worker.once('exit', () => resolve());
      }),
  );
  // A ref'd timer keeps this process alive until the threads are gone (theirs are unref'd).
  const keepAlive = setInterval(() => undefined, 1000);
  return Promise.race([pool.destroy(), Promise.all(exited).then(() => undefined)]).finally(() => clearInterval(keepAlive));
}

/** Every library, ours first. */
export const libraries: readonly PoolLibrary[] = [ours, piscina, tinypool, workerpoolLibrary, poolifier];

/**
 * A session on a started pool of `library`: its runs share the pool (and its warmed-up threads);
 * starting and closing it are not timed. Scenario (6) times those.
 */
export async function openPool(library: PoolLibrary, run: (pool: Pool, tasks: number) => Promise<number>): Promise<CaseSession> {
  const pool = library.create();
  // Wait until every thread answered once, so that no timed run waits for a thread to start.
  await Promise.all(Array.from({ length: 4 * WORKERS }, (_, i) => pool.inc(i)));
  return { run: (tasks) => run(pool, tasks), close: () => pool.close() };
}
