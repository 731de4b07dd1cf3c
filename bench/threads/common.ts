/** Settings shared by the thread-pool benches. */
export { incSum } from '../lib/work.js';

/** Trivial tasks per timed run in the throughput scenarios. */
export const TASKS = 100_000;

/** With --quick. */
export const QUICK_TASKS = 20_000;

/** Tasks submitted and not yet consumed in the windowed scenario. */
export const WINDOW = 1000;

