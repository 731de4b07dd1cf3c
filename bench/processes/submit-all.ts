/**
 * Scenario 1 (deep queue): submit N trivial tasks (`x => x + 1`) at once, then await all of them
 * with `Promise.all` (Python: `executor.submit(inc, i)` ×N, then `wait(futures)`). One started
 * pool of 2 children per process.
 */
import { submitAllThenAll } from '../lib/drivers.js';
import { formatInteger } from '../lib/format.js';
import { versusBest } from '../lib/ratios.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { QUICK_TASKS, TASKS, WORKERS, incSum } from './common.js';
import { libraries, openPool, peers, type PoolLibrary } from './pools.js';
import { pythonCase, pythonDescription } from './python.js';

function submitAll(library: PoolLibrary): ThroughputCase {
  return {
    name: `${library.name}: ${library.call} ×N, Promise.all`,
    open: () => openPool(library, (pool, n) => submitAllThenAll(n, (i) => pool.inc(i))),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const submitAllCases: readonly ThroughputCase[] = [
  ...libraries.map(submitAll),
  pythonCase('Python ProcessPoolExecutor: submit(inc, x) ×N, wait', { scenario: 'submit', workers: WORKERS }, { baseline: true }),
];

export const submitAllScenario: Scenario = throughputScenario({
  id: 'processes.submit-all',
  title: 'deep queue: submit all, then await all',
  heading: (tasks) => `(1) deep queue: ${formatInteger(tasks)} trivial tasks (x => x + 1) submitted at once, then Promise.all / wait; ${WORKERS} child processes per pool`,
  source: { module: new URL(import.meta.url), exportName: 'submitAllCases' },
  tasks: { full: TASKS, quick: QUICK_TASKS },
  expectedChecksum: incSum,
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 3,
  processBudgetMs: 2500,
  warmupTasks: (tasks) => tasks / 50,
  compareTo: [versusBest('best Node peer', peers.map((p) => p.name))],
  notes: [
    'Each process starts one pool (2 children; workers in plain JavaScript, execArgv []) and waits until both children',
    'answered; the warm-up and timed runs then use it. Pool start-up and shutdown are timed in (4).',
    `Python: ${pythonDescription()}; its rows time themselves (gc.collect(), then perf_counter around the run).`,
  ],
});
