/**
 * A counter shared by 100 tasks in separate processes, under a lock.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Multiprocessing Module: Process Synchronization":
 *
 *     counter = multiprocessing.Value('i', 0)
 *     counter_lock = multiprocessing.Lock()
 *
 *     def increment_counter(counter, counter_lock):
 *         with counter_lock:
 *             counter.value += 1
 *
 *     processes = [multiprocessing.Process(target=increment_counter, args=(counter, counter_lock)) for _ in range(100)]
 *     ... start all, join all ...
 *     print(f"Counter value: {counter.value}")
 *
 * Processes share no memory. Python's `Value` and `Lock` are shared memory and a semaphore of
 * the OS; here, as with Python's `multiprocessing.Manager()`, the counter and the lock live in
 * the parent and the children reach them over their IPC channel: `Manager` from
 * @futures/child-process. `with counter_lock:` is `counterLock.withLock(...)`; reading and
 * writing the value are awaited round trips, which is exactly why the lock is needed.
 */
import { defineTasks } from '@futures/core';
import { Manager, ProcessPoolExecutor } from '@futures/child-process';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/processes.js')>(new URL('./tasks/processes.js', import.meta.url));

export interface ProcessSharedCounterResult {
  readonly counter: number;
  /** How many different processes incremented it. */
  readonly processes: number;
}

export async function main(log: Log = console.log): Promise<ProcessSharedCounterResult> {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 4 });
  using manager = new Manager();
  const counter = manager.Value(0);
  const counterLock = manager.Lock();
  const pids = await Promise.all(Array.from({ length: 100 }, () => executor.submit(tasks.incrementCounter, counter, counterLock)));
  const value = await counter.get();
  log(`Counter value: ${value}`);
  return { counter: value, processes: new Set(pids).size };
}

if (isEntryPoint(import.meta.url)) await main();
