/** The cold-start case every pool bench shares: create a pool, run one trivial task, shut it down. */
import type { ThroughputCase, ThroughputScenarioOptions } from './throughput.js';

/** A pool library as the cold-start case uses it (threads/pools.ts and processes/pools.ts both fit). */
export interface StartStopLibrary {
  /** `ThreadPoolExecutor`, `piscina`, ... */
  readonly name: string;
  /** The call used, for the row label: e.g. `run(x)`. */
  readonly call: string;
  create(): { inc(x: number): PromiseLike<number>; close(): Promise<void> };
}

/** `cycles` times: create a pool, await one `inc`, shut the pool down (waiting until its workers are gone). */
export function startStopCase(library: StartStopLibrary, baseline = false): ThroughputCase {
  return {
    name: `${library.name}: create, ${library.call}, shut down`,
    ...(baseline ? { baseline } : {}),
    run: async (cycles) => {
      let sum = 0;
      for (let c = 0; c < cycles; c++) {
        const pool = library.create();
        sum += await pool.inc(c);
        await pool.close();
      }
      return sum;
    },
  };
}

/** How the start-stop scenarios (threads.cold, processes.startup) run: 5 cycles a run, 3 rounds of 2 runs per process. */
export const startStopRunSettings = {
  tasks: { full: 5, quick: 2 },
  ownSize: true,
  expectedChecksum: (cycles: number): number => (cycles * (cycles + 1)) / 2,
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 2,
  warmupTasks: (): number => 1,
  units: { items: 'cycles', rate: 'cycles/s (median)', per: { header: 'ms/cycle', scale: 1e3, digits: 1 } },
} satisfies Partial<ThroughputScenarioOptions>;
