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

/** True when {@link collectGarbage} really collects. */
export const gcAvailable: boolean = gcFunction !== undefined;

/** Runs a full (major) garbage collection, twice to also free what finalizers released. */
export function collectGarbage(): void {
  if (gcFunction === undefined) return;
  gcFunction();
  gcFunction();
}
