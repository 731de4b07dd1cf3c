import { afterAll, beforeAll, it } from 'vitest';
import { executorTestSuite } from '@futures/test-suite';
import type { DistributedWorker } from '../src/index.ts';
import { executorOn, freshQueue, workerOn } from './helpers.ts';

// The conformance suite, on a real Redis, with one worker (in this process, tasks on its
// AsyncExecutor: running tasks stop cooperatively) serving every test's executor. Each
// executor opens its own connections and reads BullMQ's events: waits are scaled by 2.
const queue = freshQueue('suite');
let worker: DistributedWorker;
beforeAll(async () => {
  worker = await workerOn(queue, { concurrency: 8 });
});
afterAll(() => worker.close());

executorTestSuite(it, (options) => executorOn(queue, options), { timeScale: 2 });
