/**
 * Errors travel inside futures.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Error Handling: Because Things Will Go Wrong":
 *
 *     def risky_function(x):
 *         if x == 0:
 *             raise ValueError("Cannot divide by zero!")
 *         return 10 / x
 *
 *     with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:
 *         futures = [executor.submit(risky_function, i) for i in [5, 2, 0, 1]]
 *         for future in futures:
 *             try:
 *                 result = future.result()  # Will raise exception if the function did
 *                 print(f"Result: {result}")
 *             except Exception as e:
 *                 print(f"Error: {e}")
 *
 * The failing task does not stop the others: its future carries the error, and
 * `future.result()` rethrows it. The port also reads each future with `future.exception()`,
 * which gives the error (or `undefined`) without throwing. JavaScript prints `10 / 5` as `2`
 * where Python prints `2.0`.
 */
import { AsyncExecutor } from '@futures/async';
import { isEntryPoint, type Log } from './lib/support.ts';

/** Python's `ValueError`, so that the port raises the same kind of error. */
export class ValueError extends Error {
  override name = 'ValueError';
}

export function riskyFunction(x: number): number {
  if (x === 0) throw new ValueError('Cannot divide by zero!');
  return 10 / x;
}

/** What one future gave: a result, or the error it carried. */
export type Outcome = { readonly input: number; readonly result: number } | { readonly input: number; readonly error: unknown };

export interface ErrorHandlingResult {
  /** One outcome per input, in submission order, read with `future.result()` in try/catch. */
  readonly outcomes: Outcome[];
  /** What `future.exception()` gave for each input, in submission order. */
  readonly exceptions: unknown[];
}

export async function main(log: Log = console.log): Promise<ErrorHandlingResult> {
  const inputs = [5, 2, 0, 1];
  const outcomes: Outcome[] = [];
  const exceptions: unknown[] = [];

  await using executor = new AsyncExecutor({ maxWorkers: 2 });
  const futures = inputs.map((i) => executor.submit(riskyFunction, i));
  for (const [index, future] of futures.entries()) {
    const input = inputs[index] as number;
    try {
      const result = await future.result(); // Will throw if the function did
      log(`Result: ${result}`);
      outcomes.push({ input, result });
    } catch (error) {
      log(`Error: ${(error as Error).message}`);
      outcomes.push({ input, error });
    }
  }

  // The same futures, asked for their exception instead: nothing throws here.
  for (const [index, future] of futures.entries()) {
    const error = await future.exception();
    log(`riskyFunction(${inputs[index]}): ${error === undefined ? 'no exception' : `raised ${String(error)}`}`);
    exceptions.push(error);
  }
  return { outcomes, exceptions };
}

if (isEntryPoint(import.meta.url)) await main();
