/**
 * Factorials of large numbers in a ProcessPoolExecutor, as the tutorial wrote it.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Tackling CPU-Bound Tasks: ProcessPoolExecutor":
 *
 *     with concurrent.futures.ProcessPoolExecutor(max_workers=4) as executor:
 *         numbers = [1000, 10000, 100000, 1000000]
 *         results = executor.map(calculate_factorial, numbers)
 *         for result in results:
 *             print(f"Final Result: {result}")
 *     print(f"Finished in {round(finish-start, 2)} second(s)")
 *
 * The same in child processes (`factorials.ts` does it in worker threads). Each n! comes back
 * as a `bigint` (structured clone over the IPC channel) and is checked here against n! modulo a
 * prime, computed independently. A number is printed by its first digits and its length.
 */
import { defineTasks } from '@futures/core';
import { ProcessPoolExecutor } from '@futures/child-process';
import { decimalSummary, factorialMod } from './lib/big-numbers.ts';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/processes.js')>(new URL('./tasks/processes.js', import.meta.url));

/** A prime larger than every n here. */
const PRIME = 16_777_213;

export interface ProcessFactorialsResult {
  readonly numbers: number[];
  /** Per n: digits of n!, whether n! mod PRIME matched, the child's pid. */
  readonly results: { readonly n: number; readonly digits: number; readonly verified: boolean; readonly pid: number }[];
}

export async function main(log: Log = console.log): Promise<ProcessFactorialsResult> {
  const numbers = [1000, 10_000, 100_000, 1_000_000];
  const results: ProcessFactorialsResult['results'][number][] = [];
  const start = performance.now();
  {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 4 });
    let i = 0;
    for await (const { value, pid } of executor.map(tasks.calculateFactorial, numbers)) {
      const n = numbers[i++] as number;
      const summary = decimalSummary(value);
      log(`Final Result: ${n}! = ${summary.scientific} (${summary.digits} digits)`);
      results.push({ n, digits: summary.digits, verified: Number(value % BigInt(PRIME)) === factorialMod(n, PRIME), pid });
    }
  }
  log(`Finished in ${secondsSince(start)} second(s)`);
  return { numbers, results };
}

if (isEntryPoint(import.meta.url)) await main();
