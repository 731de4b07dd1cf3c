/**
 * Create a pool, submit a task, map a task.
 *
 * Ports "Python Module - concurrent.futures" (Scaler Topics, seed 002_62c9057b8e45881c),
 * "Examples for Understanding: Example 1". The seed kept only the prose, not the code:
 *
 *     "This straightforward basic example shows you how to create your own [pool] and submit
 *      and map tasks to this pool. The constructor takes care of everything when the threads
 *      are completed, making the code short and error-free."
 *
 * which is, in Python:
 *
 *     with ThreadPoolExecutor(max_workers=3) as executor:
 *         future = executor.submit(pow, 2, 10)
 *         print(future.result())                           # 1024
 *         for result in executor.map(pow, [2, 3, 4], [5, 5, 5]):
 *             print(result)                                # 32, 243, 1024
 *
 * Python's `map(fn, *iterables)` zips several iterables into the arguments; here that is
 * `starmap` over argument tuples. "The constructor takes care of everything" is the `with`
 * block, here `await using`.
 */
import { AsyncExecutor } from '@futures/async';
import { isEntryPoint, type Log } from './lib/support.ts';

/** Python's built-in `pow(base, exp)`. */
export function pow(base: number, exp: number): number {
  return base ** exp;
}

export interface PoolSubmitMapResult {
  /** `submit(pow, 2, 10)`: 1024. */
  readonly submitted: number;
  /** `starmap(pow, [[2, 5], [3, 5], [4, 5]])`, in input order. */
  readonly mapped: number[];
}

export async function main(log: Log = console.log): Promise<PoolSubmitMapResult> {
  await using executor = new AsyncExecutor({ maxWorkers: 3 });

  const future = executor.submit(pow, 2, 10);
  const submitted = await future.result();
  log(`submit(pow, 2, 10) -> ${submitted}`);

  const mapped: number[] = [];
  const bases = [2, 3, 4];
  const exps = [5, 5, 5];
  const zipped = bases.map((base, i): [number, number] => [base, exps[i] as number]);
  for await (const result of executor.starmap(pow, zipped)) {
    log(`starmap(pow, ...) -> ${result}`);
    mapped.push(result);
  }
  return { submitted, mapped };
}

if (isEntryPoint(import.meta.url)) await main();
