/**
 * Scenario 2: `map` over N trivial tasks with `chunksize` 1 and 1,000: ProcessPoolExecutor's and
 * ClusterExecutor's `executor.map(tasks.inc, range(N), { chunksize })` against Python's
 * `executor.map(inc, range(N), chunksize=…)`. The Node peers have no `map`; their best
 * submit-all row is in (1).
 */
import { formatInteger } from '../lib/format.js';
import { versusCounterpart } from '../lib/ratios.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { CHUNKSIZES, QUICK_TASKS, TASKS, WORKERS, incSum } from './common.js';
import { createClusterPool, createProcessPool, mapIncSum, openExecutor, type OurExecutor } from './pools.js';
import { pythonCase, pythonDescription } from './python.js';

const pythonName = (chunksize: number): string => `Python ProcessPoolExecutor: map(inc, items, chunksize=${formatInteger(chunksize)})`;

function mapCase(name: string, create: () => OurExecutor, chunksize: number): ThroughputCase {
  return {
    name: `${name}: map(tasks.inc, items, { chunksize: ${formatInteger(chunksize)} })`,
    open: () => openExecutor(create, (executor, n) => mapIncSum(executor, n, chunksize)),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const mapCases: readonly ThroughputCase[] = CHUNKSIZES.flatMap((chunksize) => [
  pythonCase(pythonName(chunksize), { scenario: 'map', workers: WORKERS, chunksize }),
  mapCase('ProcessPoolExecutor', createProcessPool, chunksize),
  mapCase('ClusterExecutor', createClusterPool, chunksize),
]);

export const mapScenario: Scenario = throughputScenario({
  id: 'processes.map',
  title: 'map with chunksize 1 and 1,000',
  heading: (tasks) => `(2) map over ${formatInteger(tasks)} items (x => x + 1), chunksize ${CHUNKSIZES.map(formatInteger).join(' and ')}; ${WORKERS} child processes`,
  source: { module: new URL(import.meta.url), exportName: 'mapCases' },
  // Half of (1)'s tasks: Python's chunksize-1 map does about 3,000 tasks/s here (17 s a run).
  tasks: { full: TASKS / 2, quick: QUICK_TASKS },
  expectedChecksum: incSum,
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 3,
  processBudgetMs: 2500,
  warmupTasks: (tasks) => tasks / 10,
  compareTo: [
    versusCounterpart('vs Python, same chunksize', (name) => {
      const chunksize = /chunksize[:=] ?([\d,]+)/.exec(name)?.[1];
      return chunksize === undefined ? undefined : pythonName(Number(chunksize.replaceAll(',', '')));
    }),
  ],
  notes: [
    'map reads range(N) (a lazy generator; Python: range(N)) and yields results in input order; the sum is the checksum.',
    'One started executor per process, as in (1); the Node peers have no map (their submit-all rows are in (1)).',
    `Python: ${pythonDescription()}; its rows time themselves (gc.collect(), then perf_counter around the run).`,
  ],
});
