/**
 * The tasks of `numbers-and-letters-threads.ts`: Python's `print_numbers` and `print_letters`,
 * run in two worker threads at the same time.
 */
import { threadId } from 'node:worker_threads';
import type { Event, Queue } from '@futures/worker-threads';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` (only this thread: the main thread and the others go on). */
function sleepSync(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/** What a task tells the main thread about how it ran. */
export interface PrinterReport {
  /** The worker thread it ran in. */
  readonly threadId: number;
  /** True: the other task had started while this one was running (they overlapped). */
  readonly sawOtherRunning: boolean;
}

/**
 * Says it started (`iStarted`), waits until the other task has started too (`otherStarted`,
 * so both are running at once, in two threads), then prints each line, `pauseMs` apart.
 */
function printLines(lines: readonly string[], out: Queue<string>, iStarted: Event, otherStarted: Event, pauseMs: number): PrinterReport {
  iStarted.set();
  const sawOtherRunning = otherStarted.waitSync({ timeout: 10_000 });
  for (const line of lines) {
    out.putSync(line);
    sleepSync(pauseMs);
  }
  return { threadId, sawOtherRunning };
}

/** Python's `print_numbers()`: `Number: 1` to `Number: 5`. */
export function printNumbers(out: Queue<string>, iStarted: Event, otherStarted: Event, pauseMs = 0): PrinterReport {
  return printLines([1, 2, 3, 4, 5].map((i) => `Number: ${i}`), out, iStarted, otherStarted, pauseMs);
}

/** Python's `print_letters()`: `Letter: a` to `Letter: e`. */
export function printLetters(out: Queue<string>, iStarted: Event, otherStarted: Event, pauseMs = 0): PrinterReport {
  return printLines([...'abcde'].map((letter) => `Letter: ${letter}`), out, iStarted, otherStarted, pauseMs);
}
