/**
 * Scenario 3: ThreadPoolExecutor's own `map` over N items, with `chunksize` 1 and 256, each
 * with and without `buffersize`, next to piscina's `run` ×N (scenario 1's baseline).
 */
import { range, submitAllThenAll } from '../lib/drivers.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type CaseSession, type ThroughputCase } from '../lib/throughput.js';
import { QUICK_TASKS, TASKS, WINDOW, incSum } from './common.js';
import type { ThreadPoolExecutor } from '@futures/worker-threads';
import { WORKERS, createExecutor, openPool, piscina, tasks } from './pools.js';
import { formatInteger } from '../lib/format.js';

/** A session on one started ThreadPoolExecutor. */
async function openExecutor(run: (executor: ThreadPoolExecutor, tasks: number) => Promise<number>): Promise<CaseSession> {
  const executor = createExecutor();
  await Promise.all(Array.from({ length: 4 * WORKERS }, (_, i) => executor.submit(tasks.inc, i)));
  return { run: (n) => run(executor, n), close: () => executor.shutdown() };
}

function mapCase(chunksize: number, buffersize: number | undefined): ThroughputCase {
  const options = buffersize === undefined ? { chunksize } : { chunksize, buffersize };
  return {
    name: `ThreadPoolExecutor: map(tasks.inc, items, { chunksize: ${chunksize}${buffersize === undefined ? '' : `, buffersize: ${formatInteger(buffersize)}`} })`,
    open: () =>
      openExecutor(async (executor, n) => {
        let sum = 0;
        for await (const value of executor.map(tasks.inc, range(n), options)) sum += value;
        return sum;
      }),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const mapCases: readonly ThroughputCase[] = [
  {
    name: 'piscina: run(x) ×N, Promise.all',
    baseline: true,
    open: () => openPool(piscina, (pool, n) => submitAllThenAll(n, (i) => pool.inc(i))),
  },
  mapCase(1, undefined),
  mapCase(256, undefined),
  mapCase(1, WINDOW),
  mapCase(256, WINDOW),
];

export const mapScenario: Scenario = throughputScenario({
  id: 'threads.map',
  title: 'ThreadPoolExecutor.map with chunksize and buffersize',
  heading: (tasks) => `(3) map over ${formatInteger(tasks)} items (x => x + 1), chunksize 1 and 256, with and without buffersize; ${WORKERS} worker threads`,
  source: { module: new URL(import.meta.url), exportName: 'mapCases' },
  tasks: { full: TASKS, quick: QUICK_TASKS },
  expectedChecksum: incSum,
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 2,
  processBudgetMs: 1500,
  warmupTasks: (tasks) => tasks / 10,
  notes: [
    'map reads range(N) (a lazy generator); without buffersize it submits every item before the first result.',
    "The piscina row is scenario (1)'s baseline, measured again here for the ratios; ThreadPoolExecutor's submit ×N is in (1).",
  ],
});
