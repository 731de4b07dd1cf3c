/**
 * Small helpers shared by the examples: the `log` type every `main` takes, timing in the
 * tutorials' "Finished in N second(s)" style, and the "run me when I am the entry point" check.
 */
import { pathToFileURL } from 'node:url';

/** Where an example prints: `console.log` by default; the tests pass a collector. */
export type Log = (...args: unknown[]) => void;

/** Seconds since `start` (a `performance.now()` value), rounded like Python's `round(x, 2)`. */
export function secondsSince(start: number): number {
  return Math.round((performance.now() - start) / 10) / 100;
}

/** Milliseconds since `start` (a `performance.now()` value), whole. */
export function msSince(start: number): number {
  return Math.round(performance.now() - start);
}

/**
 * True when the module at `moduleUrl` is the script Node was started with
 * (`npx tsx src/slow-task.ts`), false when it is imported (by `demo.ts` or the tests).
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(script).href;
}
