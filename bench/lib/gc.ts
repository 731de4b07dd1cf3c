/**
 * A full garbage collection between runs, so that one library's garbage is not collected (and
 * charged) during the next library's run. Uses `global.gc` when node runs with `--expose-gc`
 * (`pnpm bench` passes it); otherwise exposes it at run time through V8's flags.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = () => void;

function findGc(): GcFunction | undefined {
  const exposed = (globalThis as { gc?: GcFunction }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as GcFunction) : undefined;
  } catch {
    return undefined;
  }
}

const gcFunction = findGc();

// V8 ages the bytecode of every function at each full GC and throws away what grew old, with
// its optimised code and type feedback; code that runs optimised never resets its age. Two forced
// GCs per timed run (a real program does a few per minute) would make every run start half cold:
// measured on processes.map (50,000 items, chunksize 1,000), 47–80 ms per run with flushing,
// 34–43 ms without. Python's gc.collect() discards no code, so the flag also keeps that
// comparison fair. It changes nothing else: each library's garbage is still collected between runs.
if (gcFunction !== undefined) setFlagsFromString('--no-flush-bytecode');

/** True when {@link collectGarbage} really collects. */
export const gcAvailable: boolean = gcFunction !== undefined;

/** Runs a full (major) garbage collection, twice to also free what finalizers released. */
export function collectGarbage(): void {
  if (gcFunction === undefined) return;
  gcFunction();
  gcFunction();
}
