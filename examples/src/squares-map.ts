/**
 * Squares with `map`.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Concurrent.futures Module: ThreadPoolExecutor":
 *
 *     def square(x):
 *         return x * x
 *
 *     with concurrent.futures.ThreadPoolExecutor() as executor:
 *         results = executor.map(square, range(1, 6))
 *
 *     for result in results:
 *         print(f"Squared value: {result}")
 *
 * `square` lives in `tasks.ts` and is named through `defineTasks`, so this very call site
 * also runs on the thread and process backends (change the one `new AsyncExecutor()` line).
 * As in Python, `map` submits every item at once, so the results are read after the executor
 * has shut down; they come in input order.
 */
import { AsyncExecutor } from '@futures/async';
import { defineTasks } from '@futures/core';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));

/** Python's `range(start, stop)`. */
function* range(start: number, stop: number): Generator<number> {
  for (let i = start; i < stop; i++) yield i;
}

export interface SquaresMapResult {
  /** The squares, in input order. */
  readonly squares: number[];
}

export async function main(log: Log = console.log): Promise<SquaresMapResult> {
  let results: AsyncIterable<number>;
  {
    await using executor = new AsyncExecutor();
    results = executor.map(tasks.square, range(1, 6));
  }

  const squares: number[] = [];
  for await (const result of results) {
    log(`Squared value: ${result}`);
    squares.push(result);
  }
  return { squares };
}

if (isEntryPoint(import.meta.url)) await main();
