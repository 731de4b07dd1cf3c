/**
 * Squares with `ProcessPoolExecutor.map`.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Concurrent.futures Module: ProcessPoolExecutor":
 *
 *     with concurrent.futures.ProcessPoolExecutor() as executor:
 *         results = executor.map(square, range(1, 6))
 *     for result in results:
 *         print(f"Squared value: {result}")
 *
 * `with` is `await using`; `map` yields in input order, whichever child finishes first.
 * `chunksize` (here 2) sends items to a child in batches, as in Python.
 */
import { defineTasks } from '@futures/core';
import { ProcessPoolExecutor } from '@futures/child-process';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/processes.js')>(new URL('./tasks/processes.js', import.meta.url));

export async function main(log: Log = console.log): Promise<{ readonly results: number[] }> {
  const results: number[] = [];
  {
    await using executor = new ProcessPoolExecutor();
    for await (const result of executor.map(tasks.square, [1, 2, 3, 4, 5], { chunksize: 2 })) results.push(result);
  }
  for (const result of results) log(`Squared value: ${result}`);
  return { results };
}

if (isEntryPoint(import.meta.url)) await main();
