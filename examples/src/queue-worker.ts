/**
 * A worker thread consuming a shared `Queue` until a sentinel; then a producer and three
 * workers, all in threads.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Threading Module: Thread Communication":
 *
 *     def worker(q):
 *         while True:
 *             item = q.get()
 *             if item is None:
 *                 break
 *             print(f"Processing: {item}")
 *             q.task_done()
 *
 *     work_queue = queue.Queue()
 *     for i in range(10):
 *         work_queue.put(i)
 *
 *     worker_thread = threading.Thread(target=worker, args=(work_queue,))
 *     worker_thread.start()
 *
 *     work_queue.join()
 *     work_queue.put(None)
 *     worker_thread.join()
 *
 * The `Queue` of `@futures/worker-threads` lives in shared memory: the main thread `put`s (an
 * async call, it never blocks the event loop), the task in the worker thread `getSync`s (it
 * blocks that thread until an item comes). Like Python's `queue.Queue` it counts unfinished
 * items: the worker calls `q.taskDone()` and `workQueue.join()` waits for them all. The worker
 * prints through a second queue (`lib/threads.ts`).
 *
 * Part 2, after the tutorial's prose ("threads can communicate using ... Queue"): a producer
 * thread and three worker threads. The workers release a `Semaphore` once running; the producer
 * acquires it three times, so it starts only when every worker waits, then puts 12 items and one
 * sentinel per worker. Each item goes to exactly one worker, and each worker gets its items in
 * queue order.
 */
import { defineTasks } from '@futures/core';
import { Queue, Semaphore, ThreadPoolExecutor } from '@futures/worker-threads';
import { isEntryPoint, type Log } from './lib/support.ts';
import { threadConsole } from './lib/threads.ts';

const tasks = defineTasks<typeof import('./tasks/queue-worker.js')>(new URL('./tasks/queue-worker.js', import.meta.url));

export interface QueueWorkerResult {
  /** The items the tutorial's worker processed, in order. */
  readonly processed: number[];
  /** The items each of the three workers processed (part 2), in the order each processed them. */
  readonly perWorker: number[][];
  /** What the producer reported: the items it put. */
  readonly produced: number;
  /** Every line printed, in order. */
  readonly lines: string[];
}

export async function main(log: Log = console.log): Promise<QueueWorkerResult> {
  const output = threadConsole(log);

  // The tutorial's example.
  let processed: number[];
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
    const workQueue = new Queue<number | null>();
    for (let i = 0; i < 10; i++) await workQueue.put(i);
    const workerThread = executor.submit(tasks.worker, workQueue, output.out);
    // work_queue.join() (bounded: Python waits forever)
    if (!(await workQueue.join({ timeout: 10_000 }))) throw new Error('the worker did not finish the items');
    await output.print('work_queue.join() returned: every item is done');
    await workQueue.put(null);
    processed = await workerThread; // worker_thread.join()
  }

  // A producer thread and three worker threads.
  const workerNames = ['Worker 1', 'Worker 2', 'Worker 3'];
  let perWorker: number[][];
  let produced: number;
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });
    const workQueue = new Queue<number | null>();
    const ready = new Semaphore(0);
    const workers = workerNames.map((name) => executor.submit(tasks.namedWorker, name, workQueue, output.out, ready, 10));
    const producing = executor.submit(tasks.producer, workQueue, output.out, ready, 12, workers.length);
    perWorker = await Promise.all(workers);
    produced = await producing;
  }
  for (const [i, items] of perWorker.entries()) await output.print(`${workerNames[i]} processed ${JSON.stringify(items)}`);

  const lines = await output.close();
  return { processed, perWorker, produced, lines };
}

if (isEntryPoint(import.meta.url)) await main();
