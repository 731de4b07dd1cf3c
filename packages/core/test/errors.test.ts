import { describe, expect, it } from 'vitest';
import {
  BrokenExecutorError,
  CancelledError,
  ExecutorShutdownError,
  FuturesError,
  InvalidStateError,
  QueueFullError,
  TaskTimeoutError,
  TimeoutError,
  WorkerCrashedError,
  isFuturesError,
  type FuturesErrorCode,
} from '../src/index.js';

interface Row {
  readonly name: string;
  readonly code: FuturesErrorCode;
  /** Builds the error with the given message and cause. */
  readonly make: (message: string, cause?: unknown) => FuturesError;
  /** The message when none is given, for the classes that have a default. */
  readonly defaultMessage?: string;
  readonly makeDefault?: () => FuturesError;
}

const rows: Row[] = [
  {
    name: 'CancelledError',
    code: 'ERR_FUTURE_CANCELLED',
    make: (m, cause) => new CancelledError(m, cause === undefined ? undefined : { cause }),
    makeDefault: () => new CancelledError(),
    defaultMessage: 'The future was cancelled',
  },
  {
    name: 'TimeoutError',
    code: 'ERR_FUTURE_TIMEOUT',
    make: (m, cause) => new TimeoutError(m, cause === undefined ? undefined : { cause }),
    makeDefault: () => new TimeoutError(),
    defaultMessage: 'The operation timed out',
  },
  { name: 'InvalidStateError', code: 'ERR_FUTURE_INVALID_STATE', make: (m, cause) => new InvalidStateError(m, { cause }) },
  { name: 'BrokenExecutorError', code: 'ERR_EXECUTOR_BROKEN', make: (m, cause) => new BrokenExecutorError(m, { cause }) },
  {
    name: 'ExecutorShutdownError',
    code: 'ERR_EXECUTOR_SHUTDOWN',
    make: (m, cause) => new ExecutorShutdownError(m, { cause }),
    makeDefault: () => new ExecutorShutdownError(),
    defaultMessage: 'cannot schedule new futures after shutdown',
  },
  { name: 'QueueFullError', code: 'ERR_EXECUTOR_QUEUE_FULL', make: (m, cause) => new QueueFullError(m, { cause }) },
  { name: 'TaskTimeoutError', code: 'ERR_TASK_TIMEOUT', make: (m, cause) => new TaskTimeoutError(m, 100, { cause }) },
  { name: 'WorkerCrashedError', code: 'ERR_WORKER_CRASHED', make: (m, cause) => new WorkerCrashedError(m, {}, { cause }) },
];

describe('error classes', () => {
  it.each(rows)('$name: instanceof Error and FuturesError, name, code, message, cause', ({ name, code, make }) => {
    const cause = new Error('underlying');
    const error = make('something happened', cause);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(FuturesError);
    expect(error.name).toBe(name);
    expect(error.constructor.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe('something happened');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe(`${name}: something happened`);
    expect(error.stack).toContain(name);
    expect(isFuturesError(error)).toBe(true);
    expect(isFuturesError(error, code)).toBe(true);
  });

  it.each(rows)('$name: without a cause there is no cause property', ({ make }) => {
    const error = make('no cause');
    expect('cause' in error).toBe(false);
  });

  it.each(rows.filter((row) => row.makeDefault !== undefined))('$name has a default message', ({ makeDefault, defaultMessage }) => {
    expect(makeDefault!().message).toBe(defaultMessage);
  });

  it('every class has its own code', () => {
    expect(new Set(rows.map((row) => row.code)).size).toBe(rows.length);
  });

  it('isFuturesError with another code is false', () => {
    for (const row of rows) {
      for (const other of rows) {
        if (other.code !== row.code) expect(isFuturesError(row.make('x'), other.code)).toBe(false);
      }
    }
  });

  it('FuturesError itself takes the code first', () => {
    const error = new FuturesError('ERR_FUTURE_TIMEOUT', 'base', { cause: 'why' });
    expect(error.name).toBe('FuturesError');
    expect(error.code).toBe('ERR_FUTURE_TIMEOUT');
    expect(error.cause).toBe('why');
  });

  it('TaskTimeoutError keeps its limit', () => {
    const error = new TaskTimeoutError('task slow timed out after 20ms', 20);
    expect(error.timeout).toBe(20);
  });

  it('WorkerCrashedError keeps the exit code and signal', () => {
    const exited = new WorkerCrashedError('worker exited with code 3', { exitCode: 3 });
    expect(exited.exitCode).toBe(3);
    expect(exited.signal).toBeUndefined();
    const killed = new WorkerCrashedError('worker killed by SIGKILL', { signal: 'SIGKILL' });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.exitCode).toBeUndefined();
    expect(new WorkerCrashedError('no details').exitCode).toBeUndefined();
  });

  it('a backend subclass of BrokenExecutorError keeps its own name and the base code', () => {
    class ProcessPoolBrokenError extends BrokenExecutorError {}
    const error = new ProcessPoolBrokenError('a child process died');
    expect(error).toBeInstanceOf(BrokenExecutorError);
    expect(error.name).toBe('ProcessPoolBrokenError');
    expect(error.code).toBe('ERR_EXECUTOR_BROKEN');
    expect(isFuturesError(error, 'ERR_EXECUTOR_BROKEN')).toBe(true);
  });
});

describe('isFuturesError', () => {
  it('is false for plain errors and non-errors', () => {
    for (const value of [new Error('x'), new TypeError('x'), null, undefined, 'ERR_FUTURE_TIMEOUT', 42, {}, []]) {
      expect(isFuturesError(value)).toBe(false);
    }
  });

  it('is false for look-alikes', () => {
    const domTimeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError'); // AbortSignal.timeout()
    expect(domTimeout.name).toBe('TimeoutError');
    expect(isFuturesError(domTimeout)).toBe(false);
    expect(domTimeout).not.toBeInstanceOf(TimeoutError);

    const named = Object.assign(new Error('x'), { name: 'CancelledError' });
    expect(isFuturesError(named)).toBe(false);

    const nodeError = Object.assign(new TypeError('bad arg'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(isFuturesError(nodeError)).toBe(false);

    expect(isFuturesError(Object.assign(new Error('x'), { code: 'ERR_FUTURE_SOMETHING_ELSE' }))).toBe(false);
    expect(isFuturesError({ code: 'ERR_FUTURE_TIMEOUT' })).toBe(false); // no message: not an error
    expect(isFuturesError(Object.assign(new Error('x'), { code: 42 }))).toBe(false);
  });

  it('recognises an error of another copy of the package by its code', () => {
    class TimeoutErrorFromAnotherCopy extends Error {
      readonly code = 'ERR_FUTURE_TIMEOUT';
    }
    const foreign = new TimeoutErrorFromAnotherCopy('timed out');
    expect(foreign).not.toBeInstanceOf(TimeoutError);
    expect(isFuturesError(foreign)).toBe(true);
    expect(isFuturesError(foreign, 'ERR_FUTURE_TIMEOUT')).toBe(true);
    expect(isFuturesError(foreign, 'ERR_FUTURE_CANCELLED')).toBe(false);
  });
});
