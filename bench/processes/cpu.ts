/**
 * Scenario 3: CPU-bound speedup. N tasks of fixed work (about 5 ms each) run one after another in
 * the main process, then on each pool of 2 children (all submitted at once). Python runs its own
 * `spin` (the same xorshift32 loop, with fewer rounds for about the same time per task) serially
 * and on its ProcessPoolExecutor; each pool's speedup is over its own language's serial row.
 */
import { submitAllThenAll } from '../lib/drivers.js';
import { versusBest, versusCounterpart } from '../lib/ratios.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { SPIN_ITERATIONS, cpuRunSettings, spin, spinResult } from '../lib/work.js';
import { PYTHON_SPIN_ITERATIONS, WORKERS } from './common.js';
import { libraries, openPool, peers, type PoolLibrary } from './pools.js';
import { pythonCase, pythonDescription, type ChecksumMap } from './python.js';

/** What Python's spin returns (the same function, PYTHON_SPIN_ITERATIONS rounds). */
const pythonSpinResult = spin(PYTHON_SPIN_ITERATIONS);

/** Python's checksum, if it is the right one for its work, as the scenario's checksum (n × spin(SPIN_ITERATIONS)). */
const fromPython: ChecksumMap = (checksum, n) => (checksum === n * pythonSpinResult ? n * spinResult() : checksum);

const SERIAL = 'serial: spin(work) in the main process';
const PYTHON_SERIAL = 'Python serial: spin(work) in the main process';

function poolCase(library: PoolLibrary): ThroughputCase {
  return {
    name: `${library.name}: spin(work) ×N, Promise.all`,
    open: () => openPool(library, (pool, n) => submitAllThenAll(n, () => pool.spin(SPIN_ITERATIONS))),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const cpuCases: readonly ThroughputCase[] = [
  {
    name: SERIAL,
    run: async (n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += spin(SPIN_ITERATIONS);
      return sum;
    },
  },
  ...libraries.map(poolCase),
  pythonCase(PYTHON_SERIAL, { scenario: 'serial', iterations: PYTHON_SPIN_ITERATIONS }, { checksum: fromPython }),
  pythonCase('Python ProcessPoolExecutor: submit(spin, work) ×N, wait', { scenario: 'cpu', workers: WORKERS, iterations: PYTHON_SPIN_ITERATIONS }, { checksum: fromPython }),
];

export const cpuScenario: Scenario = throughputScenario({
  id: 'processes.cpu',
  title: 'CPU-bound speedup over serial',
  heading: (tasks) =>
    `(3) CPU-bound: ${tasks} tasks of about 5 ms (xorshift32: ${(SPIN_ITERATIONS / 1e6).toFixed(1)}M rounds in JavaScript, ` +
    `${(PYTHON_SPIN_ITERATIONS / 1e3).toFixed(0)}k in Python), serial vs ${WORKERS} child processes (2 cores)`,
  source: { module: new URL(import.meta.url), exportName: 'cpuCases' },
  ...cpuRunSettings,
  compareTo: [
    versusCounterpart('speedup vs own serial', (name) => (name.startsWith('Python') ? PYTHON_SERIAL : SERIAL)),
    versusBest('best Node peer', peers.map((p) => p.name), ['serial', 'Python']),
  ],
  notes: [
    '"speedup vs own serial": over running the same tasks one after another in the main process of the same language (ideal: 2.00× on 2 cores).',
    'Python\'s tasks are not the same size as the JavaScript ones (CPython is ~70× slower per round), so compare speedups, not tasks/s.',
    `All tasks submitted at once, then Promise.all / wait, on a started pool (one per process, as in (1)). Python: ${pythonDescription()}.`,
  ],
});
