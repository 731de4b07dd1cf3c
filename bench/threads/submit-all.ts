/**
 * Scenario 1 (deep queue): submit N trivial tasks (`x => x + 1`) at once, then await all of them
 * with `Promise.all`. Every library gets a fresh pool of 2 threads per run.
 */
import { submitAllThenAll } from '../lib/drivers.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { QUICK_TASKS, TASKS, incSum } from './common.js';
import { WORKERS, libraries, openPool, piscina, type PoolLibrary } from './pools.js';
import { formatInteger } from '../lib/format.js';

function submitAll(library: PoolLibrary): ThroughputCase {
  return {
    name: `${library.name}: ${library.call} ×N, Promise.all`,
    baseline: library === piscina,
    open: () => openPool(library, (pool, n) => submitAllThenAll(n, (i) => pool.inc(i))),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const submitAllCases: readonly ThroughputCase[] = libraries.map(submitAll);

export const submitAllScenario: Scenario = throughputScenario({
  id: 'threads.submit-all',
  title: 'deep queue: submit all, then await all',
  heading: (tasks) => `(1) deep queue: ${formatInteger(tasks)} trivial tasks (x => x + 1) submitted at once, then Promise.all; ${WORKERS} worker threads per pool`,
  source: { module: new URL(import.meta.url), exportName: 'submitAllCases' },
  tasks: { full: TASKS, quick: QUICK_TASKS },
  expectedChecksum: incSum,
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 3,
  processBudgetMs: 2500,
  warmupTasks: (tasks) => tasks / 50,
  notes: [
    'Each process starts one pool (2 threads, started with the pool; workers in plain JavaScript, execArgv []) and waits',
    'until both threads answered; the warm-up and timed runs then use it. Pool start-up and shutdown are timed in (6).',
  ],
});
