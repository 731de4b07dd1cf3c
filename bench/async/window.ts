/**
 * Scenario (b): at most WINDOW tasks outstanding. Every library runs the same sliding-window
 * driver (lib/drivers.ts); AsyncExecutor also runs its built-in `map` with `buffersize`.
 */
import { AsyncExecutor } from '@futures/async';
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { range, slidingWindow, sumBelow } from '../lib/drivers.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { CONCURRENCY, QUICK_TASKS, TASKS, WINDOW, trivialTask } from './common.js';

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const windowCases: readonly ThroughputCase[] = [
  {
    name: `p-limit: sliding window of ${WINDOW} promises`,
    baseline: true,
    run: (n) => {
      const limit = pLimit(CONCURRENCY);
      return slidingWindow(range(n), WINDOW, (i) => limit(trivialTask, i));
    },
  },
  {
    name: `p-queue: sliding window of ${WINDOW} promises`,
    run: (n) => {
      const queue = new PQueue({ concurrency: CONCURRENCY });
      return slidingWindow(range(n), WINDOW, (i) => queue.add(() => trivialTask(i)));
    },
  },
  {
    name: `AsyncExecutor: map(task, items, { buffersize: ${WINDOW} })`,
    run: async (n) => {
      const executor = new AsyncExecutor({ maxWorkers: CONCURRENCY });
      let sum = 0;
      for await (const value of executor.map(trivialTask, range(n), { buffersize: WINDOW })) sum += value;
      await executor.shutdown();
      return sum;
    },
  },
  {
    name: `AsyncExecutor: sliding window of ${WINDOW} futures`,
    run: async (n) => {
      const executor = new AsyncExecutor({ maxWorkers: CONCURRENCY });
      const sum = await slidingWindow(range(n), WINDOW, (i) => executor.submit(trivialTask, i));
      await executor.shutdown();
      return sum;
    },
  },
];

export const windowScenario: Scenario = throughputScenario({
  id: 'async.window',
  title: `${WINDOW} in flight`,
  heading: (tasks) => `(b) ${WINDOW.toLocaleString('en-US')} in flight: ${tasks.toLocaleString('en-US')} trivial async tasks from a lazy input, concurrency ${CONCURRENCY}`,
  source: { module: new URL(import.meta.url), exportName: 'windowCases' },
  tasks: { full: TASKS, quick: QUICK_TASKS },
  expectedChecksum: sumBelow,
  notes: [
    `Sliding window: at most ${WINDOW} tasks submitted and not yet consumed; when full, await the oldest (results in input order).`,
    `Same driver code for every library (lib/drivers.ts); map(…, { buffersize }) is AsyncExecutor's built-in equivalent.`,
  ],
});
