/**
 * The task of `factorials.ts`, run in worker threads: `calculateFactorial(n, out)`.
 */
import { threadId } from 'node:worker_threads';
import type { Queue } from '@futures/worker-threads';
import { decimalSummary } from '../lib/big-numbers.ts';

/**
 * n! as a `bigint`. Python's `math.factorial` multiplies by divide and conquer, and so does
 * this: the product of lo..hi is the product of its two halves, so that most multiplications
 * are between numbers of similar size (V8 multiplies those fast). Multiplying 1 * 2 * ... * n
 * in a loop takes 7 s for 100,000! and minutes for 1,000,000!; this takes 0.1 s and 2 s.
 */
export function factorial(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`factorial: n must be a non-negative integer, got ${n}`);
  return productRange(1, n);
}

function productRange(lo: number, hi: number): bigint {
  if (hi - lo < 32) {
    let product = 1n;
    for (let i = lo; i <= hi; i++) product *= BigInt(i);
    return product;
  }
  const mid = Math.floor((lo + hi) / 2);
  return productRange(lo, mid) * productRange(mid + 1, hi);
}

/**
 * Python's `calculate_factorial(n)`: prints (through `out`, see `lib/threads.ts`), computes
 * n!, prints it (its size and first digits: 1,000,000! has 5,565,709 digits), returns it.
 */
export function calculateFactorial(n: number, out: Queue<string>): bigint {
  out.putSync(`Calculating factorial of ${n}... (thread ${threadId})`);
  const result = factorial(n);
  const { scientific, digits } = decimalSummary(result);
  out.putSync(`Factorial of ${n} is ${scientific} (${digits.toLocaleString('en-US')} digits)`);
  return result;
}
