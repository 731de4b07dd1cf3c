/**
 * Scenario 4: CPU-bound speedup. TASKS_CPU tasks of fixed work (about 5 ms each here) run one
 * after another in the main thread, then on each pool of 2 threads (all submitted at once).
 */
import type { Scenario } from '../lib/scenario.js';
import { submitAllThenAll } from '../lib/drivers.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { SPIN_ITERATIONS, cpuRunSettings, spin } from '../lib/work.js';
import { WORKERS, libraries, openPool, type PoolLibrary } from './pools.js';

function poolCase(library: PoolLibrary): ThroughputCase {
  return {
    name: `${library.name}: spin(work) ×N, Promise.all`,
    open: () => openPool(library, (pool, n) => submitAllThenAll(n, () => pool.spin(SPIN_ITERATIONS))),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const cpuCases: readonly ThroughputCase[] = [
  {
    name: 'serial: spin(work) in the main thread',
    baseline: true,
    run: async (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += spin(SPIN_ITERATIONS);
      return sum;
    },
  },
  ...libraries.map(poolCase),
];

export const cpuScenario: Scenario = throughputScenario({
  id: 'threads.cpu',
  title: 'CPU-bound speedup over serial',
  heading: (tasks) => `(4) CPU-bound: ${tasks} tasks of ${(SPIN_ITERATIONS / 1e6).toFixed(1)}M xorshift rounds (about 5 ms each), serial vs ${WORKERS} worker threads (2 cores)`,
  source: { module: new URL(import.meta.url), exportName: 'cpuCases' },
  ...cpuRunSettings,
  compareTo: ['piscina'],
  notes: [
    '"vs serial" is the speedup over running the same tasks one after another in the main thread (the ideal is 2.00× on 2 cores).',
    'All tasks submitted at once, then Promise.all, on a started pool (one per process, as in (1)).',
  ],
});
