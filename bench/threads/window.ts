/**
 * Scenario 2: at most WINDOW tasks in flight. Every library runs the same sliding-window driver
 * (lib/drivers.ts) over a lazy input.
 */
import { range, slidingWindow } from '../lib/drivers.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { QUICK_TASKS, TASKS, WINDOW, incSum } from './common.js';
import { WORKERS, libraries, openPool, piscina, type PoolLibrary } from './pools.js';
import { formatInteger } from '../lib/format.js';

function windowCase(library: PoolLibrary): ThroughputCase {
  return {
    name: `${library.name}: window of ${formatInteger(WINDOW)}, ${library.call}`,
    baseline: library === piscina,
    open: () => openPool(library, (pool, n) => slidingWindow(range(n), WINDOW, (i) => pool.inc(i))),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const windowCases: readonly ThroughputCase[] = libraries.map(windowCase);

export const windowScenario: Scenario = throughputScenario({
  id: 'threads.window',
  title: `${WINDOW} in flight`,
  heading: (tasks) => `(2) ${formatInteger(WINDOW)} in flight: ${formatInteger(tasks)} trivial tasks from a lazy input; ${WORKERS} worker threads per pool`,
  source: { module: new URL(import.meta.url), exportName: 'windowCases' },
  tasks: { full: TASKS / 2, quick: QUICK_TASKS / 2 },
  expectedChecksum: incSum,
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 3,
  processBudgetMs: 1500,
  warmupTasks: (tasks) => tasks / 10,
  notes: [
    `Sliding window: at most ${formatInteger(WINDOW)} tasks submitted and not yet consumed; when full, await the oldest (results in input order).`,
    'Same driver code for every library (lib/drivers.ts); one started pool per process, as in (1).',
  ],
});
