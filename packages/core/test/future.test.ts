import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, Future, InvalidStateError, TimeoutError, type FutureState } from '../src/index.js';
import { deferred, macrotask, make, promiseState, sleep } from './helpers.js';

type Kind = 'pending' | 'running' | 'cancelled' | 'succeeded' | 'failed';

function futureIn(kind: Kind): Future<number> {
  switch (kind) {
    case 'pending':
      return make.pending<number>();
    case 'running':
      return make.running<number>();
    case 'cancelled':
      return make.cancelled<number>();
    case 'succeeded':
      return make.succeeded(42);
    case 'failed':
      return make.failed<number>(new RangeError('boom'));
  }
}

describe('Future states', () => {
  const table: { kind: Kind; state: FutureState; cancelled: boolean; running: boolean; done: boolean }[] = [
    { kind: 'pending', state: 'pending', cancelled: false, running: false, done: false },
    { kind: 'running', state: 'running', cancelled: false, running: true, done: false },
    { kind: 'cancelled', state: 'cancelled', cancelled: true, running: false, done: true },
    { kind: 'succeeded', state: 'finished', cancelled: false, running: false, done: true },
    { kind: 'failed', state: 'finished', cancelled: false, running: false, done: true },
  ];

  it.each(table)('$kind: state=$state cancelled()=$cancelled running()=$running done()=$done', (row) => {
    const future = futureIn(row.kind);
    expect(future.state).toBe(row.state);
    expect(future.cancelled()).toBe(row.cancelled);
    expect(future.running()).toBe(row.running);
    expect(future.done()).toBe(row.done);
  });

  const cancelTable: { kind: Kind; returns: boolean; after: FutureState }[] = [
    { kind: 'pending', returns: true, after: 'cancelled' },
    { kind: 'running', returns: false, after: 'running' },
    { kind: 'cancelled', returns: true, after: 'cancelled' },
    { kind: 'succeeded', returns: false, after: 'finished' },
    { kind: 'failed', returns: false, after: 'finished' },
  ];

  it.each(cancelTable)('cancel() on a $kind future returns $returns and leaves it $after', ({ kind, returns, after }) => {
    const future = futureIn(kind);
    expect(future.cancel()).toBe(returns);
    expect(future.state).toBe(after);
    expect(future.cancel()).toBe(returns); // asking again changes nothing
    expect(future.state).toBe(after);
  });

  it('a running future can still finish with a result or an error', async () => {
    const ok = make.running<number>();
    ok.setResult(7);
    expect(ok.state).toBe('finished');
    expect(await ok.result()).toBe(7);

    const bad = make.running<number>();
    const error = new Error('nope');
    bad.setException(error);
    expect(await bad.exception()).toBe(error);
  });

  it('gives every future a distinct, increasing id and keeps its name', () => {
    const a = new Future();
    const b = new Future({ name: 'square' });
    expect(b.id).toBeGreaterThan(a.id);
    expect(a.name).toBeUndefined();
    expect(b.name).toBe('square');
  });
});

describe('setters and setRunningOrNotifyCancel', () => {
  it('setRunningOrNotifyCancel marks a pending future running and returns true', () => {
    const future = new Future();
    expect(future.setRunningOrNotifyCancel()).toBe(true);
    expect(future.running()).toBe(true);
    expect(future.cancel()).toBe(false);
  });

  it('setRunningOrNotifyCancel returns false for a cancelled future (the executor must not run it)', () => {
    const future = make.cancelled();
    expect(future.setRunningOrNotifyCancel()).toBe(false);
    expect(future.state).toBe('cancelled');
  });

  it.each(['running', 'succeeded', 'failed'] as const)('setRunningOrNotifyCancel throws InvalidStateError on a %s future', (kind) => {
    const future = futureIn(kind);
    const before = future.state;
    expect(() => future.setRunningOrNotifyCancel()).toThrow(InvalidStateError);
    expect(() => future.setRunningOrNotifyCancel()).toThrow(new RegExp(`Future #${future.id} is ${before}: cannot mark it running`));
    expect(future.state).toBe(before);
  });

  it('setResult on a finished future throws InvalidStateError and keeps the first result', async () => {
    const future = new Future<number>();
    future.setResult(1);
    expect(() => future.setResult(2)).toThrow(InvalidStateError);
    expect(() => future.setResult(2)).toThrow(/already finished: setResult is not allowed/);
    expect(future.done()).toBe(true);
    expect(await future.result()).toBe(1);
  });

  it('setException on a failed future throws InvalidStateError and keeps the first error', async () => {
    const future = new Future<number>();
    const first = new TypeError('first');
    future.setException(first);
    expect(() => future.setException(new Error('second'))).toThrow(/already finished: setException is not allowed/);
    expect(() => future.setResult(3)).toThrow(InvalidStateError);
    expect(await future.exception()).toBe(first);
  });

  it('setters on a cancelled future throw InvalidStateError naming the state', () => {
    const future = make.cancelled<number>();
    expect(() => future.setResult(1)).toThrow(/is already cancelled: setResult/);
    expect(() => future.setException(new Error('x'))).toThrow(/is already cancelled: setException/);
    expect(future.cancelled()).toBe(true);
  });

  it('InvalidStateError from a setter has its stable code', () => {
    const future = make.succeeded(1);
    try {
      future.setResult(2);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidStateError);
      expect((error as InvalidStateError).code).toBe('ERR_FUTURE_INVALID_STATE');
    }
  });
});

describe('done callbacks', () => {
  let reported: { error: unknown; future: Future<unknown> }[];
  const originalReporter = Future.reportCallbackError;

  beforeEach(() => {
    reported = [];
    Future.reportCallbackError = (error, future) => {
      reported.push({ error, future });
    };
  });
  afterEach(() => {
    Future.reportCallbackError = originalReporter;
  });

  it('runs on result, with the future as argument', async () => {
    const future = new Future<number>();
    const seen: Future<number>[] = [];
    future.addDoneCallback((f) => seen.push(f));
    expect(seen).toHaveLength(0);
    future.setResult(5);
    expect(seen).toEqual([future]);
    expect(await seen[0]!.result()).toBe(5);
  });

  it('runs on exception', async () => {
    const future = new Future<number>();
    const error = new Error('test');
    let seen: unknown;
    future.addDoneCallback((f) => {
      seen = f.exception();
    });
    future.setException(error);
    expect(await seen).toBe(error);
  });

  it('runs on cancel, and sees the future cancelled', () => {
    const future = new Future();
    let wasCancelled: boolean | undefined;
    future.addDoneCallback((f) => (wasCancelled = f.cancelled()));
    expect(future.cancel()).toBe(true);
    expect(wasCancelled).toBe(true);
  });

  it('does not run when the future merely starts running', () => {
    const future = new Future();
    const callback = vi.fn();
    future.addDoneCallback(callback);
    future.setRunningOrNotifyCancel();
    expect(callback).not.toHaveBeenCalled();
    future.setResult(1);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it.each(['succeeded', 'failed', 'cancelled'] as const)('runs at once when added to an already %s future', (kind) => {
    const future = futureIn(kind);
    const callback = vi.fn();
    future.addDoneCallback(callback);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledWith(future);
  });

  it('runs callbacks in the order they were added, once each', () => {
    const future = new Future();
    const order: number[] = [];
    for (let i = 0; i < 5; i++) future.addDoneCallback(() => order.push(i));
    future.setResult(undefined);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    future.cancel(); // a done future: nothing runs again
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('a callback added from inside a callback runs at once', () => {
    const future = new Future();
    const order: string[] = [];
    future.addDoneCallback((f) => {
      order.push('outer');
      f.addDoneCallback(() => order.push('inner'));
      order.push('outer end');
    });
    future.addDoneCallback(() => order.push('second'));
    future.setResult(1);
    expect(order).toEqual(['outer', 'inner', 'outer end', 'second']);
  });

  it('a throwing callback is reported through Future.reportCallbackError and the others still run', () => {
    const future = new Future<number>({ name: 'cb' });
    const error = new Error('doh!');
    const calls: string[] = [];
    future.addDoneCallback(() => calls.push('first'));
    future.addDoneCallback(() => {
      calls.push('raising');
      throw error;
    });
    future.addDoneCallback(() => calls.push('last'));
    expect(() => future.setResult(5)).not.toThrow();
    expect(calls).toEqual(['first', 'raising', 'last']);
    expect(reported).toEqual([{ error, future }]);
    expect(future.state).toBe('finished');
  });

  it('a throwing callback on an already-done future is reported, not thrown from addDoneCallback', () => {
    const future = make.succeeded(5);
    const error = new Error('doh!');
    expect(() =>
      future.addDoneCallback(() => {
        throw error;
      }),
    ).not.toThrow();
    expect(reported).toEqual([{ error, future }]);
  });

  it('the default reporter prints the error with the future named (not swallowed)', () => {
    Future.reportCallbackError = originalReporter;
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const future = new Future({ name: 'loud' });
      const error = new Error('doh!');
      future.addDoneCallback(() => {
        throw error;
      });
      future.setResult(1);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0]).toMatch(new RegExp(`exception calling callback for Future #${future.id} \\(loud\\) finished`));
      expect(spy.mock.calls[0]![1]).toBe(error);
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects a callback that is not a function', () => {
    const future = new Future();
    expect(() => future.addDoneCallback('nope' as never)).toThrow(TypeError);
    expect(() => future.addDoneCallback(undefined as never)).toThrow('addDoneCallback expects a function');
  });
});

describe('result() and exception()', () => {
  it('result() resolves when the result is set later', async () => {
    const future = new Future<number>();
    const result = future.result();
    expect(await promiseState(result)).toBe('pending');
    future.setResult(42);
    expect(await result).toBe(42);
  });

  it("result() rejects with the task's own error (the same object)", async () => {
    const future = new Future<number>();
    const error = new SyntaxError('bad');
    const result = future.result();
    future.setException(error);
    await expect(result).rejects.toBe(error);
    await expect(future.result()).rejects.toBe(error);
  });

  it('a non-Error exception is given back as it is', async () => {
    const future = make.failed<number>('just a string');
    await expect(future.result()).rejects.toBe('just a string');
    expect(await future.exception()).toBe('just a string');
  });

  it('exception() gives the error, or undefined on success', async () => {
    const error = new Error('x');
    expect(await make.failed(error).exception()).toBe(error);
    expect(await make.succeeded(1).exception()).toBeUndefined();
    const later = new Future();
    const exception = later.exception();
    later.setException(error);
    expect(await exception).toBe(error);
  });

  it('result() and exception() reject with CancelledError on a cancelled future', async () => {
    const future = make.cancelled();
    await expect(future.result()).rejects.toBeInstanceOf(CancelledError);
    await expect(future.exception()).rejects.toBeInstanceOf(CancelledError);
    await expect(future.result()).rejects.toThrow(`Future #${future.id} was cancelled`);
  });

  it('a waiting result() rejects with CancelledError when the future is cancelled', async () => {
    const future = new Future({ name: 'job' });
    const result = future.result({ timeout: 5_000 });
    const exception = future.exception();
    future.cancel();
    await expect(result).rejects.toThrow(CancelledError);
    await expect(result).rejects.toThrow(/\(job\) was cancelled/);
    await expect(exception).rejects.toThrow(CancelledError);
  });

  describe('timeout', () => {
    it('rejects with TimeoutError when the timeout passes; the future is unaffected', async () => {
      const future = new Future<number>({ name: 'slow' });
      const error = await future.result({ timeout: 20 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).code).toBe('ERR_FUTURE_TIMEOUT');
      expect((error as Error).message).toBe(`Future #${future.id} (slow) did not complete within 20ms`);
      expect(future.state).toBe('pending');
      await expect(future.exception({ timeout: 20 })).rejects.toThrow(TimeoutError);
      future.setResult(3);
      expect(await future.result()).toBe(3);
    });

    it('resolves when the future finishes before the timeout', async () => {
      const future = new Future<number>();
      const result = future.result({ timeout: 10_000 });
      setTimeout(() => future.setResult(9), 5);
      expect(await result).toBe(9);
    });

    it('timeout: 0 on a pending or running future rejects with TimeoutError at once', async () => {
      for (const future of [make.pending(), make.running()]) {
        const result = future.result({ timeout: 0 });
        const exception = future.exception({ timeout: 0 });
        expect(await Promise.all([promiseState(result), promiseState(exception)])).toEqual(['rejected', 'rejected']);
        await expect(result).rejects.toThrow(/did not complete within 0ms/);
        await expect(exception).rejects.toThrow(TimeoutError);
      }
    });

    it('timeout: 0 on a done future answers at once', async () => {
      const ok = make.succeeded(42);
      const error = new RangeError('r');
      const bad = make.failed(error);
      const cancelled = make.cancelled();
      // Settled within the same macrotask: no timer was involved.
      const answers = [ok.result({ timeout: 0 }), ok.exception({ timeout: 0 }), bad.result({ timeout: 0 }), bad.exception({ timeout: 0 }), cancelled.result({ timeout: 0 }), cancelled.exception({ timeout: 0 })];
      expect(await Promise.all(answers.map(promiseState))).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected']);
      expect(await answers[0]).toBe(42);
      expect(await answers[1]).toBeUndefined();
      await expect(answers[2]).rejects.toBe(error);
      expect(await answers[3]).toBe(error);
      await expect(answers[4]).rejects.toThrow(CancelledError);
      await expect(answers[5]).rejects.toThrow(CancelledError);
    });

    it('timeout: Infinity waits for ever (like no timeout)', async () => {
      const future = new Future<number>();
      const result = future.result({ timeout: Infinity });
      await sleep(5);
      expect(await promiseState(result)).toBe('pending');
      future.setResult(1);
      expect(await result).toBe(1);
    });
  });

  describe('signal', () => {
    it('an abort rejects the wait with signal.reason; the future is unaffected', async () => {
      const future = new Future<number>();
      const controller = new AbortController();
      const reason = new Error('stop waiting');
      const result = future.result({ signal: controller.signal });
      const exception = future.exception({ signal: controller.signal });
      expect(await promiseState(result)).toBe('pending');
      controller.abort(reason);
      await expect(result).rejects.toBe(reason);
      await expect(exception).rejects.toBe(reason);
      expect(future.state).toBe('pending');
      future.setResult(1);
      expect(await future.result({ signal: controller.signal })).toBe(1); // done wins over the aborted signal
    });

    it('an already-aborted signal rejects at once for a pending future', async () => {
      const future = new Future();
      const result = future.result({ signal: AbortSignal.abort('gone') });
      expect(await promiseState(result)).toBe('rejected');
      await expect(result).rejects.toBe('gone');
      expect(future.state).toBe('pending');
    });

    it('the default abort reason is an AbortError DOMException', async () => {
      const controller = new AbortController();
      const result = new Future().result({ signal: controller.signal });
      controller.abort();
      await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    });

    it('a wait ended by its timeout is not affected by a later abort, and vice versa', async () => {
      const controller = new AbortController();
      const future = new Future();
      await expect(future.result({ timeout: 5, signal: controller.signal })).rejects.toThrow(TimeoutError);
      controller.abort(new Error('late'));
      const second = new AbortController();
      const result = future.result({ timeout: 30, signal: second.signal });
      second.abort('first');
      await expect(result).rejects.toBe('first');
      await sleep(40); // the timer was cleared: no second settlement, nothing thrown
      expect(future.state).toBe('pending');
    });
  });

  describe('bad options', () => {
    it.each([
      [{ timeout: -1 }, RangeError, 'timeout must be >= 0 milliseconds, got -1'],
      [{ timeout: 'soon' }, TypeError, 'timeout must be a number of milliseconds, got "soon"'],
      [{ timeout: Number.NaN }, TypeError, 'timeout must be a number of milliseconds, got NaN'],
      [{ signal: {} }, TypeError, 'signal must be an AbortSignal, got an object'],
      [{ timout: 10 }, TypeError, 'unknown option "timout"'],
      [1000, TypeError, 'options must be an object, got 1000'],
    ] as const)('%j gives a %o naming the option', async (options, type, message) => {
      for (const future of [make.pending(), make.succeeded(1)]) {
        await expect(async () => future.result(options as never)).rejects.toThrow(type);
        await expect(async () => future.result(options as never)).rejects.toThrow(message);
        await expect(async () => future.exception(options as never)).rejects.toThrow(message);
      }
    });
  });
});

describe('thenable', () => {
  it('await future gives the result', async () => {
    const future = new Future<string>();
    setTimeout(() => future.setResult('done'), 1);
    expect(await future).toBe('done');
    expect(await future).toBe('done'); // again
  });

  it('await future throws the error', async () => {
    const error = new Error('failed');
    const future = new Future<number>();
    queueMicrotask(() => future.setException(error));
    await expect((async () => await future)()).rejects.toBe(error);
    await expect((async () => await future)()).rejects.toBe(error);
  });

  it('await future throws CancelledError when cancelled', async () => {
    const future = new Future();
    queueMicrotask(() => future.cancel());
    await expect((async () => await future)()).rejects.toBeInstanceOf(CancelledError);
  });

  it('Promise.resolve(future) adopts the future: it gives the result, not the future', async () => {
    const future = make.succeeded({ value: 1 });
    const adopted = await Promise.resolve(future);
    expect(adopted).toEqual({ value: 1 });
    expect(adopted).not.toBeInstanceOf(Future);
    const asyncReturn = async () => future;
    expect(await asyncReturn()).toEqual({ value: 1 });
    expect(await Promise.all([make.succeeded(1), make.succeeded(2)])).toEqual([1, 2]);
  });

  it('then() supports both handlers and chaining', async () => {
    const error = new Error('e');
    expect(await make.succeeded(2).then((v) => v * 10)).toBe(20);
    expect(await make.failed<number>(error).then(undefined, (e: unknown) => e)).toBe(error);
    expect(await make.failed<number>(error).then((v) => v, () => 'recovered')).toBe('recovered');
  });

  it('a failed future that nobody awaits does not cause an unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const future = new Future();
      future.setException(new Error('nobody listens'));
      make.failed(new Error('nobody listens either'));
      const awaitedLater = new Future();
      void awaitedLater.then(undefined, () => {});
      awaitedLater.setException(new Error('handled'));
      await macrotask();
      await macrotask();
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('await does not wait on a timer: an awaited future that settles later resolves', async () => {
    const gate = deferred<number>();
    const future = new Future<number>();
    void gate.promise.then((v) => future.setResult(v));
    const awaited = (async () => await future)();
    gate.resolve(11);
    expect(await awaited).toBe(11);
  });
});

describe('printing', () => {
  it('toString() names the future and its state', () => {
    const plain = new Future();
    expect(String(plain)).toBe(`Future #${plain.id} pending`);
    const named = make.succeeded(1);
    expect(named.toString()).toBe(`Future #${named.id} finished`);
    const labelled = new Future({ name: 'square' });
    labelled.cancel();
    expect(`${labelled}`).toBe(`Future #${labelled.id} (square) cancelled`);
  });

  it('util.inspect shows the state and the outcome', () => {
    const pending = new Future({ name: 'sq' });
    expect(inspect(pending)).toBe(`<Future #${pending.id} (sq) state=pending>`);
    const running = make.running();
    expect(inspect(running)).toBe(`<Future #${running.id} state=running>`);
    const cancelled = make.cancelled();
    expect(inspect(cancelled)).toBe(`<Future #${cancelled.id} state=cancelled>`);
    const ok = make.succeeded(5);
    expect(inspect(ok)).toBe(`<Future #${ok.id} state=finished returned>`);
    const failed = make.failed(new RangeError('x'));
    expect(inspect(failed)).toBe(`<Future #${failed.id} state=finished raised RangeError>`);
    const thrownString = make.failed('oops');
    expect(inspect(thrownString)).toBe(`<Future #${thrownString.id} state=finished raised oops>`);
    expect(inspect({ nested: ok })).toContain(`<Future #${ok.id} state=finished returned>`);
  });
});
