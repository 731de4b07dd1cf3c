/** Settings of the distributed bench (@futures/bullmq against BullMQ used directly). */
import { sumBelow } from '../lib/drivers.js';

/** Worker processes per row: 1, 2 and 4 (on 2 cores, with Redis and the bench process). */
export const WORKER_COUNTS: readonly number[] = [1, 2, 4];

/** Jobs each worker process runs at once, on both sides (`startWorker`'s and BullMQ's `concurrency`). */
export const CONCURRENCY = 8;

/** Tasks per timed run, normally and with --quick. */
export const TASKS = 4000;
export const QUICK_TASKS = 1000;

/** @futures/bullmq's default `maxWorkers`: how many of its tasks the executor keeps in Redis at once. */
export const DEFAULT_MAX_WORKERS = 256;

/** The `chunksize` of the chunked @futures/bullmq row (`map`: each chunk of calls is one job). */
export const MAP_CHUNK = 50;

/** Jobs per `Queue.addBulk` call of the BullMQ rows. */
export const CHUNK = 500;

/** `work(n)` returns `n`: a run's results sum to `0 + 1 + … + (tasks - 1)`. */
export const workSum = sumBelow;

/** The environment variable through which the scenario gives the case processes its Redis URL. */
export const REDIS_URL_ENV = 'FUTURES_BENCH_REDIS_URL';

/** … and its process id, for its CPU time. */
export const REDIS_PID_ENV = 'FUTURES_BENCH_REDIS_PID';
