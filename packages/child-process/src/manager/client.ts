/**
 * Child side of the Manager objects: handles that arrive in a task's arguments are revived as
 * their classes, whose calls travel to the parent over this child's IPC channel.
 */
import { deserializeError, type SerializedError } from '@futures/core/worker';
import { KIND, type ManagerReply, type ManagerRequest } from '../pool/messages.js';
import { isHandleData, makeHandle, type HandleCall } from './handles.js';

const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
let nextRequest = 1;

/** Asks the parent to run the operation. */
const ipcCall: HandleCall = (ref, op, args) =>
  new Promise((resolve, reject) => {
    const send = process.send?.bind(process);
    if (send === undefined || !process.connected) {
      reject(new Error('a Manager object can only be used in the parent or in a pool child connected to it'));
      return;
    }
    const req = nextRequest++;
    pending.set(req, { resolve, reject });
    const request: ManagerRequest = { [KIND]: 'manager', req, manager: ref.manager, handle: ref.handle, op, args };
    try {
      send(request);
    } catch (error) {
      pending.delete(req);
      reject(error);
    }
  });

/** Settles the request a reply answers. */
export function onManagerReply(reply: ManagerReply): void {
  const waiting = pending.get(reply.req);
  if (waiting === undefined) return;
  pending.delete(reply.req);
  if (reply.ok) waiting.resolve(reply.value);
  else waiting.reject(deserializeError(reply.value as SerializedError));
}

/** True when some argument may hold a handle (only objects can). */
export function mayHoldHandles(args: readonly unknown[]): boolean {
  return args.some((arg) => typeof arg === 'object' && arg !== null);
}

/** Replaces handle data in `value` (arrays and plain objects, a few levels deep) by live handles. */
export function reviveHandles<T>(value: T, depth = 0): T {
  if (isHandleData(value)) return makeHandle(value['@futures/managed'], ipcCall) as T;
  if (depth > 4 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const revived = reviveHandles(value[i] as unknown, depth + 1);
      if (revived !== value[i]) (copy ??= [...value])[i] = revived;
    }
    return (copy ?? value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  for (const [key, inner] of Object.entries(value)) {
    const revived = reviveHandles(inner, depth + 1);
    if (revived !== inner) (value as Record<string, unknown>)[key] = revived;
  }
  return value;
}
