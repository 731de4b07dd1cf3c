/**
 * Load drivers shared by the throughput benches: the same driver code runs every library, only
 * the `submit` function differs, so the comparison measures the libraries and not the drivers.
 */

/** `0, 1, …, n - 1`, lazily. */
export function* range(n: number): Generator<number, void, undefined> {
  for (let i = 0; i < n; i++) yield i;
}

/** `0, 1, 2, …` for ever: an input that only a bounded consumer can handle. */
export function* endless(): Generator<number, never, undefined> {
  for (let i = 0; ; i++) yield i;
}

/** `0 + 1 + … + (n - 1)`: the checksum of summing the results of an identity task over `range(n)`. */
export function sumBelow(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Submits everything at once, then awaits all results with `Promise.all`; resolves to their sum.
 */
export async function submitAllThenAll(n: number, submit: (i: number) => PromiseLike<number>): Promise<number> {
  const pending = new Array<PromiseLike<number>>(n);
  for (let i = 0; i < n; i++) pending[i] = submit(i);
  const results = await Promise.all(pending);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += results[i] as number;
  return sum;
}

/**
 * Submits everything at once, then awaits each result in submission order (Python's
 * `[f.result() for f in futures]`); resolves to their sum.
 */
export async function submitAllThenEach(n: number, submit: (i: number) => PromiseLike<number>): Promise<number> {
  const pending = new Array<PromiseLike<number>>(n);
  for (let i = 0; i < n; i++) pending[i] = submit(i);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await (pending[i] as PromiseLike<number>);
  return sum;
}

/**
 * A sliding window: reads `items` lazily and keeps at most `window` submitted tasks whose
 * results were not consumed yet; when the window is full it awaits the oldest (results come
 * out in input order, like `Executor.map` with `buffersize`). Resolves to the sum of the results.
 */
export async function slidingWindow(items: Iterable<number>, window: number, submit: (i: number) => PromiseLike<number>): Promise<number> {
  const ring = new Array<PromiseLike<number> | undefined>(window);
  let head = 0;
  let size = 0;
  let sum = 0;
  for (const item of items) {
    if (size === window) {
      sum += await (ring[head] as PromiseLike<number>);
      ring[head] = undefined;
      head = head + 1 === window ? 0 : head + 1;
      size--;
    }
    const tail = head + size;
    ring[tail >= window ? tail - window : tail] = submit(item);
    size++;
  }
  while (size > 0) {
    sum += await (ring[head] as PromiseLike<number>);
    ring[head] = undefined;
    head = head + 1 === window ? 0 : head + 1;
    size--;
  }
  return sum;
}

/**
 * `width` chains of round trips, `n` steps in all: each chain hands its value to `step` and
 * hands the result to `step` again, so at most `width` steps are in flight (ping-pong with a
 * value that travels, e.g. a buffer). Resolves to the last value of each chain.
 */
export async function chains<T>(n: number, width: number, initial: (chain: number) => T, step: (value: T) => PromiseLike<T>): Promise<T[]> {
  const run = async (chain: number): Promise<T> => {
    let value = initial(chain);
    // Chain `chain` takes steps chain, chain + width, chain + 2 * width, ... below n.
    for (let i = chain; i < n; i += width) value = await step(value);
    return value;
  };
  return Promise.all(Array.from({ length: Math.min(width, n) }, (_, chain) => run(chain)));
}
