/**
 * The work of the pool benches (threads, processes): the trivial task and the CPU-bound task,
 * in plain JavaScript (workers/functions.mjs) so that every pool's workers and the serial
 * baselines run the very same code, and the numbers the scenarios size and check it with.
 */
import { sumBelow } from './drivers.js';

export { inc, spin } from './workers/functions.mjs';

/** xorshift rounds per CPU-bound task: about 5 ms on the bench machine (2.6 ns per round); the serial rows' ms/task say how long here. */
export const SPIN_ITERATIONS = 2_000_000;

/** The checksum of `inc` over `0 … n - 1`: `1 + 2 + … + n`. */
export function incSum(n: number): number {
  return sumBelow(n + 1);
}
