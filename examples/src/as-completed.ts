/**
 * Results as they complete, with `asCompleted`.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Example with Future objects":
 *
 *     with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:
 *         futures = [executor.submit(do_something, i) for i in [5, 4, 3, 2, 1]]
 *         for future in concurrent.futures.as_completed(futures):
 *             print(future.result())  # Get results as they complete
 *     print(f"Finished in {round(finish-start, 2)} second(s)")
 *
 * Each "second" is 50 ms here. With two workers, 250 and 200 start first; 200 finishes first,
 * then 250; 150 and 100 both end at the 350 ms mark (in either order), and 50 ends last, at
 * about 400 ms. `asCompleted` yields the Future objects themselves, as in Python.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncExecutor } from '@futures/async';
import { asCompleted } from '@futures/core';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';

export interface AsCompletedResult {
  /** The results, in the order their futures completed. */
  readonly completionOrder: string[];
  /** Seconds taken (for display). */
  readonly seconds: number;
}

export async function main(log: Log = console.log): Promise<AsCompletedResult> {
  async function doSomething(ms: number): Promise<string> {
    log(`Sleeping for ${ms} ms...`);
    await sleep(ms);
    return `Done Sleeping...${ms}`;
  }

  const start = performance.now();
  const completionOrder: string[] = [];
  {
    await using executor = new AsyncExecutor({ maxWorkers: 2 });
    const futures = [250, 200, 150, 100, 50].map((ms) => executor.submit(doSomething, ms));
    for await (const future of asCompleted(futures)) {
      const result = await future.result(); // done already: answers at once
      log(result);
      completionOrder.push(result);
    }
  }
  const seconds = secondsSince(start);
  log(`Finished in ${seconds} second(s)`);
  return { completionOrder, seconds };
}

if (isEntryPoint(import.meta.url)) await main();
