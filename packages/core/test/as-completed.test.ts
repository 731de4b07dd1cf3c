import { describe, expect, it } from 'vitest';
import { asCompleted, Future, TimeoutError } from '../src/index.js';
import { make, promiseState, sleep, trackListeners } from './helpers.js';

/** Collects what asCompleted yields, and the error it ends with, if any. */
async function collect<T>(iterable: AsyncIterable<T>): Promise<{ yielded: T[]; error: unknown }> {
  const yielded: T[] = [];
  try {
    for await (const future of iterable) yielded.push(future);
    return { yielded, error: undefined };
  } catch (error) {
    return { yielded, error };
  }
}

describe('asCompleted', () => {
  it('yields the Future objects themselves, including failed and cancelled ones, without throwing', async () => {
    const error = new Error('task failed');
    const ok = make.succeeded(1);
    const failed = make.failed(error);
    const cancelled = make.cancelled();
    const later = make.pending<number>();
    const laterFailing = make.pending<number>();
    const iterator = asCompleted([ok, failed, cancelled, later, laterFailing]);
    setTimeout(() => {
      later.setResult(2);
      laterFailing.setException(new TypeError('later'));
    }, 1);
    const { yielded, error: thrown } = await collect(iterator);
    expect(thrown).toBeUndefined();
    expect(yielded).toHaveLength(5);
    for (const future of yielded) expect(future).toBeInstanceOf(Future);
    expect(new Set(yielded)).toEqual(new Set([ok, failed, cancelled, later, laterFailing]));
    expect(await yielded[1]!.exception()).toBe(error);
  });

  it('next() resolves to { value: future, done: false }, never to the result', async () => {
    const future = make.succeeded({ answer: 42 });
    const iterator = asCompleted([future]);
    const step = await iterator.next();
    expect(step.done).toBe(false);
    expect(step.value).toBe(future);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });

    const pending = make.pending<string>();
    const waiting = asCompleted([pending]).next();
    pending.setResult('r');
    expect((await waiting).value).toBe(pending);
  });

  it('yields already-done futures first, then the others in completion order', async () => {
    const [a, b, c] = [make.pending(), make.pending(), make.pending()];
    const done = make.succeeded('d');
    const iterator = asCompleted([a, b, c, done]);
    c.setResult('c');
    a.setException(new Error('a'));
    b.cancel();
    const { yielded } = await collect(iterator);
    expect(yielded).toEqual([done, c, a, b]);
  });

  it('follows completions that happen while it waits', async () => {
    const [a, b, c] = [make.pending(), make.running(), make.pending()];
    const iterator = asCompleted([a, b, c]);
    const first = iterator.next();
    expect(await promiseState(first)).toBe('pending');
    b.setResult(1);
    expect((await first).value).toBe(b);
    const second = iterator.next();
    expect(await promiseState(second)).toBe('pending');
    c.setResult(2);
    a.setResult(3);
    expect((await second).value).toBe(c);
    expect((await iterator.next()).value).toBe(a);
    expect((await iterator.next()).done).toBe(true);
  });

  it('yields duplicates once', async () => {
    const pending = make.pending();
    const done = make.succeeded(1);
    const iterator = asCompleted([pending, pending, done, pending, done]);
    setTimeout(() => pending.setResult(2), 1);
    const { yielded } = await collect(iterator);
    expect(yielded).toEqual([done, pending]);
  });

  it('accepts any iterable of futures (Set, generator)', async () => {
    const a = make.succeeded(1);
    function* gen(): Generator<Future<number>> {
      yield a;
      yield a;
    }
    expect((await collect(asCompleted(gen()))).yielded).toEqual([a]);
    expect((await collect(asCompleted(new Set([a])))).yielded).toEqual([a]);
  });

  it('an empty input ends at once', async () => {
    const iterator = asCompleted([]);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('is its own async iterator', () => {
    const iterator = asCompleted([]);
    expect(iterator[Symbol.asyncIterator]()).toBe(iterator);
  });

  describe('timeout', () => {
    it('throws TimeoutError naming how many are unfinished, after yielding the done ones', async () => {
      const cancelled = make.cancelled();
      const ok = make.succeeded(1);
      const pending = make.pending();
      const running = make.running();
      const { yielded, error } = await collect(asCompleted([cancelled, pending, running, ok], { timeout: 20 }));
      expect(new Set(yielded)).toEqual(new Set([cancelled, ok]));
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toBe('2 (of 4) futures unfinished after 20ms');
      expect(pending.state).toBe('pending'); // the futures themselves are untouched
    });

    it('timeout: 0 with every future done yields them all', async () => {
      const fs = [make.succeeded(1), make.failed(), make.cancelled()];
      const { yielded, error } = await collect(asCompleted(fs, { timeout: 0 }));
      expect(error).toBeUndefined();
      expect(yielded).toEqual(fs);
    });

    it('timeout: 0 with some pending yields the done ones, then throws at once', async () => {
      const ok = make.succeeded(1);
      const pending = make.pending();
      const iterator = asCompleted([ok, pending], { timeout: 0 });
      expect((await iterator.next()).value).toBe(ok);
      const next = iterator.next();
      expect(await promiseState(next)).toBe('rejected');
      await expect(next).rejects.toThrow('1 (of 2) futures unfinished after 0ms');
    });

    it('is counted from the call, not from the first next()', async () => {
      const pending = make.pending();
      const iterator = asCompleted([pending], { timeout: 20 });
      await sleep(40);
      const next = iterator.next();
      expect(await promiseState(next)).toBe('rejected');
      await expect(next).rejects.toBeInstanceOf(TimeoutError);
    });

    it('does not fire when everything completes in time', async () => {
      const pending = make.pending();
      const iterator = asCompleted([pending], { timeout: 30 });
      pending.setResult(1);
      expect((await collect(iterator)).error).toBeUndefined();
      await sleep(40); // a stray timer would reject into the void: nothing happens
    });

    it('ends the iteration after the timeout and removes its listeners', async () => {
      const pending = make.pending();
      const tracked = trackListeners(pending);
      const iterator = asCompleted([pending], { timeout: 5 });
      expect(tracked.active).toBe(1);
      await expect(iterator.next()).rejects.toThrow(TimeoutError);
      expect(tracked.active).toBe(0);
      pending.setResult(1);
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });
  });

  describe('stopping early', () => {
    it('break stops listening to the remaining futures', async () => {
      const ok = make.succeeded(1);
      const [a, b] = [make.pending(), make.pending()];
      const tracked = [trackListeners(a), trackListeners(b)];
      const iterator = asCompleted([ok, a, b]);
      expect(tracked.map((t) => t.active)).toEqual([1, 1]);
      for await (const future of iterator) {
        expect(future).toBe(ok);
        break;
      }
      expect(tracked.map((t) => t.active)).toEqual([0, 0]);
      a.setResult(1);
      b.setResult(2);
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });

    it('removes every listener once it has yielded everything', async () => {
      const a = make.pending();
      const tracked = trackListeners(a);
      const iterator = asCompleted([a]);
      a.setResult(1);
      await collect(iterator);
      expect(tracked.active).toBe(0);
    });
  });

  it('concurrent next() calls each get their own future', async () => {
    const [a, b] = [make.pending(), make.pending()];
    const iterator = asCompleted([a, b]);
    const first = iterator.next();
    const second = iterator.next();
    const third = iterator.next();
    b.setResult('b');
    a.setResult('a');
    const steps = await Promise.all([first, second, third]);
    expect(steps.map((s) => s.value)).toEqual([b, a, undefined]);
    expect(steps[2]!.done).toBe(true);
  });

  it('return() answers a next() that is still waiting with done', async () => {
    const pending = make.pending();
    const iterator = asCompleted([pending]);
    const waiting = iterator.next();
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('on timeout, the oldest waiting next() rejects and later ones end', async () => {
    const iterator = asCompleted([make.pending(), make.pending()], { timeout: 10 });
    const first = iterator.next();
    const second = iterator.next();
    await expect(first).rejects.toThrow('2 (of 2) futures unfinished after 10ms');
    expect(await second).toEqual({ done: true, value: undefined });
  });

  describe('bad arguments', () => {
    it('a bad timeout names the option', () => {
      expect(() => asCompleted([], { timeout: -1 })).toThrow(RangeError);
      expect(() => asCompleted([], { timeout: -1 })).toThrow('timeout must be >= 0 milliseconds, got -1');
      expect(() => asCompleted([], { timeout: 'x' as never })).toThrow(TypeError);
    });

    it('an unknown option, a non-iterable or a non-future is a TypeError', () => {
      expect(() => asCompleted([], { timeot: 5 } as never)).toThrow('asCompleted: unknown option "timeot"');
      expect(() => asCompleted(5 as never)).toThrow('asCompleted expects an iterable of futures');
      expect(() => asCompleted([{ then() {} }] as never)).toThrow('asCompleted expects futures, got object in the list');
    });
  });
});
