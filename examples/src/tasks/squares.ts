/**
 * The tasks of `shared-array-squares.ts`, run in worker threads: they write squares into an
 * array that the main thread reads afterwards.
 */
import { threadId } from 'node:worker_threads';
import type { SharedArray } from '@futures/worker-threads';

/** Python's `calculate_square(numbers, result)`: `result[idx] = n * n` for every number. */
export function calculateSquare(numbers: readonly number[], result: SharedArray<'i'>): void {
  for (const [idx, n] of numbers.entries()) result.set(idx, n * n);
}

/** Writes the square of `numbers[idx]` into `result[idx]` only; returns the thread it ran in. */
export function squareInto(numbers: readonly number[], idx: number, result: SharedArray<'i'>): number {
  const n = numbers[idx] as number;
  result.set(idx, n * n);
  return threadId;
}

/** The same loop on a plain array: the thread fills its own copy, which nobody sees. Returns the copy. */
export function calculateSquarePlain(numbers: readonly number[], result: number[]): number[] {
  for (const [idx, n] of numbers.entries()) result[idx] = n * n;
  return result;
}
