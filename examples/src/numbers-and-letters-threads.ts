/**
 * Two tasks printing numbers and letters in two worker threads, at the same time.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Threading Module: Creating Threads", with real threads:
 *
 *     def print_numbers():
 *         for i in range(1, 6): print(f"Number: {i}")
 *     def print_letters():
 *         for letter in 'abcde': print(f"Letter: {letter}")
 *
 *     thread1 = threading.Thread(target=print_numbers)
 *     thread2 = threading.Thread(target=print_letters)
 *     thread1.start(); thread2.start()
 *     thread1.join(); thread2.join()
 *     print("All threads are done.")
 *
 * `submit` on a `ThreadPoolExecutor` of two threads is `start()`, awaiting the future is
 * `join()`. The tasks print from their threads through a shared `Queue` (`lib/threads.ts`).
 * To show that they really run at once, each task sets an `Event` when it starts and waits for
 * the other's before printing: two tasks run one after the other could never both see the other
 * running. A pause of 20 ms between lines (not in the tutorial) lets their lines interleave. Each
 * task returns the `threadId` it ran in: two worker threads, neither the main thread. (The
 * event-loop version, `numbers-and-letters.ts`, runs the two one after the other.)
 */
import { threadId } from 'node:worker_threads';
import { defineTasks } from '@futures/core';
import { Event, ThreadPoolExecutor } from '@futures/worker-threads';
import { isEntryPoint, type Log } from './lib/support.ts';
import { threadConsole } from './lib/threads.ts';

const tasks = defineTasks<typeof import('./tasks/numbers-and-letters.js')>(new URL('./tasks/numbers-and-letters.js', import.meta.url));

export interface NumbersAndLettersThreadsResult {
  /** Every line printed, in the order printed. */
  readonly lines: string[];
  /** The main thread's `threadId` (0). */
  readonly mainThread: number;
  /** The worker threads `print_numbers` and `print_letters` ran in. */
  readonly numbersThread: number;
  readonly lettersThread: number;
  /** Each task saw the other one running while it ran. */
  readonly overlapped: boolean;
}

export async function main(log: Log = console.log): Promise<NumbersAndLettersThreadsResult> {
  const output = threadConsole(log);
  const numbersStarted = new Event();
  const lettersStarted = new Event();
  const pauseMs = 20;
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
    const thread1 = executor.submit(tasks.printNumbers, output.out, numbersStarted, lettersStarted, pauseMs);
    const thread2 = executor.submit(tasks.printLetters, output.out, lettersStarted, numbersStarted, pauseMs);
    const numbers = await thread1;
    const letters = await thread2;
    await output.print('All threads are done.');
    await output.print(`print_numbers ran in worker thread ${numbers.threadId}, print_letters in worker thread ${letters.threadId}; this is thread ${threadId}`);
    const lines = await output.close();
    return {
      lines,
      mainThread: threadId,
      numbersThread: numbers.threadId,
      lettersThread: letters.threadId,
      overlapped: numbers.sawOtherRunning && letters.sawOtherRunning,
    };
  }
}

if (isEntryPoint(import.meta.url)) await main();
