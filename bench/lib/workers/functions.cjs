// The work every pool of the thread and process benches runs (and their serial baselines run in
// the main thread), as CommonJS so that both kinds of worker file can load it: ES modules import
// it through functions.mjs, and CommonJS worker files (poolifier's cluster worker, which must be
// CommonJS: see bench/processes/workers/poolifier.cjs) require it.
/* global module */
'use strict';

/** The trivial task: `x => x + 1`. */
function inc(x) {
  return x + 1;
}

/**
 * CPU-bound work of a fixed size: `iterations` rounds of xorshift32 from seed 1, so that the
 * same call does the same work on every pool and in the main thread (a time-based busy loop
 * would hide CPU contention). Returns the final state, the same for every call.
 */
function spin(iterations) {
  let x = 1;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x >>> 0;
}

/** Counts a round trip in the first 32-bit word of `buffer` and returns the buffer. */
function touch(buffer) {
  new Uint32Array(buffer, 0, 1)[0] += 1;
  return buffer;
}

module.exports = { inc, spin, touch };
