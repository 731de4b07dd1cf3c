import { describe, expect, it } from 'vitest';
import { deserializeError, serializeError } from '../src/index.js';

/** Serialize, copy the way a worker message does, and rebuild. */
function roundTrip(error: unknown, classes?: Record<string, unknown>): unknown {
  return deserializeError(structuredClone(serializeError(error)), classes);
}

class ValidationError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

describe('error transport', () => {
  it('keeps built-in classes, message and stack', () => {
    for (const ErrorClass of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) {
      const original = new ErrorClass('went wrong');
      const copy = roundTrip(original) as Error;
      expect(copy).toBeInstanceOf(ErrorClass);
      expect(copy.name).toBe(original.name);
      expect(copy.message).toBe('went wrong');
      expect(copy.stack).toBe(original.stack);
    }
  });

  it('keeps a custom class name and own fields; rebuilds the class when it is given', () => {
    const original = Object.assign(new ValidationError('bad email', 'email'), { code: 'E_VALID', details: { min: 3 } });
    const plain = roundTrip(original) as Error & { field: string; code: string; details: unknown };
    expect(plain).toBeInstanceOf(Error);
    expect(plain).not.toBeInstanceOf(ValidationError);
    expect(plain.name).toBe('ValidationError');
    expect(plain).toMatchObject({ message: 'bad email', field: 'email', code: 'E_VALID', details: { min: 3 } });
    const rebuilt = roundTrip(original, { ValidationError }) as ValidationError;
    expect(rebuilt).toBeInstanceOf(ValidationError);
    expect(rebuilt.field).toBe('email');
    expect(rebuilt.message).toBe('bad email');
    expect(rebuilt.stack).toBe(original.stack);
  });

  it('keeps causes (nested) and AggregateError members', () => {
    const original = new Error('outer', { cause: new TypeError('inner', { cause: 'root' }) });
    const copy = roundTrip(original) as Error;
    expect(copy.cause).toBeInstanceOf(TypeError);
    expect((copy.cause as Error).message).toBe('inner');
    expect((copy.cause as Error).cause).toBe('root');
    const aggregate = roundTrip(new AggregateError([new RangeError('a'), 'b'], 'many')) as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(aggregate.message).toBe('many');
    expect(aggregate.errors[0]).toBeInstanceOf(RangeError);
    expect(aggregate.errors[1]).toBe('b');
  });

  it('passes thrown non-errors through, and describes fields that cannot be copied', () => {
    expect(roundTrip('a string')).toBe('a string');
    expect(roundTrip({ reason: 1 })).toEqual({ reason: 1 });
    expect(roundTrip(undefined)).toBeUndefined();
    const withFunction = Object.assign(new Error('has a function'), { retry: function retryLater() {} });
    expect((roundTrip(withFunction) as { retry: unknown }).retry).toBe('[uncloneable function retryLater]');
    expect(roundTrip(() => 1)).toBe('[uncloneable function anonymous]');
  });

  it('stops following causes after a bounded depth (a cycle cannot hang it)', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const copy = roundTrip(a) as Error;
    expect(copy.message).toBe('a');
    expect((copy.cause as Error).message).toBe('b');
  });
});
