/**
 * Factorials of large numbers, computed in parallel worker threads.
 *
 * Ports "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient
 * Guide" (seed 001_afc6471b14b11a2b), section "Tackling CPU-Bound Tasks: ProcessPoolExecutor":
 *
 *     def calculate_factorial(n):
 *         print(f"Calculating factorial of {n}...")
 *         result = math.factorial(n)
 *         print(f"Factorial of {n} is {result}")
 *         return result
 *
 *     start = time.perf_counter()
 *     with concurrent.futures.ProcessPoolExecutor(max_workers=4) as executor:
 *         numbers = [1000, 10000, 100000, 1000000]  # Large numbers for CPU-intensive calculations
 *         results = executor.map(calculate_factorial, numbers)
 *         for result in results:
 *             print(f"Final Result: {result}")
 *     finish = time.perf_counter()
 *     print(f"Finished in {round(finish-start, 2)} second(s)")
 *
 * Python needs processes for CPU-bound work because of the GIL; JavaScript threads have no GIL,
 * so `ThreadPoolExecutor` (worker threads) runs the four factorials on several cores at once,
 * and the main thread's event loop stays free meanwhile (a 10 ms timer keeps firing).
 *
 * The tasks print from their threads through a shared `Queue` (`lib/threads.ts`). Numbers are
 * `bigint`s and are copied back from the threads. Python prints every digit; here a number is
 * shown by its first digits and its length (1,000,000! has 5,565,709 digits). Each result is
 * checked in the main thread against facts computed independently: n! modulo a prime, and how
 * many times 2 divides n! (Legendre's formula).
 */
import { defineTasks } from '@futures/core';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import { decimalSummary, factorialMod, trailingZeroBits, twosInFactorial } from './lib/big-numbers.ts';
import { isEntryPoint, secondsSince, type Log } from './lib/support.ts';
import { threadConsole } from './lib/threads.ts';

const tasks = defineTasks<typeof import('./tasks/factorial.js')>(new URL('./tasks/factorial.js', import.meta.url));

/** A prime below 2^26, larger than every n here (n! of a larger n would be 0 modulo it). */
const PRIME = 16_777_213;

export interface FactorialSummary {
  readonly n: number;
  /** Decimal digits of n!. */
  readonly digits: number;
  /** n! with 6 significant digits, e.g. `4.02387e+2567`. */
  readonly scientific: string;
  /** n! modulo {@link PRIME}, from the thread's result. */
  readonly mod: number;
  /** How many times 2 divides n!, from the thread's result. */
  readonly twos: number;
  /** Both agree with what the main thread computed on its own. */
  readonly verified: boolean;
}

export interface FactorialsResult {
  /** Python's `numbers`. */
  readonly numbers: number[];
  /** The factorials, in input order, as `map` yields them. */
  readonly factorials: bigint[];
  /** What each one was checked against. */
  readonly summaries: FactorialSummary[];
  /** Every line the threads and the main thread printed, in order. */
  readonly lines: string[];
  /** How many times a 10 ms timer of the main thread fired while the threads computed. */
  readonly timerTicks: number;
}

export async function main(log: Log = console.log): Promise<FactorialsResult> {
  const numbers = [1000, 10_000, 100_000, 1_000_000];
  const output = threadConsole(log);
  const factorials: bigint[] = [];
  const summaries: FactorialSummary[] = [];
  let timerTicks = 0;
  const timer = setInterval(() => timerTicks++, 10);

  const start = performance.now();
  try {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });
    // Python's executor.map(calculate_factorial, numbers), with the output queue as a second argument.
    const results = executor.starmap(tasks.calculateFactorial, numbers.map((n) => [n, output.out] as const));
    for await (const result of results) {
      const n = numbers[factorials.length] as number;
      factorials.push(result);
      const { digits, scientific } = decimalSummary(result);
      const mod = Number(result % BigInt(PRIME));
      const twos = trailingZeroBits(result);
      const verified = mod === factorialMod(n, PRIME) && twos === twosInFactorial(n);
      summaries.push({ n, digits, scientific, mod, twos, verified });
      await output.print(`Final Result: ${scientific} (${n}!, ${digits.toLocaleString('en-US')} digits; ${verified ? 'checked' : 'WRONG'})`);
    }
  } finally {
    clearInterval(timer);
  }
  await output.print(`Finished in ${secondsSince(start)} second(s)`);
  await output.print(`Meanwhile the main thread's event loop stayed free: a 10 ms timer fired ${timerTicks} times`);
  const lines = await output.close();
  return { numbers, factorials, summaries, lines, timerTicks };
}

if (isEntryPoint(import.meta.url)) await main();
