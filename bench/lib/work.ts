/**
 * The work of the pool benches (threads, processes): the trivial task and the CPU-bound task,
 * in plain JavaScript (workers/functions.mjs) so that every pool's workers and the serial
 * baselines run the very same code, and the numbers the scenarios size and check it with.
 */
import { sumBelow } from './drivers.js';
import type { ThroughputScenarioOptions } from './throughput.js';
import { spin } from './workers/functions.mjs';

export { inc } from './workers/functions.mjs';
export { spin };

/**
 * xorshift rounds per CPU-bound task: 5 ms on the bench machine (1.92 ns per round in Node 20, measured
 * by the serial rows), the task size issue 3 names; the serial rows' ms/task say how long here.
 */
export const SPIN_ITERATIONS = 2_600_000;

/** The checksum of `inc` over `0 … n - 1`: `1 + 2 + … + n`. */
export function incSum(n: number): number {
  return sumBelow(n + 1);
}

let spun: number | undefined;

/** What `spin(SPIN_ITERATIONS)` returns (computed once, on first use: about 5 ms). */
export function spinResult(): number {
  spun ??= spin(SPIN_ITERATIONS);
  return spun;
}

/**
 * How the CPU-bound scenarios (threads.cpu, processes.cpu) run: 200 tasks of SPIN_ITERATIONS,
 * each checked against the serial result, 3 rounds of 2 runs per process.
 */
export const cpuRunSettings = {
  tasks: { full: 200, quick: 50 },
  ownSize: true,
  expectedChecksum: (n: number): number => n * spinResult(),
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 2,
  processBudgetMs: 1500,
  warmupTasks: (tasks: number): number => tasks / 10,
  units: { items: 'tasks', rate: 'tasks/s (median)', per: { header: 'ms/task', scale: 1e3, digits: 2 }, runTime: true },
} satisfies Partial<ThroughputScenarioOptions>;
