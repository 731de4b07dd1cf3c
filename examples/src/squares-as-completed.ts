/**
 * Squares with `submit` and `asCompleted`.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Concurrent.futures Module: Future Objects":
 *
 *     with concurrent.futures.ThreadPoolExecutor() as executor:
 *         futures = [executor.submit(square, i) for i in range(1, 6)]
 *
 *     for future in concurrent.futures.as_completed(futures):
 *         print(f"Squared value: {future.result()}")
 *
 * The futures are read after the executor has shut down, so all are done and `asCompleted`
 * yields them at once. Its order is completion order, which is not defined in general (the
 * tests compare the values as a set).
 */
import { AsyncExecutor } from '@futures/async';
import { asCompleted, defineTasks } from '@futures/core';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));

export interface SquaresAsCompletedResult {
  /** The squares, in the order `asCompleted` yielded their futures. */
  readonly squares: number[];
}

export async function main(log: Log = console.log): Promise<SquaresAsCompletedResult> {
  let futures;
  {
    await using executor = new AsyncExecutor();
    futures = [1, 2, 3, 4, 5].map((i) => executor.submit(tasks.square, i));
  }

  const squares: number[] = [];
  for await (const future of asCompleted(futures)) {
    const value = await future.result();
    log(`Squared value: ${value}`);
    squares.push(value);
  }
  return { squares };
}

if (isEntryPoint(import.meta.url)) await main();
