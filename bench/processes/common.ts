/** Settings shared by the process-pool benches. */
export { incSum } from '../lib/work.js';

/**
 * Children per pool: this machine has 2 cores. With the parent, 3 processes share 2 cores: the
 * parent's cost per task counts.
 */
export const WORKERS = 2;

/** Trivial tasks per timed run in the throughput scenarios (submit all, map). */
export const TASKS = 100_000;

/** With --quick. */
export const QUICK_TASKS = 10_000;

/** The `chunksize`s of the map scenario. */
export const CHUNKSIZES: readonly number[] = [1, 1000];

/**
 * xorshift rounds of Python's `spin` (bench/processes/pool.py): 5 ms in CPython 3.11 here (0.28 µs per round),
 * as the JavaScript `spin` with SPIN_ITERATIONS (lib/work.ts) in Node; each serial row's ms/task
 * says how long exactly. The two functions are the same, so a Python result is checked with
 * the JavaScript `spin` of the same size.
 */
export const PYTHON_SPIN_ITERATIONS = 18_000;
