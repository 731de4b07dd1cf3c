/**
 * The five Node process pools of the comparison behind one small interface, so that every
 * scenario runs the same driver code on each of them and only the calls into the library differ:
 * ProcessPoolExecutor (`child_process.fork`) and ClusterExecutor (`cluster.fork`), both on the
 * engine of @futures/child-process, workerpool (`workerType: 'process'`), tinypool
 * (`runtime: 'child_process'`) and poolifier (`FixedClusterPool`). Python's ProcessPoolExecutor
 * is in python.ts.
 *
 * Every pool gets {@link WORKERS} children started with `execArgv: []`: the bench runs under the
 * tsx loader (and `--expose-gc`), which `child_process.fork` and `cluster.fork` pass on to the
 * children by default (`process.execArgv`; our executors leave out the tsx loader but keep the
 * other flags); a plain `node app.js` program has none of them. The worker files are plain
 * JavaScript (workers/), so no child needs a TypeScript loader.
 */
import { defineTasks } from '@futures/core';
import { ProcessPoolExecutor } from '@futures/child-process';
import { ClusterExecutor } from '@futures/cluster';
import { FixedClusterPool } from 'poolifier';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { fileURLToPath } from 'node:url';
import { range } from '../lib/drivers.js';
import type { CaseSession, RunResult } from '../lib/throughput.js';
import { WORKERS } from './common.js';

/** Children start without the parent's node flags (see the module comment). */
const execArgv: string[] = [];

const workerFile = (name: string): string => fileURLToPath(new URL(`./workers/${name}`, import.meta.url));

/** Task references of workers/tasks.mjs, for ProcessPoolExecutor and ClusterExecutor. */
export const tasks = defineTasks<typeof import('./workers/tasks.mjs')>(new URL('./workers/tasks.mjs', import.meta.url));

/** One running pool: the calls the scenarios make, and how to close it. */
export interface Pool {
  /** The trivial task `x => x + 1`. */
  inc(x: number): PromiseLike<number>;
  /** CPU-bound work (lib/workers/functions.mjs `spin`). */
  spin(iterations: number): PromiseLike<number>;
  /** Shuts the pool down and waits until its children are gone. */
  close(): Promise<void>;
}

/** A library of the comparison: its label and how to start a pool of {@link WORKERS} children. */
export interface PoolLibrary {
  /** `ProcessPoolExecutor`, `workerpool`, ... */
  readonly name: string;
  /** The calls used, for row labels: e.g. `run(x)`. */
  readonly call: string;
  /** True for the @futures executors (their rows are the ones with targets). */
  readonly ours: boolean;
  create(): Pool;
}

/** ProcessPoolExecutor or ClusterExecutor: the same engine and options. */
export type OurExecutor = ProcessPoolExecutor | ClusterExecutor;

function ourLibrary(name: string, create: () => OurExecutor): PoolLibrary {
  return {
    name,
    call: 'submit(tasks.inc, x)',
    ours: true,
    create() {
      const executor = create();
      return {
        inc: (x) => executor.submit(tasks.inc, x),
        spin: (iterations) => executor.submit(tasks.spin, iterations),
        close: () => executor.shutdown(),
      };
    },
  };
}

/** A ProcessPoolExecutor of {@link WORKERS} children; children start when tasks arrive. */
export function createProcessPool(): ProcessPoolExecutor {
  return new ProcessPoolExecutor({ maxWorkers: WORKERS, execArgv });
}

/** The map scenario's work: the sum of `executor.map(tasks.inc, range(n), { chunksize })`, read as it comes. */
export async function mapIncSum(executor: OurExecutor, n: number, chunksize: number): Promise<number> {
  let sum = 0;
  for await (const value of executor.map(tasks.inc, range(n), { chunksize })) sum += value;
  return sum;
}

/** A ClusterExecutor of {@link WORKERS} cluster workers; they start when tasks arrive. */
export function createClusterPool(): ClusterExecutor {
  return new ClusterExecutor({ maxWorkers: WORKERS, execArgv });
}

export const processPool: PoolLibrary = ourLibrary('ProcessPoolExecutor', createProcessPool);
export const clusterPool: PoolLibrary = ourLibrary('ClusterExecutor', createClusterPool);

export const workerpoolLibrary: PoolLibrary = {
  name: 'workerpool',
  call: "exec('inc', [x])",
  ours: false,
  create() {
    const pool = workerpool.pool(workerFile('workerpool.mjs'), { minWorkers: WORKERS, maxWorkers: WORKERS, workerType: 'process', forkOpts: { execArgv } });
    return {
      inc: (x) => pool.exec('inc', [x]) as PromiseLike<number>,
      spin: (iterations) => pool.exec('spin', [iterations]) as PromiseLike<number>,
      close: () => pool.terminate() as Promise<void>,
    };
  },
};

export const tinypool: PoolLibrary = {
  name: 'tinypool',
  call: 'run(x)',
  ours: false,
  create() {
    const pool = new Tinypool({ filename: workerFile('tinypool.mjs'), runtime: 'child_process', minThreads: WORKERS, maxThreads: WORKERS, execArgv });
    return {
      inc: (x) => pool.run(x) as Promise<number>,
      spin: (iterations) => pool.run(iterations, { name: 'spin' }) as Promise<number>,
      close: () => pool.destroy(),
    };
  },
};

export const poolifier: PoolLibrary = {
  name: 'poolifier',
  call: 'FixedClusterPool execute(x)',
  ours: false,
  create() {
    const pool = new FixedClusterPool<unknown, unknown>(WORKERS, workerFile('poolifier.cjs'), { settings: { execArgv } });
    return {
      inc: (x) => pool.execute(x) as Promise<number>,
      spin: (iterations) => pool.execute(iterations, 'spin') as Promise<number>,
      close: () => pool.destroy(),
    };
  },
};

/** Every library, ours first. */
export const libraries: readonly PoolLibrary[] = [processPool, clusterPool, workerpoolLibrary, tinypool, poolifier];

/** The Node peers (the "best Node process pool" is the fastest of these in each table). */
export const peers: readonly PoolLibrary[] = libraries.filter((library) => !library.ours);

/** Tasks of about 20 ms each in the warm-up of a session: long enough that every child gets one. */
const WARM_SPIN = 8_000_000;

/**
 * Runs tasks until each of the pool's children answered: a few ~20 ms tasks per child (so that a
 * pool that starts children on demand, as ours do, starts all of them, and one child cannot take
 * all the warm-up tasks), then some trivial ones.
 */
export async function warmUp(pool: Pool): Promise<void> {
  await Promise.all(Array.from({ length: 2 * WORKERS }, () => pool.spin(WARM_SPIN)));
  await Promise.all(Array.from({ length: 4 * WORKERS }, (_, i) => pool.inc(i)));
}

/**
 * A session on a started pool of `library`: its runs share the pool (and its warmed-up
 * children); starting and closing it are not timed. The start-up scenario times those.
 */
export async function openPool(library: PoolLibrary, run: (pool: Pool, tasks: number) => Promise<RunResult>): Promise<CaseSession> {
  const pool = library.create();
  await warmUp(pool);
  return { run: (tasks) => run(pool, tasks), close: () => pool.close() };
}

/** A session on one started executor of ours, for the cases that use more than submit (map). */
export async function openExecutor(create: () => OurExecutor, run: (executor: OurExecutor, tasks: number) => Promise<RunResult>): Promise<CaseSession> {
  const executor = create();
  const pool: Pool = { inc: (x) => executor.submit(tasks.inc, x), spin: (n) => executor.submit(tasks.spin, n), close: () => executor.shutdown() };
  await warmUp(pool);
  if (executor.workerCount !== WORKERS) throw new Error(`${executor.constructor.name}: ${executor.workerCount} children after the warm-up, expected ${WORKERS}`);
  return { run: (n) => run(executor, n), close: () => executor.shutdown() };
}
