/**
 * Parent side: the live Managers of this process, by id, so that the process-pool engine can
 * route a child's request to the object it names, and release what a dead child held.
 */
import type { ManagedState } from './state.js';

/** A Manager's objects, by handle number. */
export type ManagerObjects = ReadonlyMap<number, ManagedState>;

const managers = new Map<string, ManagerObjects>();

/** Makes a Manager's objects reachable from pool children. */
export function registerManager(id: string, objects: ManagerObjects): void {
  managers.set(id, objects);
}

/** The Manager closed: its objects are no longer reachable. */
export function unregisterManager(id: string): void {
  managers.delete(id);
}

/**
 * Runs one operation on a managed object for `owner` (a pool child, or the parent). Rejects when
 * the manager is closed or the operation is invalid.
 */
export async function callManaged(manager: string, handle: number, op: string, args: readonly unknown[], owner: object): Promise<unknown> {
  const object = managers.get(manager)?.get(handle);
  if (object === undefined) {
    throw new Error(`the Manager that made this ${op === 'acquire' || op === 'release' ? 'lock' : 'object'} is closed (or belongs to another process)`);
  }
  return object.call(op, args, owner);
}

/** `owner` (a pool child) is gone: every manager drops its waits and releases its locks. */
export function releaseOwner(owner: object): void {
  for (const objects of managers.values()) for (const object of objects.values()) object.dropOwner(owner);
}
