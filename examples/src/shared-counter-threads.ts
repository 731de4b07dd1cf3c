/**
 * A counter in shared memory, incremented by 100 tasks in worker threads under a `Lock`.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Threading Module: Thread Synchronization", with real threads:
 *
 *     counter = 0
 *     counter_lock = threading.Lock()
 *
 *     def increment_counter():
 *         global counter
 *         with counter_lock:
 *             counter += 1
 *
 *     threads = [threading.Thread(target=increment_counter) for _ in range(100)]
 *     ... start all, join all ...
 *     print(f"Counter value: {counter}")
 *
 * Worker threads share no variables, so the counter is a `Value('i', 0)` (an int32 in a
 * `SharedArrayBuffer`) and the lock a `Lock` in shared memory: both are passed to every task and
 * every thread sees the same ones. The 100 tasks run on a `ThreadPoolExecutor` of 4 threads;
 * `lock.holdSync()` is `with counter_lock:` (it blocks the worker thread, never the main one).
 *
 * Then two variations: `counter.add(1)` is one atomic step (`Atomics.add`) and needs no lock;
 * and what the lock prevents: two threads that both read the counter before either writes it
 * lose an update. That timing is forced with two `Event`s, so it happens every time. (The
 * event-loop version of this example, without threads, is `shared-counter.ts`.)
 */
import { defineTasks } from '@futures/core';
import { Event, Lock, ThreadPoolExecutor, Value } from '@futures/worker-threads';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/counter.js')>(new URL('./tasks/counter.js', import.meta.url));

export interface SharedCounterThreadsResult {
  /** 100 tasks doing `with counter_lock: counter += 1` in threads: 100. */
  readonly locked: number;
  /** 100 tasks doing `counter.add(1)` without a lock: 100. */
  readonly atomic: number;
  /** Two tasks doing read, then write, without the lock, both reading first: 1 (one update lost). */
  readonly unlocked: number;
  /** The lock is free again at the end. */
  readonly lockFreeAtEnd: boolean;
}

export async function main(log: Log = console.log): Promise<SharedCounterThreadsResult> {
  await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });

  // The tutorial's example: 100 tasks, a shared counter, a shared lock.
  const counter = new Value('i', 0, { lock: false }); // Python's module-level `counter = 0`
  const counterLock = new Lock(); // threading.Lock()
  const threads = Array.from({ length: 100 }, () => executor.submit(tasks.incrementCounter, counter, counterLock));
  await Promise.all(threads); // start all, join all
  const locked = counter.value;
  log(`Counter value: ${locked}`);

  // One atomic step needs no lock.
  const atomicCounter = new Value('i', 0, { lock: false });
  await Promise.all(Array.from({ length: 100 }, () => executor.submit(tasks.incrementAtomically, atomicCounter)));
  const atomic = atomicCounter.value;
  log(`Counter value with the atomic counter.add(1) and no lock: ${atomic}`);

  // Without the lock: two threads read 0, both write 1.
  const racy = new Value('i', 0, { lock: false });
  const firstRead = new Event();
  const secondRead = new Event();
  await Promise.all([
    executor.submit(tasks.incrementUnlocked, racy, firstRead, secondRead),
    executor.submit(tasks.incrementUnlocked, racy, secondRead, firstRead),
  ]);
  const unlocked = racy.value;
  log(`Counter value after 2 increments without the lock, both threads reading before either writes: ${unlocked}`);

  return { locked, atomic, unlocked, lockFreeAtEnd: !counterLock.locked() };
}

if (isEntryPoint(import.meta.url)) await main();
