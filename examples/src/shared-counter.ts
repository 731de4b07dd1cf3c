/**
 * A counter shared by 100 tasks.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Threading Module: Thread Synchronization":
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
 * On the event loop only one task runs at a time and it is never interrupted between two
 * statements, so `counter += 1` needs no lock: 100 tasks give 100. A race comes back as soon as
 * a task *awaits* between reading and writing the counter (part 2 loses updates). Part 3 makes
 * that read-await-write a critical section with an executor of one slot, which runs its tasks
 * one at a time: the role `with counter_lock:` plays for threads. (The threaded version, with
 * worker threads, a shared `Value` and a shared `Lock`, is `shared-counter-threads.ts`.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncExecutor } from '@futures/async';
import { wait } from '@futures/core';
import { isEntryPoint, type Log } from './lib/support.ts';

export interface SharedCounterResult {
  /** 100 tasks doing `counter += 1`: 100. */
  readonly plain: number;
  /** 100 tasks doing read, await, write without a lock: updates are lost (less than 100). */
  readonly racy: number;
  /** The same read, await, write inside a one-slot executor: 100. */
  readonly locked: number;
}

/** Runs `task` 100 times at once on a fresh executor and waits for all (the threads' start + join). */
async function runHundred(task: () => unknown): Promise<void> {
  await using executor = new AsyncExecutor({ maxWorkers: 100 });
  const futures = Array.from({ length: 100 }, () => executor.submit(task));
  await wait(futures);
  for (const future of futures) await future; // surface any error
}

export async function main(log: Log = console.log): Promise<SharedCounterResult> {
  // 1. The tutorial's example: no lock is needed on the event loop.
  let counter = 0;
  function incrementCounter(): void {
    counter += 1;
  }
  await runHundred(incrementCounter);
  const plain = counter;
  log(`Counter value: ${plain}`);

  // 2. Awaiting between the read and the write lets the other tasks in: lost updates.
  counter = 0;
  async function incrementSlowly(): Promise<void> {
    const seen = counter;
    await sleep(1); // e.g. a round trip to a database
    counter = seen + 1;
  }
  await runHundred(incrementSlowly);
  const racy = counter;
  log(`Counter value with an await inside and no lock: ${racy}`);

  // 3. A one-slot executor as the lock: one critical section at a time.
  counter = 0;
  {
    await using counterLock = new AsyncExecutor({ maxWorkers: 1 });
    await runHundred(() => counterLock.submit(incrementSlowly));
  }
  const locked = counter;
  log(`Counter value with a lock: ${locked}`);

  return { plain, racy, locked };
}

if (isEntryPoint(import.meta.url)) await main();
