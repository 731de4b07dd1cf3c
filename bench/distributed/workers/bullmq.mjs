// A worker process of the "BullMQ direct" rows: a plain BullMQ `Worker` whose processor calls
// the same function as the @futures/bullmq rows' task. Started by distributed/cases.ts with
// `node bullmq.mjs <redis url> <queue> <concurrency>` and an IPC channel; see workers/control.mjs.
/* global process, console, URL */
import { Worker } from 'bullmq';
import { serve } from './control.mjs';
import { work } from './tasks.mjs';

const [url = '', queue = '', concurrency = ''] = process.argv.slice(2);
const { hostname: host, port } = new URL(url);
const worker = new Worker(queue, async (job) => work(job.data.n), {
  connection: { host, port: Number(port), maxRetriesPerRequest: null },
  concurrency: Number(concurrency),
});
worker.on('error', (error) => console.error(`BullMQ worker ${process.pid}:`, error));
await worker.waitUntilReady();
serve(() => worker.close());
