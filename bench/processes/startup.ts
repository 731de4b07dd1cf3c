/**
 * Scenario 4: start-up. Each cycle creates a pool of 2 children, awaits one trivial task and shuts
 * the pool down (waiting until its children are gone); Python: `ProcessPoolExecutor(max_workers=2)`,
 * `submit(inc, c).result()`, `shutdown(wait=True)`.
 */
import { versusBest } from '../lib/ratios.js';
import type { Scenario } from '../lib/scenario.js';
import { startStopCase, startStopRunSettings } from '../lib/start-stop.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { WORKERS } from './common.js';
import { createProcessPool, libraries, peers, tasks, type PoolLibrary } from './pools.js';
import { pythonCase, pythonDescription } from './python.js';

const startupCase = (library: PoolLibrary): ThroughputCase => startStopCase(library);

/**
 * Ours start children when tasks arrive: one task starts one child. This row makes the pool
 * start both, as the peers and Python do, by submitting two tasks at once (the checksum counts the first).
 */
const bothChildren: ThroughputCase = {
  name: 'ProcessPoolExecutor: create, submit(tasks.inc, x) ×2 at once (2 children), shut down',
  run: async (cycles) => {
    let sum = 0;
    for (let c = 0; c < cycles; c++) {
      const executor = createProcessPool();
      const [first, second] = await Promise.all([executor.submit(tasks.inc, c), executor.submit(tasks.inc, c)]);
      if (first !== second) throw new Error(`inc(${c}) returned ${first} and ${second}`);
      if (executor.workerCount !== WORKERS) throw new Error(`${executor.workerCount} children for 2 tasks submitted at once, expected ${WORKERS}`);
      sum += first;
      await executor.shutdown();
    }
    return sum;
  },
};

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const startupCases: readonly ThroughputCase[] = [
  ...libraries.map(startupCase).slice(0, 1),
  bothChildren,
  ...libraries.map(startupCase).slice(1),
  pythonCase('Python ProcessPoolExecutor: create, submit(inc, x).result(), shutdown(wait=True)', { scenario: 'startup', workers: WORKERS }, { baseline: true }),
];

export const startupScenario: Scenario = throughputScenario({
  id: 'processes.startup',
  title: 'start-up: pool start + first task + shutdown',
  heading: (cycles) => `(4) start-up: create a pool (${WORKERS} children), run one trivial task, shut it down; ${cycles} cycles per run`,
  source: { module: new URL(import.meta.url), exportName: 'startupCases' },
  ...startStopRunSettings,
  compareTo: [versusBest('best Node peer', peers.map((p) => p.name))],
  notes: [
    'workerpool (minWorkers 2), tinypool (minThreads 2) and poolifier (fixed) start both children with the pool; Python 3.11',
    "('fork') starts both on the first submit; ProcessPoolExecutor and ClusterExecutor start a child per task that needs one,",
    'so one task starts one child (the "×2 at once" row starts both). The warm-up cycles come first (module loading not counted).',
    `Python: ${pythonDescription()}; its rows time themselves.`,
  ],
});
