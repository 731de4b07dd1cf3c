/**
 * Tasks that break the worker they run in, for a parallel backend's own tests of crashes and
 * initializers (the conformance suite stays backend-neutral and does not use them). Each works
 * in a worker thread and in a child process.
 */

/** Throws from a timer: an uncaught error in the worker, which dies of it before `waitMs` ends. */
export async function throwLater(waitMs = 5_000): Promise<string> {
  setTimeout(() => {
    throw new Error('uncaught in a timer');
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return 'survived';
}

/** Allocates until the worker's heap limit is hit. */
export function exhaustMemory(): number {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(1));
}

let greeting = 'not initialized';

/** Initializer: remembers a greeting in the worker. */
export function init(value: string): void {
  greeting = value;
}

/** Initializer that fails. */
export function failingInit(): void {
  throw new RangeError('cannot connect');
}

/** What the initializer left in this worker. */
export function readGreeting(): string {
  return greeting;
}
