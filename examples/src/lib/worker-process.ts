/**
 * One worker process of `distributed-thumbnails.ts` (started by `worker-processes.ts`):
 * `startWorker` of @futures/bullmq on the queue its arguments name, running its jobs on this
 * process's event loop, until its parent sends `'close'` or goes away (or SIGINT/SIGTERM). It
 * then stops taking jobs, finishes the running ones and exits (1 if Redis was lost).
 *
 * Arguments: <redis url> <queue> <allowed module directory> <concurrency>.
 */
import { startWorker, type DistributedWorker } from '@futures/bullmq';

const [connection, queue, allow, concurrency] = process.argv.slice(2);
let worker: DistributedWorker;
try {
  worker = await startWorker({ connection, queue, allowModules: allow === undefined ? [] : [allow], concurrency: Number(concurrency) });
} catch (error) {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

const close = (): void => void worker.close();
process.on('message', (message) => {
  if (message === 'close') close();
});
process.on('disconnect', close); // the parent died: finish what runs, then go
process.on('SIGINT', close); // Ctrl-C in the terminal reaches the whole process group
process.on('SIGTERM', close);
worker.closed.then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`worker process ${process.pid}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
process.send?.({ ready: process.pid });
