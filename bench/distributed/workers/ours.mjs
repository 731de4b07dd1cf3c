// A worker process of the @futures/bullmq rows: `startWorker` on the queue, tasks on its default
// AsyncExecutor (this event loop). Started by distributed/cases.ts with
// `node ours.mjs <redis url> <queue> <concurrency>` and an IPC channel; see workers/control.mjs.
/* global process */
import { startWorker } from '@futures/bullmq';
import { serve } from './control.mjs';

const [connection = '', queue = '', concurrency = ''] = process.argv.slice(2);
const worker = await startWorker({ connection, queue, concurrency: Number(concurrency) });
serve(() => worker.close());
