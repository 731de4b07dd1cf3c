/**
 * One row of the distributed bench in this process: open its session (worker processes connected),
 * warm up, then one timed run, with the CPU time that the run cost this process, the worker
 * processes and redis-server. On this 2-core VM other load changes the wall time a lot; the CPU
 * time per task moves much less, so it is reported next to the rate.
 */
import { processCpuSeconds } from '../lib/cpu.js';
import { collectGarbage } from '../lib/gc.js';
import { WARMUP_BUDGET_MS } from '../lib/throughput.js';
import { distributedCases } from './cases.js';
import { REDIS_PID_ENV, workSum } from './common.js';

/** CPU time of one run, in µs per task. */
export interface CpuPerTask {
  /** The bench process (the executor, or BullMQ's Queue and QueueEvents). */
  readonly bench: number;
  /** All worker processes together. */
  readonly workers: number;
  readonly redis: number;
}

/** What a timed run measured. */
export interface DistributedSample {
  /** Tasks per second, from the first submit to the last result. */
  readonly rate: number;
  readonly cpu: CpuPerTask;
}

/** How {@link measureCase} runs a row. */
export interface MeasureOptions {
  /** Tasks per timed run. */
  readonly tasks: number;
  /** Tasks per warm-up run. */
  readonly warmupTasks: number;
  /** Warm-up runs, at least; smaller ones repeat until they did `tasks` in all or took WARMUP_BUDGET_MS. */
  readonly warmup: number;
}

/** utime + stime of a whole process (all threads) in µs; NaN when it cannot be read. */
const processCpuMicros = (pid: number): number => (processCpuSeconds(pid) ?? Number.NaN) * 1e6;

function ownCpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs row `index` of {@link distributedCases}: warm-up, then one timed run. */
export async function measureCase(index: number, options: MeasureOptions): Promise<DistributedSample> {
  const item = distributedCases[index];
  if (item === undefined) throw new Error(`distributed: no case ${index}`);
  const redisPid = Number(process.env[REDIS_PID_ENV]);
  const check = (sum: number, tasks: number): void => {
    if (sum !== workSum(tasks)) throw new Error(`${item.name}: results sum to ${sum}, expected ${workSum(tasks)}: the case did not run every task`);
  };
  const session = await item.open();
  try {
    const extend = options.warmupTasks < options.tasks;
    let warmed = 0;
    const warmStart = performance.now();
    for (let w = 0; w < options.warmup || (extend && warmed < options.tasks && performance.now() - warmStart < WARMUP_BUDGET_MS); w++) {
      check(await session.run(options.warmupTasks), options.warmupTasks);
      warmed += options.warmupTasks;
    }
    collectGarbage();
    await settle();
    const workers = (): number => session.workerPids.reduce((sum, pid) => sum + processCpuMicros(pid), 0);
    const before = { bench: ownCpuMicros(), workers: workers(), redis: processCpuMicros(redisPid) };
    const start = performance.now();
    const sum = await session.run(options.tasks);
    const ms = performance.now() - start;
    const per = (micros: number): number => micros / options.tasks;
    const cpu = { bench: per(ownCpuMicros() - before.bench), workers: per(workers() - before.workers), redis: per(processCpuMicros(redisPid) - before.redis) };
    check(sum, options.tasks);
    return { rate: (options.tasks * 1000) / ms, cpu };
  } finally {
    await session.close();
  }
}
