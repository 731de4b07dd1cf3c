/**
 * Error transport for backends that run tasks in another thread or process: an error becomes
 * plain data that survives structured clone (and JSON), and is rebuilt on the other side with
 * its class, message, stack, `cause` and own fields. One format for every backend.
 */

/** An error (or any thrown value) as plain data. */
export type SerializedError =
  | { readonly kind: 'value'; readonly value: unknown }
  | {
      readonly kind: 'error';
      /** The constructor's name, e.g. `TypeError` or `ValidationError`. */
      readonly className: string;
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly cause?: SerializedError;
      readonly errors?: readonly SerializedError[];
      /** Own enumerable fields other than the standard ones (e.g. `code`, `details`). */
      readonly fields: Record<string, unknown>;
    };

const BUILT_IN: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

const STANDARD_KEYS = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/**
 * Turns a thrown value into plain data. Own fields that cannot be copied by structured clone
 * (functions, symbols) are replaced by a short description, so the error always crosses.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error) && !looksLikeError(error)) return { kind: 'value', value: copyable(error) };
  const source = error as Error & { errors?: unknown };
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (!STANDARD_KEYS.has(key)) fields[key] = copyable((source as unknown as Record<string, unknown>)[key]);
  }
  const className = (Object.getPrototypeOf(source) as { constructor?: { name?: string } } | null)?.constructor?.name || 'Error';
  return {
    kind: 'error',
    className,
    name: String(source.name),
    message: String(source.message),
    stack: typeof source.stack === 'string' ? source.stack : undefined,
    ...(source.cause !== undefined && depth < 8 ? { cause: serializeError(source.cause, depth + 1) } : {}),
    ...(Array.isArray(source.errors) && depth < 8 ? { errors: source.errors.map((inner) => serializeError(inner, depth + 1)) } : {}),
    fields,
  };
}

/**
 * Rebuilds an error from {@link serializeError}'s data. Built-in classes come back as
 * themselves; other classes are looked up by name in `classes` (e.g. the task module's
 * exports) and otherwise come back as `Error` with the original `name`.
 */
export function deserializeError(data: SerializedError, classes?: Readonly<Record<string, unknown>>): unknown {
  if (data.kind === 'value') return data.value;
  const errors = data.errors?.map((inner) => deserializeError(inner, classes));
  let error: Error;
  const custom = classes?.[data.className];
  if (typeof custom === 'function' && custom.prototype instanceof Error) {
    error = Object.create(custom.prototype as object) as Error;
    Object.defineProperty(error, 'message', { value: data.message, writable: true, configurable: true });
  } else if (data.className === 'AggregateError') {
    error = new AggregateError(errors ?? [], data.message);
  } else {
    error = new (BUILT_IN[data.className] ?? Error)(data.message);
  }
  if (error.name !== data.name) Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true });
  Object.defineProperty(error, 'stack', { value: data.stack ?? `${data.name}: ${data.message}`, writable: true, configurable: true });
  if (data.cause !== undefined) Object.defineProperty(error, 'cause', { value: deserializeError(data.cause, classes), writable: true, configurable: true });
  if (errors !== undefined && data.className !== 'AggregateError') (error as Error & { errors?: unknown }).errors = errors;
  Object.assign(error, data.fields);
  return error;
}

function looksLikeError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Error]';
}

/** `value` if structured clone can copy it, else a description of it. */
function copyable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return `[uncloneable ${typeof value === 'function' ? `function ${(value as { name?: string }).name || 'anonymous'}` : typeof value}]`;
  }
}
