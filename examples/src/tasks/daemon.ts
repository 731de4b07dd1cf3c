/**
 * The task of `daemon-thread.ts`: a background loop that never returns by itself.
 */
import type { Event, Value } from '@futures/worker-threads';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The tutorial's `some_function` (which it never defines): a heartbeat. Forever: adds 1 to
 * `beats`, sets `alive` (after the first beat), sleeps `ms`. Only stopping its thread ends it.
 */
export function heartbeat(beats: Value<'i'>, alive: Event, ms: number): never {
  for (;;) {
    beats.add(1);
    alive.set();
    Atomics.wait(pause, 0, 0, ms);
  }
}
