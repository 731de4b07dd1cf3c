/**
 * The plain-data form of the shared primitives: what a primitive becomes when it crosses to
 * another thread through `postMessage` (structured clone keeps own enumerable fields and
 * shares `SharedArrayBuffer`s), and what `X.from(data)` / `fromTransferable` revive.
 */

import { describe } from './validate.js';

/** The key that marks an object as the plain-data form of a shared primitive; its value is the kind. */
export const SHARED_KEY = '@futures/shared';

/** The kinds of shared primitive. */
export type SharedKind = 'Lock' | 'Semaphore' | 'BoundedSemaphore' | 'Event' | 'Value' | 'SharedArray' | 'Queue';

/** The plain-data form of a primitive of kind `K` whose state lives in `buffer`. */
export interface SharedData<K extends SharedKind = SharedKind> {
  /** Marks the object as a shared primitive, and says which. */
  readonly [SHARED_KEY]: K;
  /** The shared memory holding the primitive's state. */
  readonly buffer: SharedArrayBuffer;
}

const KINDS: ReadonlySet<string> = new Set<SharedKind>(['Lock', 'Semaphore', 'BoundedSemaphore', 'Event', 'Value', 'SharedArray', 'Queue']);

/** True when `value` is the plain-data form (or an instance) of a shared primitive. */
export function isSharedData(value: unknown): value is SharedData {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as Record<string, unknown>)[SHARED_KEY];
  return typeof kind === 'string' && KINDS.has(kind) && (value as { buffer?: unknown }).buffer instanceof SharedArrayBuffer;
}

/**
 * Checks that `data` is the plain form of one of `kinds` with a buffer of at least `minBytes`
 * bytes (exactly `minBytes` when `exact`), for `where` (e.g. `Lock.from`). Returns the buffer.
 */
export function checkData(where: string, data: unknown, kinds: readonly SharedKind[], minBytes: number, exact = true): SharedArrayBuffer {
  if (typeof data !== 'object' || data === null) {
    throw new TypeError(`${where}: data must be the plain form of a ${kinds.join(' or ')}, got ${describe(data)}`);
  }
  const kind = (data as Record<string, unknown>)[SHARED_KEY];
  if (typeof kind !== 'string' || !(kinds as readonly string[]).includes(kind)) {
    throw new TypeError(`${where}: data[${JSON.stringify(SHARED_KEY)}] must be ${kinds.map((k) => JSON.stringify(k)).join(' or ')}, got ${describe(kind)}`);
  }
  const buffer = (data as { buffer?: unknown }).buffer;
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`${where}: data.buffer must be a SharedArrayBuffer, got ${describe(buffer)}`);
  }
  if (exact ? buffer.byteLength !== minBytes : buffer.byteLength < minBytes) {
    throw new RangeError(`${where}: data.buffer must be ${exact ? '' : 'at least '}${minBytes} bytes long, got ${buffer.byteLength}`);
  }
  return buffer;
}

let reviving: SharedArrayBuffer | undefined;

/**
 * Runs `construct` (a `new X(...)`) so that the constructor adopts `buffer` through
 * {@link adoptBuffer} instead of allocating fresh state: how `X.from(data)` revives.
 */
export function reviveWith<T>(buffer: SharedArrayBuffer, construct: () => T): T {
  reviving = buffer;
  try {
    return construct();
  } finally {
    reviving = undefined;
  }
}

/** In a constructor: the buffer to adopt when called from {@link reviveWith}, else undefined. */
export function adoptBuffer(): SharedArrayBuffer | undefined {
  const buffer = reviving;
  reviving = undefined;
  return buffer;
}
