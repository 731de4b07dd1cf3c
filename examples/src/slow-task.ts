/**
 * Slow task + result.
 *
 * Ports "Concurrent Programming in Python: Futures, Threads, and Processes"
 * (seed 000_a15cb93248c75fbe), section "Futures":
 *
 *     def perform_task(message):
 *         time.sleep(3)                      # simulating a time-consuming task
 *         return f"Task completed: {message}"
 *
 *     with concurrent.futures.ThreadPoolExecutor() as executor:
 *         future = executor.submit(perform_task, "Hello, World!")
 *         print(future.result())
 *
 * The 3 s sleep is 300 ms here. `ThreadPoolExecutor` becomes `AsyncExecutor` (the work only
 * waits), `with` becomes `await using`, and `future.result()` is awaited.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncExecutor } from '@futures/async';
import { isEntryPoint, type Log } from './lib/support.ts';

/** Simulates a time-consuming task. */
export async function performTask(message: string): Promise<string> {
  await sleep(300);
  return `Task completed: ${message}`;
}

export interface SlowTaskResult {
  /** What `future.result()` gave. */
  readonly result: string;
}

export async function main(log: Log = console.log): Promise<SlowTaskResult> {
  await using executor = new AsyncExecutor();
  const future = executor.submit(performTask, 'Hello, World!');
  const result = await future.result();
  log(result);
  return { result };
}

if (isEntryPoint(import.meta.url)) await main();
