/**
 * Scenario 6: cold start. Each cycle creates a pool of 2 threads, awaits one trivial task and
 * shuts the pool down (waiting until its threads are gone).
 */
import type { Scenario } from '../lib/scenario.js';
import { startStopCase, startStopRunSettings } from '../lib/start-stop.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { WORKERS, libraries, piscina, type PoolLibrary } from './pools.js';

const coldCase = (library: PoolLibrary): ThroughputCase => startStopCase(library, library === piscina);

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const coldCases: readonly ThroughputCase[] = libraries.map(coldCase);

export const coldScenario: Scenario = throughputScenario({
  id: 'threads.cold',
  title: 'cold: pool start + first task + shutdown',
  heading: (cycles) => `(6) cold start: create a pool (${WORKERS} threads), run one trivial task, shut it down; ${cycles} cycles per run`,
  source: { module: new URL(import.meta.url), exportName: 'coldCases' },
  ...startStopRunSettings,
  notes: [
    'Every pool starts both of its threads when it is created (the same settings as in (1)–(5)). ms/cycle is what a',
    'short script pays for having a pool at all; the warm-up cycles come first, so module loading in the main thread is not counted.',
  ],
});
