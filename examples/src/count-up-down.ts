/**
 * Two counters running at the same time.
 *
 * Ports "Concurrent Programming in Python: Futures, Threads, and Processes"
 * (seed 000_a15cb93248c75fbe), section "Threads":
 *
 *     def count_up():
 *         for i in range(5):
 *             print(f"Counting up: {i}"); time.sleep(1)
 *     def count_down():
 *         for i in range(5, -1, -1):
 *             print(f"Counting down: {i}"); time.sleep(1)
 *
 *     thread1 = threading.Thread(target=count_up); thread2 = threading.Thread(target=count_down)
 *     thread1.start(); thread2.start(); thread1.join(); thread2.join()
 *     print("Main thread exiting...")
 *
 * The counters only wait, so they need no threads: both run on the event loop as two tasks of
 * an `AsyncExecutor` with two slots, and their lines interleave just as the threads' do.
 * `start()` is `submit`, `join()` is `wait` (ALL_COMPLETED). The 1 s sleep is 50 ms here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncExecutor } from '@futures/async';
import { ALL_COMPLETED, wait } from '@futures/core';
import { isEntryPoint, type Log } from './lib/support.ts';

const TICK_MS = 50;

export interface CountUpDownResult {
  /** Every line printed, in the order printed. */
  readonly lines: string[];
}

export async function main(log: Log = console.log): Promise<CountUpDownResult> {
  const lines: string[] = [];
  const print = (line: string): void => {
    lines.push(line);
    log(line);
  };

  async function countUp(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      print(`Counting up: ${i}`);
      await sleep(TICK_MS);
    }
  }

  async function countDown(): Promise<void> {
    for (let i = 5; i >= 0; i--) {
      print(`Counting down: ${i}`);
      await sleep(TICK_MS);
    }
  }

  await using executor = new AsyncExecutor({ maxWorkers: 2 });
  const up = executor.submit(countUp);
  const down = executor.submit(countDown);
  await wait([up, down], { returnWhen: ALL_COMPLETED });
  // wait() does not throw: read the futures so a failed counter is not ignored.
  await up;
  await down;
  print('Main thread exiting...');
  return { lines };
}

if (isEntryPoint(import.meta.url)) await main();
