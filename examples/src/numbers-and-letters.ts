/**
 * Two tasks started together, then joined.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Threading Module: Creating Threads":
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
 * `start()` is `submit`, `join()` is awaiting the future. Neither function ever waits, so on the
 * event loop each runs to its end before the other starts: the numbers, then the letters (the
 * Python threads usually print the same, since each is done before the next is scheduled).
 * See `count-up-down.ts` for tasks that wait, and so interleave, and
 * `numbers-and-letters-threads.ts` for the two functions in two worker threads.
 */
import { AsyncExecutor } from '@futures/async';
import { isEntryPoint, type Log } from './lib/support.ts';

export interface NumbersAndLettersResult {
  /** Every line printed, in the order printed. */
  readonly lines: string[];
}

export async function main(log: Log = console.log): Promise<NumbersAndLettersResult> {
  const lines: string[] = [];
  const print = (line: string): void => {
    lines.push(line);
    log(line);
  };

  function printNumbers(): void {
    for (let i = 1; i <= 5; i++) print(`Number: ${i}`);
  }

  function printLetters(): void {
    for (const letter of 'abcde') print(`Letter: ${letter}`);
  }

  await using executor = new AsyncExecutor({ maxWorkers: 2 });
  const task1 = executor.submit(printNumbers);
  const task2 = executor.submit(printLetters);
  await task1;
  await task2;
  print('All threads are done.');
  return { lines };
}

if (isEntryPoint(import.meta.url)) await main();
