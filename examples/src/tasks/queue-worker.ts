/**
 * The tasks of `queue-worker.ts`: a producer and workers in worker threads that share a `Queue`
 * of work items, ended by a sentinel (`null`, Python's `None`).
 */
import type { Queue, Semaphore } from '@futures/worker-threads';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * How long a worker waits for the next item. Python's `q.get()` waits forever; a bound turns a
 * missing sentinel (a bug) into a `QueueEmpty` error instead of a thread that never ends.
 */
const GET_TIMEOUT_MS = 10_000;

/** Blocks this thread for `ms` (the "work" of one item). */
function sleepSync(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/**
 * Python's `worker(q)`: gets items until the sentinel, prints each, marks it done. Returns the
 * items it processed.
 */
export function worker(q: Queue<number | null>, out: Queue<string>): number[] {
  const processed: number[] = [];
  for (;;) {
    const item = q.getSync({ timeout: GET_TIMEOUT_MS }); // blocks this thread until an item comes
    if (item === null) break;
    out.putSync(`Processing: ${item}`);
    processed.push(item);
    q.taskDone();
  }
  return processed;
}

/**
 * One of several workers: says it is ready (`ready.release()`), then gets items until a
 * sentinel, "working" `workMs` on each. Returns the items it processed.
 */
export function namedWorker(name: string, q: Queue<number | null>, out: Queue<string>, ready: Semaphore, workMs: number): number[] {
  ready.release();
  const processed: number[] = [];
  for (let item = q.getSync({ timeout: GET_TIMEOUT_MS }); item !== null; item = q.getSync({ timeout: GET_TIMEOUT_MS })) {
    out.putSync(`${name} processing: ${item}`);
    processed.push(item);
    sleepSync(workMs);
  }
  out.putSync(`${name} got the sentinel and stops`);
  return processed;
}

/**
 * The producer: waits until `workers` workers are ready (so that they all take part), puts the
 * items 0 to count - 1, then one sentinel per worker. Returns how many items it put.
 */
export function producer(q: Queue<number | null>, out: Queue<string>, ready: Semaphore, count: number, workers: number): number {
  for (let i = 0; i < workers; i++) {
    if (!ready.acquireSync({ timeout: 10_000 })) throw new Error('a worker never started');
  }
  for (let item = 0; item < count; item++) q.putSync(item);
  for (let i = 0; i < workers; i++) q.putSync(null);
  out.putSync(`Producer put ${count} items and ${workers} sentinels`);
  return count;
}
