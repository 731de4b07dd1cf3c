/**
 * Squares written into a `SharedArray` by tasks in worker threads.
 *
 * Ports "Concurrent Programming in Python: Futures, Threads, and Processes"
 * (seed 000_a15cb93248c75fbe), section "Processes":
 *
 *     def calculate_square(numbers, result):
 *         for idx, n in enumerate(numbers):
 *             result[idx] = n * n
 *
 *     def main():
 *         numbers = [1, 2, 3, 4, 5]
 *         result = multiprocessing.Array('i', len(numbers))
 *
 *         process = multiprocessing.Process(target=calculate_square, args=(numbers, result))
 *         process.start()
 *         process.join()
 *
 *         print(result[:])
 *
 * Here on worker threads: `SharedArray('i', 5)` is `multiprocessing.Array('i', 5)`, five int32
 * in a `SharedArrayBuffer`. Passed to a task, it reaches the thread as the very same memory, so
 * what the task writes is what the main thread reads (`submit` + `await` are `start` + `join`).
 * Then five tasks each write one element, spread over the pool's two threads. Last, the
 * contrast: a plain array is *copied* to the thread, so the thread's writes never come back (as
 * with a plain list given to a Python process). The process version waits for the process backend.
 */
import { defineTasks } from '@futures/core';
import { SharedArray, ThreadPoolExecutor } from '@futures/worker-threads';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/squares.js')>(new URL('./tasks/squares.js', import.meta.url));

/** Python's `print(list)`: `[1, 4, 9, 16, 25]`. */
const pyList = (values: readonly unknown[]): string => `[${values.join(', ')}]`;

export interface SharedArraySquaresResult {
  /** `result[:]` after the one task: the squares. */
  readonly result: number[];
  /** The same, written one element per task, by five tasks spread over the threads. */
  readonly onePerTask: number[];
  /** The worker threads those five tasks ran in (their `threadId`s, in input order). */
  readonly threadIds: number[];
  /** A plain array after a task filled it in a thread: unchanged (the task got a copy). */
  readonly plainAfter: number[];
  /** The copy the task filled, as it returned it. */
  readonly plainReturned: number[];
}

export async function main(log: Log = console.log): Promise<SharedArraySquaresResult> {
  const numbers = [1, 2, 3, 4, 5];
  await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });

  // The tutorial's example: one task (one "process") fills the shared array.
  const shared = new SharedArray('i', numbers.length);
  await executor.submit(tasks.calculateSquare, numbers, shared);
  const result = shared.toArray();
  log(pyList(result));

  // Five tasks, one element each, spread over the two threads.
  const squares = new SharedArray('i', numbers.length);
  const threadIds = await Promise.all(numbers.map((_, idx) => executor.submit(tasks.squareInto, numbers, idx, squares)));
  const onePerTask = squares.toArray();
  log(`${pyList(onePerTask)}  (one task per element, in ${new Set(threadIds).size} threads)`);

  // A plain array is copied to the thread: the main thread's array stays as it was.
  const plain = [0, 0, 0, 0, 0];
  const plainReturned = await executor.submit(tasks.calculateSquarePlain, numbers, plain);
  log(`${pyList(plain)}  (a plain array: the thread filled a copy, ${pyList(plainReturned)})`);

  return { result, onePerTask, threadIds, plainAfter: [...plain], plainReturned };
}

if (isEntryPoint(import.meta.url)) await main();
