import { expect } from 'vitest';
import type { GroupContext } from '../context.js';
import { suiteTasks as tasks } from '../refs.js';
import { settleAll, warmUp } from './submit.js';

/** map and starmap: order, laziness, timeout, early exit, errors, signal. */
export function mapTests({ test, ms }: GroupContext): void {
  test('map yields results in input order, whatever order tasks finish in', { maxWorkers: 3 }, async (executor) => {
    const delays = [60, 5, 40, 1, 25, 10];
    const results: unknown[] = [];
    for await (const value of executor.starmap(tasks.sleep, delays.map((d, i) => [ms(d), i] as [number, number]))) results.push(value);
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('map over an empty input yields nothing', { maxWorkers: 1 }, async (executor) => {
    const results = await collect(executor.map(tasks.square, []));
    expect(results).toEqual([]);
  });

  test('map takes async iterables', { maxWorkers: 2 }, async (executor) => {
    async function* numbers(): AsyncGenerator<number> {
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield i;
      }
    }
    expect(await collect(executor.map(tasks.square, numbers()))).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
  });

  test('chunksize does not change results or their order', { maxWorkers: 2 }, async (executor) => {
    const input = Array.from({ length: 50 }, (_, i) => i);
    expect(await collect(executor.map(tasks.square, input, { chunksize: 7 }))).toEqual(input.map((x) => x * x));
  });

  test('map with chunksize: a failing item fails at its position, after the results before it', { maxWorkers: 2 }, async (executor) => {
    const input = Array.from({ length: 20 }, (_, i) => [i, 9] as [number, number]);
    const seen: number[] = [];
    let error: unknown;
    try {
      for await (const value of executor.starmap(tasks.failIf, input, { chunksize: 4 })) seen.push(value);
    } catch (caught) {
      error = caught;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('item 9 is bad');
  });

  test('map with buffersize reads its input lazily', { maxWorkers: 2 }, async (executor) => {
    let produced = 0;
    function* endless(): Generator<number> {
      for (let i = 0; ; i++) {
        produced++;
        yield i;
      }
    }
    const results: number[] = [];
    for await (const value of executor.map(tasks.square, endless(), { buffersize: 4 })) {
      results.push(value);
      expect(produced - results.length).toBeLessThanOrEqual(4);
      if (results.length === 25) break;
    }
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i * i));
    expect(produced).toBeLessThanOrEqual(25 + 4);
  });

  test('map timeout is counted from the call, and the rest is cancelled', { maxWorkers: 1 }, async (executor) => {
    await warmUp(executor);
    const warm = executor.stats.completed;
    const stop = new AbortController();
    const input = [ms(30), ms(30), ms(5_000), ms(5_000), ms(5_000)];
    const iterator = executor.map(tasks.sleep, input, { timeout: ms(250), signal: stop.signal });
    await new Promise((resolve) => setTimeout(resolve, ms(150)));
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const value of iterator) seen.push(value);
      })(),
    ).rejects.toMatchObject({ name: 'TimeoutError', code: 'ERR_FUTURE_TIMEOUT' });
    expect(seen).toHaveLength(2);
    expect(executor.stats.cancelled).toBe(2); // the two that had not started; the third is running
    stop.abort(); // stop the running one too, so the test ends now
    await executor.onIdle();
    expect(executor.stats).toMatchObject({ completed: warm + 2, cancelled: 2, failed: 1 });
  });

  test('breaking out of map cancels tasks that have not started', { maxWorkers: 1 }, async (executor) => {
    const input = Array.from({ length: 20 }, (_, i) => [i, ms(10)] as [number, number]);
    for await (const value of executor.starmap(tasks.squareAfter, input)) {
      expect(value).toBe(0);
      break;
    }
    await executor.onIdle();
    const { completed, cancelled, submitted } = executor.stats;
    expect(submitted).toBe(20);
    expect(cancelled).toBeGreaterThanOrEqual(17);
    expect(completed + cancelled).toBe(20);
  });

  test('a failing task makes map throw its error at its position and cancels the rest', { maxWorkers: 1 }, async (executor) => {
    const input = [0, 1, 2, -3, 4, 5, 6, 7].map((x) => [x, ms(15)] as [number, number]);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of executor.starmap(tasks.squareAfter, input)) seen.push(value);
      })(),
    ).rejects.toMatchObject({ name: 'RangeError', message: 'negative: -3' });
    expect(seen).toEqual([0, 1, 4]);
    await executor.onIdle();
    expect(executor.stats.cancelled).toBeGreaterThanOrEqual(3);
  });

  test('an exception thrown by the consumer cancels what has not started', { maxWorkers: 1 }, async (executor) => {
    const input = Array.from({ length: 10 }, (_, i) => [i, ms(10)] as [number, number]);
    await expect(
      (async () => {
        for await (const value of executor.starmap(tasks.squareAfter, input)) {
          if (value === 4) throw new Error('consumer gave up');
        }
      })(),
    ).rejects.toThrow('consumer gave up');
    await executor.onIdle();
    expect(executor.stats.cancelled).toBeGreaterThanOrEqual(6);
  });

  test('an input that throws ends map with that error after the results before it', { maxWorkers: 2 }, async (executor) => {
    function* broken(): Generator<number> {
      yield 1;
      yield 2;
      throw new Error('input broke');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of executor.map(tasks.square, broken())) seen.push(value);
      })(),
    ).rejects.toThrow('input broke');
    expect(seen).toEqual([1, 4]);
  });

  test('map with a signal stops when it aborts: the iterator throws the reason', { maxWorkers: 1 }, async (executor) => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const value of executor.starmap(tasks.sleep, Array.from({ length: 10 }, (_, i) => [ms(20), i] as [number, number]), { signal: controller.signal })) {
          seen.push(value);
          if (seen.length === 2) controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen).toEqual([0, 1]);
    await executor.onIdle();
    expect(executor.stats.completed).toBeLessThan(10);
  });

  test('starmap spreads each item as the arguments', { maxWorkers: 2 }, async (executor) => {
    expect(await collect(executor.starmap(tasks.add, [[1, 2], [3, 4], [5, 6]]))).toEqual([3, 7, 11]);
  });

  test('map validates its options at the call', { maxWorkers: 1 }, async (executor) => {
    expect(() => executor.map(tasks.square, [1], { buffersize: 0 })).toThrow(RangeError);
    expect(() => executor.map(tasks.square, [1], { chunksize: 1.5 })).toThrow(TypeError);
    expect(() => executor.map(tasks.square, [1], { timeout: -1 })).toThrow(RangeError);
    expect(() => executor.map(tasks.square, 5 as never)).toThrow(TypeError);
    expect(executor.stats.submitted).toBe(0);
  });

  test('map without buffersize submits every item at once, before iteration', { maxWorkers: 2 }, async (executor) => {
    const iterator = executor.map(tasks.square, [1, 2, 3, 4, 5]);
    expect(executor.stats.submitted).toBe(5);
    expect(await collect(iterator)).toEqual([1, 4, 9, 16, 25]);
  });

  test('abandoning a map iterator leaves no future unsettled', { maxWorkers: 2 }, async (executor) => {
    const futures: import('@futures/core').Future[] = [];
    const off = executor.on('submitted', (future) => futures.push(future));
    const iterator = executor.map(tasks.sleep, [ms(10), ms(10), ms(10), ms(10)]);
    await iterator.next();
    await iterator.return?.();
    off();
    await settleAll(futures);
    expect(futures.every((future) => future.done())).toBe(true);
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}
