/**
 * Crossing threads. `postMessage` (structured clone) turns a class instance into a plain
 * object of its own fields, so a primitive arrives in a worker as its plain-data form
 * (`{ '@futures/shared': 'Lock', buffer }`): `fromTransferable` turns such data back into
 * working primitives, and `toTransferable` makes the plain form explicitly. Both look inside
 * plain arrays and objects (not Maps, Sets or class instances), down to {@link MAX_TRANSFER_DEPTH} levels.
 *
 * Shared memory crosses worker threads only: a `SharedArrayBuffer` cannot go to a child process.
 */

import { SHARED_KEY, isSharedData, type SharedData } from './data.js';
import { Event, type EventData } from './event.js';
import { Lock, type LockData } from './lock.js';
import { Queue, type QueueData } from './queue.js';
import { Semaphore, type SemaphoreData } from './semaphore.js';
import { SharedArray, type SharedArrayData } from './shared-array.js';
import { Value, type ValueData } from './value.js';

/** Any shared primitive (`BoundedSemaphore` is a `Semaphore`). */
export type SharedPrimitive = Lock | Semaphore | Event | Value | SharedArray | Queue;

/** How many levels of nested arrays and objects the conversions look into. */
export const MAX_TRANSFER_DEPTH = 16;

/** True when `value` is a shared primitive instance (not its plain-data form). */
export function isSharedPrimitive(value: unknown): value is SharedPrimitive {
  return (
    value instanceof Lock ||
    value instanceof Semaphore ||
    value instanceof Event ||
    value instanceof Value ||
    value instanceof SharedArray ||
    value instanceof Queue
  );
}

/**
 * Replaces every shared primitive in `value` (itself, or inside plain arrays and objects) by
 * its plain-data form. Returns `value` itself when it holds none; otherwise copies only the
 * arrays and objects on the way to a primitive. Call it on task arguments before `postMessage`.
 *
 * @example
 * worker.postMessage({ args: toTransferable(args) });
 */
export function toTransferable(value: unknown): unknown {
  return replaceDeep(value, isSharedPrimitive, (primitive) => (primitive as SharedPrimitive).toTransferable());
}

/**
 * Replaces every plain-data form of a shared primitive in `value` (itself, or inside plain
 * arrays and objects) by a working primitive over the same shared memory. Returns `value`
 * itself when it holds none. Call it in the worker on the arguments received, and in the main
 * thread on the results. Throws a `TypeError`/`RangeError` for malformed data.
 *
 * @example
 * const args = fromTransferable(message.args) as unknown[];
 */
export function fromTransferable(value: unknown): unknown {
  return replaceDeep(value, (object) => isSharedData(object) && !isSharedPrimitive(object), (data) => revive(data as SharedData));
}

/** The primitive whose plain-data form is `data`; `Semaphore.from` gives a `BoundedSemaphore` when the data is one. */
function revive(data: SharedData): SharedPrimitive {
  switch (data[SHARED_KEY]) {
    case 'Lock':
      return Lock.from(data as LockData);
    case 'Semaphore':
    case 'BoundedSemaphore':
      return Semaphore.from(data as SemaphoreData);
    case 'Event':
      return Event.from(data as EventData);
    case 'Value':
      return Value.from(data as unknown as ValueData);
    case 'SharedArray':
      return SharedArray.from(data as unknown as SharedArrayData);
    case 'Queue':
      return Queue.from(data as QueueData);
  }
}

/**
 * Copies `root`, replacing the objects that `match` by `replace(object)`. A first pass finds
 * which arrays and plain objects lead to a match, so the rest are kept as they are (no copy).
 * Shared and circular references stay shared and circular in the copy.
 */
function replaceDeep(root: unknown, match: (object: object) => boolean, replace: (object: object) => unknown): unknown {
  if (typeof root !== 'object' || root === null) return root; // the common case: nothing to allocate
  const leadsToMatch = new Map<object, boolean>();
  const copies = new Map<object, unknown>();

  const scan = (value: unknown, depth: number): boolean => {
    if (typeof value !== 'object' || value === null) return false;
    if (match(value)) return true;
    if (depth >= MAX_TRANSFER_DEPTH || !isContainer(value)) return false;
    const known = leadsToMatch.get(value);
    if (known !== undefined) return known;
    leadsToMatch.set(value, false); // a cycle back here adds nothing
    let found = false;
    for (const child of Array.isArray(value) ? value : Object.values(value)) found = scan(child, depth + 1) || found;
    leadsToMatch.set(value, found);
    return found;
  };

  const copy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (match(value)) return replace(value);
    if (leadsToMatch.get(value) !== true) return value;
    if (copies.has(value)) return copies.get(value);
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      copies.set(value, out);
      for (let index = 0; index < value.length; index++) out[index] = copy(value[index]);
      return out;
    }
    const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    copies.set(value, out);
    for (const [key, child] of Object.entries(value)) out[key] = copy(child);
    return out;
  };

  return scan(root, 0) ? copy(root) : root;
}

/** Arrays and plain objects: what structured clone copies field by field, and these conversions look into. */
function isContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
