import { describe, expect, it, vi } from 'vitest';
import { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, Future, wait, type WaitResult } from '../src/index.js';
import { make, promiseState, trackListeners } from './helpers.js';

describe('wait', () => {
  it('exports the three returnWhen constants with their Python names', () => {
    expect(FIRST_COMPLETED).toBe('FIRST_COMPLETED');
    expect(FIRST_EXCEPTION).toBe('FIRST_EXCEPTION');
    expect(ALL_COMPLETED).toBe('ALL_COMPLETED');
  });

  describe('ALL_COMPLETED (the default)', () => {
    it('returns at once when every future is already done', async () => {
      const fs = [make.succeeded(1), make.failed(), make.cancelled()];
      const result = wait(fs);
      expect(await promiseState(result)).toBe('fulfilled');
      const { done, notDone } = await result;
      expect(done).toEqual(new Set(fs));
      expect(notDone).toEqual(new Set());
    });

    it('waits until the last future is done, whatever the outcomes', async () => {
      const ok = make.succeeded(42);
      const [a, b, c] = [make.pending(), make.running(), make.pending()];
      const result = wait([ok, a, b, c], { returnWhen: ALL_COMPLETED });
      a.setException(new Error('a failed')); // an exception does not end ALL_COMPLETED
      expect(await promiseState(result)).toBe('pending');
      b.setResult(2);
      expect(await promiseState(result)).toBe('pending');
      c.cancel();
      const { done, notDone } = await result;
      expect(done).toEqual(new Set([ok, a, b, c]));
      expect(notDone.size).toBe(0);
    });
  });

  describe('FIRST_COMPLETED', () => {
    it('returns when the first future finishes', async () => {
      const [a, b] = [make.pending(), make.running()];
      const result = wait([a, b], { returnWhen: FIRST_COMPLETED });
      expect(await promiseState(result)).toBe('pending');
      b.setResult('b');
      const { done, notDone } = await result;
      expect(done).toEqual(new Set([b]));
      expect(notDone).toEqual(new Set([a]));
    });

    it('a cancellation counts as completion', async () => {
      const [a, b] = [make.pending(), make.pending()];
      const result = wait([a, b], { returnWhen: FIRST_COMPLETED });
      a.cancel();
      expect(await result).toEqual({ done: new Set([a]), notDone: new Set([b]) });
    });

    it('a failure counts as completion', async () => {
      const [a, b] = [make.pending(), make.pending()];
      const result = wait([a, b], { returnWhen: FIRST_COMPLETED });
      b.setException(new Error('b'));
      expect(await result).toEqual({ done: new Set([b]), notDone: new Set([a]) });
    });

    it('returns at once with every already-done future when some are done', async () => {
      const cancelled = make.cancelled();
      const ok = make.succeeded(5);
      const pending = make.pending();
      const result = wait([cancelled, ok, pending], { returnWhen: FIRST_COMPLETED });
      expect(await promiseState(result)).toBe('fulfilled');
      expect(await result).toEqual({ done: new Set([cancelled, ok]), notDone: new Set([pending]) });
    });
  });

  describe('FIRST_EXCEPTION', () => {
    it('returns when a future fails, with what is done by then', async () => {
      const ok = make.succeeded(42);
      const [a, b, c] = [make.pending(), make.pending(), make.pending()];
      const result = wait([ok, a, b, c], { returnWhen: FIRST_EXCEPTION });
      a.setResult(1); // a success does not end it
      expect(await promiseState(result)).toBe('pending');
      b.setException(new Error('b failed'));
      const { done, notDone } = await result;
      expect(done).toEqual(new Set([ok, a, b]));
      expect(notDone).toEqual(new Set([c]));
    });

    it('returns at once when a future has already failed', async () => {
      const failed = make.failed();
      const pending = make.pending();
      const result = wait([failed, pending], { returnWhen: FIRST_EXCEPTION });
      expect(await promiseState(result)).toBe('fulfilled');
      expect(await result).toEqual({ done: new Set([failed]), notDone: new Set([pending]) });
    });

    it('with no exception, waits for all (like ALL_COMPLETED)', async () => {
      const [a, b] = [make.pending(), make.pending()];
      const result = wait([a, b], { returnWhen: FIRST_EXCEPTION });
      a.setResult(1);
      expect(await promiseState(result)).toBe('pending');
      b.setResult(2);
      expect(await result).toEqual({ done: new Set([a, b]), notDone: new Set() });
    });

    it('a cancelled future is not an exception', async () => {
      const alreadyCancelled = make.cancelled();
      const [a, b] = [make.pending(), make.pending()];
      const result = wait([alreadyCancelled, a, b], { returnWhen: FIRST_EXCEPTION });
      expect(await promiseState(result)).toBe('pending');
      a.cancel();
      expect(await promiseState(result)).toBe('pending');
      b.setResult('b');
      expect(await result).toEqual({ done: new Set([alreadyCancelled, a, b]), notDone: new Set() });
    });

    it('mixed already-done inputs: only the failure ends the wait (Python test_first_exception_some_already_complete)', async () => {
      const ok = make.succeeded(1);
      const cancelled = make.cancelled();
      const failing = make.running();
      const pending = make.pending();
      const result = wait([ok, cancelled, failing, pending], { returnWhen: FIRST_EXCEPTION });
      expect(await promiseState(result)).toBe('pending');
      failing.setException(new RangeError('divide by zero'));
      expect(await result).toEqual({ done: new Set([ok, cancelled, failing]), notDone: new Set([pending]) });
    });
  });

  describe('timeout', () => {
    it('returns { done, notDone } when the timeout passes, without throwing', async () => {
      const ok = make.succeeded(1);
      const failed = make.failed();
      const cancelled = make.cancelled();
      const pending = make.pending();
      const { done, notDone } = await wait([ok, failed, cancelled, pending], { timeout: 20 });
      expect(done).toEqual(new Set([ok, failed, cancelled]));
      expect(notDone).toEqual(new Set([pending]));
      expect(pending.state).toBe('pending');
    });

    it.each([FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED] as const)('applies to %s', async (returnWhen) => {
      const pending = make.running();
      expect(await wait([pending], { timeout: 10, returnWhen })).toEqual({ done: new Set(), notDone: new Set([pending]) });
    });

    it('timeout: 0 answers at once with the current split', async () => {
      const ok = make.succeeded(1);
      const pending = make.pending();
      const result = wait([ok, pending], { timeout: 0 });
      expect(await promiseState(result)).toBe('fulfilled');
      expect(await result).toEqual({ done: new Set([ok]), notDone: new Set([pending]) });
    });

    it('returns early when the condition is met before the timeout', async () => {
      const pending = make.pending();
      const result = wait([pending], { timeout: 10_000 });
      pending.setResult(1);
      expect(await promiseState(result)).toBe('fulfilled');
    });
  });

  describe('inputs', () => {
    it('counts duplicates once (Python issue 20369)', async () => {
      const future = make.succeeded(2);
      const { done, notDone } = await wait([future, future], { returnWhen: ALL_COMPLETED });
      expect(done).toEqual(new Set([future]));
      expect(notDone.size).toBe(0);

      const pending = make.pending();
      const result = wait([pending, pending, pending]);
      pending.setResult(1);
      expect((await result).done).toEqual(new Set([pending]));
    });

    it('accepts any iterable: Set, generator', async () => {
      const a = make.succeeded(1);
      const b = make.succeeded(2);
      expect((await wait(new Set([a, b]))).done.size).toBe(2);
      function* gen(): Generator<Future<number>> {
        yield a;
        yield b;
      }
      expect((await wait(gen())).done).toEqual(new Set([a, b]));
    });

    it('an empty input returns two empty sets at once', async () => {
      const result = wait([]);
      expect(await promiseState(result)).toBe('fulfilled');
      expect(await result).toEqual({ done: new Set(), notDone: new Set() });
    });

    it('returns new sets that are not the input', async () => {
      const input = new Set([make.succeeded(1)]);
      const { done } = await wait(input);
      expect(done).not.toBe(input);
      expect(done).toEqual(input);
    });
  });

  describe('listeners', () => {
    it('removes its listeners after a timeout: a later settlement changes no old result', async () => {
      const future = make.pending();
      const tracked = trackListeners(future);
      const results: WaitResult<Future<unknown>>[] = [];
      for (let i = 0; i < 50; i++) results.push(await wait([future], { timeout: 1 }));
      expect(tracked.added).toBe(50);
      expect(tracked.active).toBe(0);
      future.setResult('late');
      for (const { done, notDone } of results) {
        expect(done.size).toBe(0);
        expect(notDone).toEqual(new Set([future]));
      }
    });

    it('removes its listeners from the futures that are still pending when it returns', async () => {
      const [a, b, c] = [make.pending(), make.pending(), make.pending()];
      const tracked = [trackListeners(a), trackListeners(b), trackListeners(c)];
      const result = wait([a, b, c], { returnWhen: FIRST_COMPLETED });
      expect(tracked.map((t) => t.active)).toEqual([1, 1, 1]);
      b.setResult(1);
      const { done, notDone } = await result;
      expect(tracked.map((t) => t.active)).toEqual([0, 0, 0]);
      a.setResult(2);
      c.cancel();
      expect(done).toEqual(new Set([b]));
      expect(notDone).toEqual(new Set([a, c]));
    });

    it("a wait that completes does not stop the future's other done callbacks", async () => {
      const future = make.pending();
      const result = wait([future]);
      const callback = vi.fn();
      future.addDoneCallback(callback);
      future.setResult(1);
      expect(callback).toHaveBeenCalledTimes(1);
      await result;

      const other = make.pending();
      const first = wait([other], { returnWhen: FIRST_COMPLETED });
      const second = wait([other], { returnWhen: FIRST_COMPLETED });
      other.cancel();
      expect(await promiseState(first)).toBe('fulfilled');
      expect(await promiseState(second)).toBe('fulfilled');
    });
  });

  describe('bad arguments', () => {
    it('an invalid returnWhen is a TypeError naming the choices', () => {
      expect(() => wait([], { returnWhen: 'first_completed' as never })).toThrow(TypeError);
      expect(() => wait([], { returnWhen: 'SOMETIMES' as never })).toThrow('returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED, got SOMETIMES');
    });

    it('a bad timeout names the option', () => {
      expect(() => wait([], { timeout: -5 })).toThrow(RangeError);
      expect(() => wait([], { timeout: -5 })).toThrow('timeout must be >= 0 milliseconds, got -5');
      expect(() => wait([], { timeout: '5' as never })).toThrow(TypeError);
    });

    it('an unknown option is a TypeError', () => {
      expect(() => wait([], { return_when: FIRST_COMPLETED } as never)).toThrow('wait: unknown option "return_when"; known options are timeout, returnWhen');
    });

    it('rejects inputs that are not iterables of futures', () => {
      expect(() => wait(undefined as never)).toThrow('wait expects an iterable of futures');
      expect(() => wait([Promise.resolve(1)] as never)).toThrow('wait expects futures, got object in the list');
      expect(() => wait([null] as never)).toThrow('got null in the list');
    });
  });
});
