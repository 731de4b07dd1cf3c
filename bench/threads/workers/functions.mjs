// The work every pool runs (and the serial baseline runs in the main thread).

/** The trivial task: `x => x + 1`. */
export function inc(x) {
  return x + 1;
}

/**
 * CPU-bound work of a fixed size: `iterations` rounds of xorshift32 from seed 1, so that the
 * same call does the same work on every pool and in the main thread (a time-based busy loop
 * would hide CPU contention). Returns the final state, the same for every call.
 */
export function spin(iterations) {
  let x = 1;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x >>> 0;
}

/** Counts a round trip in the first 32-bit word of `buffer` and returns the buffer. */
export function touch(buffer) {
  new Uint32Array(buffer, 0, 1)[0] += 1;
  return buffer;
}
