/**
 * Scenario (a): submit N trivial tasks at once, then await all of them, with the same
 * concurrency bound for every library.
 */
import { AsyncExecutor } from '@futures/async';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { submitAllThenAll, submitAllThenEach, sumBelow } from '../lib/drivers.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { CONCURRENCY, QUICK_TASKS, TASKS, trivialTask } from './common.js';

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const submitAllCases: readonly ThroughputCase[] = [
  {
    name: 'p-limit: limit(task, i) ×N, Promise.all',
    baseline: true,
    run: (n) => {
      const limit = pLimit(CONCURRENCY);
      return submitAllThenAll(n, (i) => limit(trivialTask, i));
    },
  },
  {
    name: 'p-queue: queue.add(() => task(i)) ×N, Promise.all',
    run: (n) => {
      const queue = new PQueue({ concurrency: CONCURRENCY });
      return submitAllThenAll(n, (i) => queue.add(() => trivialTask(i)));
    },
  },
  {
    name: 'AsyncExecutor: submit(task, i) ×N, Promise.all',
    run: async (n) => {
      const executor = new AsyncExecutor({ maxWorkers: CONCURRENCY });
      const sum = await submitAllThenAll(n, (i) => executor.submit(trivialTask, i));
      await executor.shutdown();
      return sum;
    },
  },
  {
    name: 'p-limit: limit(task, i) ×N, await each in order',
    run: (n) => {
      const limit = pLimit(CONCURRENCY);
      return submitAllThenEach(n, (i) => limit(trivialTask, i));
    },
  },
  {
    name: 'AsyncExecutor: submit(task, i) ×N, await each in order',
    run: async (n) => {
      const executor = new AsyncExecutor({ maxWorkers: CONCURRENCY });
      const sum = await submitAllThenEach(n, (i) => executor.submit(trivialTask, i));
      await executor.shutdown();
      return sum;
    },
  },
];

export const submitAllScenario: Scenario = throughputScenario({
  id: 'async.submit-all',
  title: 'submit all, then await all',
  heading: (tasks) => `(a) submit all, then await all: ${tasks.toLocaleString('en-US')} trivial async tasks, concurrency ${CONCURRENCY}`,
  source: { module: new URL(import.meta.url), exportName: 'submitAllCases' },
  tasks: { full: TASKS, quick: QUICK_TASKS },
  expectedChecksum: sumBelow,
  notes: [
    'Each run creates a fresh limiter / queue / executor. "await each in order" awaits the promises or futures',
    "one after another (Python's [f.result() for f in futures]) instead of Promise.all.",
  ],
});
