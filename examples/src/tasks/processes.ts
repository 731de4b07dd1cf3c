/**
 * Tasks of the multiprocessing examples (`process-*.ts`), run in child processes by
 * `ProcessPoolExecutor`. Shared objects (lock, counter, queue) are `Manager` handles: they live
 * in the parent, and these tasks use them over their IPC channel.
 */
import type { ManagedLock, ManagedQueue, ManagedValue } from '@futures/child-process';
import { factorial } from './factorial.ts';

/** Python's `square(x)` of "Creating Processes": the line it prints, and which process printed it. */
export function squareLine(x: number): { line: string; pid: number } {
  return { line: `${x} squared is ${x * x}`, pid: process.pid };
}

/** x². */
export function square(x: number): number {
  return x * x;
}

/** Python's `increment_counter(counter, counter_lock)`: `with counter_lock: counter.value += 1`. */
export async function incrementCounter(counter: ManagedValue<number>, counterLock: ManagedLock): Promise<number> {
  await counterLock.withLock(async () => counter.set((await counter.get()) + 1));
  return process.pid;
}

/** Python's `square(x, output_queue)`: `output_queue.put(x * x)`. */
export async function squareToQueue(x: number, outputQueue: ManagedQueue<number>): Promise<number> {
  await outputQueue.put(x * x);
  return process.pid;
}

/** Python's `calculate_factorial(n)`, in a child process: n! as a bigint (copied back by structured clone). */
export function calculateFactorial(n: number): { value: bigint; pid: number } {
  return { value: factorial(n), pid: process.pid };
}
