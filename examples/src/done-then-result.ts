/**
 * `done()` before and after, then `result()`.
 *
 * Ports "Python Module - concurrent.futures" (Scaler Topics, seed 002_62c9057b8e45881c),
 * "Examples for Understanding: Example 2". The seed kept only the prose, not the code:
 *
 *     "A ProcessPoolExecutor has been built with three threads in the example below. Then a
 *      work() is sent to the process pool executor that will wait for two seconds before
 *      sending the text message. [...] the call to done() will return False. The job is
 *      completed after two seconds, at which point we use the result() function on the
 *      future to obtain the outcome."
 *
 * which is, in Python:
 *
 *     with ProcessPoolExecutor(max_workers=3) as executor:
 *         future = executor.submit(work)   # sleeps 2 s, returns a message
 *         print(future.done())             # False
 *         print(future.result())           # waits for the message
 *         print(future.done())             # True
 *
 * The work only waits, so it runs on an `AsyncExecutor` (3 slots); 2 s is 200 ms here. The port
 * also shows a bounded wait: `result({ timeout: 50 })` gives up with `TimeoutError` (the task
 * goes on) while the work still runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncExecutor } from '@futures/async';
import { TimeoutError } from '@futures/core';
import { isEntryPoint, type Log } from './lib/support.ts';

export async function work(): Promise<string> {
  await sleep(200);
  return 'Work completed after 200 ms';
}

export interface DoneThenResultResult {
  /** `future.done()` right after submitting: false. */
  readonly doneBefore: boolean;
  /** What `future.result({ timeout: 50 })` threw while the work ran: a `TimeoutError`. */
  readonly earlyWaitError: unknown;
  /** `future.result()`: the message. */
  readonly result: string;
  /** `future.done()` after `result()`: true. */
  readonly doneAfter: boolean;
}

export async function main(log: Log = console.log): Promise<DoneThenResultResult> {
  await using executor = new AsyncExecutor({ maxWorkers: 3 });
  const future = executor.submit(work);

  const doneBefore = future.done();
  log(`future.done(): ${doneBefore}`);

  let earlyWaitError: unknown;
  try {
    await future.result({ timeout: 50 });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    earlyWaitError = error;
    log(`future.result({ timeout: 50 }): ${error.name}: ${error.message}`);
  }

  const result = await future.result();
  log(`future.result(): ${result}`);
  const doneAfter = future.done();
  log(`future.done(): ${doneAfter}`);
  return { doneBefore, earlyWaitError, result, doneAfter };
}

if (isEntryPoint(import.meta.url)) await main();
