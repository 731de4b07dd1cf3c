/**
 * Sequential vs `submit` vs `map`, timed.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Diving into the Code: ThreadPoolExecutor":
 *
 *     def do_something(seconds):
 *         print(f"Sleeping for {seconds} second(s)...")
 *         time.sleep(seconds)
 *         return f"Done Sleeping...{seconds}"
 *
 *     do_something(1); do_something(1)                      # sequential: ~2 s
 *     with ThreadPoolExecutor(max_workers=2) as executor:   # submit: ~1 s
 *         executor.submit(do_something, 1); executor.submit(do_something, 1)
 *     with ThreadPoolExecutor(max_workers=2) as executor:   # map: ~1 s
 *         for result in executor.map(do_something, [1, 1]): print(result)
 *
 * Each "second" is 100 ms here, so the three parts take about 0.2 s, 0.1 s and 0.1 s.
 * The `with` blocks become `await using` blocks: leaving one waits for the executor's tasks.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncExecutor } from '@futures/async';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';

export interface SequentialVsConcurrentResult {
  /** Seconds taken by each way (for display: they depend on the machine). */
  readonly seconds: { readonly sequential: number; readonly submit: number; readonly map: number };
  /** What the `map` part printed, in input order. */
  readonly mapResults: string[];
  /** How many times `doSomething` ran in all (2 per part). */
  readonly calls: number;
}

export async function main(log: Log = console.log): Promise<SequentialVsConcurrentResult> {
  let calls = 0;
  async function doSomething(ms: number): Promise<string> {
    calls++;
    log(`Sleeping for ${ms} ms...`);
    await sleep(ms);
    return `Done Sleeping...${ms}`;
  }

  // Sequential execution (the slow, sad way).
  let start = performance.now();
  await doSomething(100);
  await doSomething(100);
  const sequential = secondsSince(start);
  log(`Finished in ${sequential} second(s)`);

  // Concurrent execution with submit (the happy, caffeinated way!).
  start = performance.now();
  {
    await using executor = new AsyncExecutor({ maxWorkers: 2 }); // Two baristas!
    executor.submit(doSomething, 100);
    executor.submit(doSomething, 100);
  } // leaving the block shuts the executor down, waiting for both tasks
  const submit = secondsSince(start);
  log(`Finished in ${submit} second(s)`);

  // More elegant: using map.
  start = performance.now();
  const mapResults: string[] = [];
  {
    await using executor = new AsyncExecutor({ maxWorkers: 2 });
    const results = executor.map(doSomething, [100, 100]); // Serve multiple customers!
    for await (const result of results) {
      log(result);
      mapResults.push(result);
    }
  }
  const map = secondsSince(start);
  log(`Finished in ${map} second(s)`);

  return { seconds: { sequential, submit, map }, mapResults, calls };
}

if (isEntryPoint(import.meta.url)) await main();
