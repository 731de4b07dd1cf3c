// The task of the distributed bench, as plain JavaScript: the worker processes of both sides run
// under plain `node` (no TypeScript loader), and both call this very function. @futures/bullmq's
// workers import this module by its URL (the task reference); the BullMQ workers import it by path.

/** xorshift32 rounds per task: about 0.3 ms of CPU here (1.9 ns per round in Node 20). */
export const WORK_ROUNDS = 150_000;

/**
 * A small CPU-bound task: WORK_ROUNDS rounds of xorshift32 seeded with `n + 1`, then `n`. The
 * loop's state decides the result, so V8 cannot drop it; from a nonzero seed xorshift32 never
 * reaches 0, so the result is always `n` and a run's results sum to `0 + 1 + … + (tasks - 1)`.
 */
export function work(n) {
  let x = (n + 1) | 0;
  for (let i = 0; i < WORK_ROUNDS; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x === 0 ? -1 : n;
}
