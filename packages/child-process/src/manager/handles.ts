/**
 * The objects a {@link Manager} hands out: a lock, a value and a queue that live in the parent
 * process and are used from any pool child (Python's `multiprocessing.Manager()` objects).
 * Passed to a task as an argument, a handle travels as plain data (its reference) and is
 * revived in the child as the same class, whose methods ask the parent over the child's IPC
 * channel. In the parent, the same methods act directly. Every method is asynchronous.
 */
import { TimeoutError } from '@futures/core/worker';

/** Which managed object a handle designates; the only part of a handle that is copied to a child. */
export interface HandleRef {
  /** The {@link Manager}'s id. */
  readonly manager: string;
  /** The object's number within its manager. */
  readonly handle: number;
  readonly kind: 'lock' | 'value' | 'queue';
}

/** How a handle reaches its object: directly in the parent, over IPC in a child. */
export type HandleCall = (ref: HandleRef, op: string, args: readonly unknown[]) => Promise<unknown>;

/** The property that marks a handle's data. */
export const HANDLE = '@futures/managed';

/** Base of the handle classes. Only `[HANDLE]` is an own enumerable field, so only it is copied. */
abstract class Managed {
  /** The reference, copied when the handle is passed to a task. */
  readonly [HANDLE]: HandleRef;
  readonly #call: HandleCall;

  /** @internal handles are made by a `Manager` (parent) or revived in a pool child. */
  constructor(ref: HandleRef, call: HandleCall) {
    this[HANDLE] = ref;
    this.#call = call;
  }

  /** @internal */
  protected call(op: string, ...args: unknown[]): Promise<unknown> {
    return this.#call(this[HANDLE], op, args);
  }
}

/** Options of the waiting operations. */
export interface WaitOptions {
  /** Give up after this many ms (`undefined`: wait as long as it takes). */
  readonly timeout?: number | undefined;
}

/**
 * A lock shared by every process of a pool (Python's `multiprocessing.Lock` through a manager).
 * If a child dies while it holds the lock, the lock is released, and the child's waits dropped.
 *
 * @example
 * await lock.withLock(async () => counter.set((await counter.get()) + 1));
 */
export class ManagedLock extends Managed {
  /** Waits for the lock and takes it. Resolves `false` if `timeout` passed first (Python's `acquire(timeout=)`). */
  acquire(options: WaitOptions = {}): Promise<boolean> {
    return this.call('acquire', options.timeout) as Promise<boolean>;
  }

  /** Releases the lock; rejects if it is not locked. */
  release(): Promise<void> {
    return this.call('release') as Promise<void>;
  }

  /** True while some process holds the lock. */
  locked(): Promise<boolean> {
    return this.call('locked') as Promise<boolean>;
  }

  /** Runs `fn` holding the lock (Python's `with lock:`), releasing it afterwards even if `fn` throws. */
  async withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }
}

/**
 * A value held by the parent and read or changed by any child (Python's `multiprocessing.Value`
 * through a manager). Any structured-clone value; `add` is atomic (one round trip).
 */
export class ManagedValue<T = unknown> extends Managed {
  /** The current value. */
  get(): Promise<T> {
    return this.call('get') as Promise<T>;
  }

  /** Replaces the value. */
  set(value: T): Promise<void> {
    return this.call('set', value) as Promise<void>;
  }

  /** Adds `delta` to a number or bigint value, atomically; resolves the new value. */
  add(delta: T extends bigint ? bigint : number): Promise<T> {
    return this.call('add', delta) as Promise<T>;
  }
}

/**
 * A FIFO queue held by the parent (Python's `multiprocessing.Queue`): children `put` results,
 * the parent (or another child) `get`s them.
 */
export class ManagedQueue<T = unknown> extends Managed {
  /** Appends `item`; with `maxsize`, waits for room (rejects with `TimeoutError` after `timeout`). */
  async put(item: T, options: WaitOptions = {}): Promise<void> {
    if ((await this.call('put', item, options.timeout)) === false) {
      throw new TimeoutError(`ManagedQueue.put(): the queue stayed full for ${options.timeout} ms`);
    }
  }

  /** Takes the oldest item, waiting for one; rejects with `TimeoutError` if `timeout` passes first. */
  async get(options: WaitOptions = {}): Promise<T> {
    const answer = (await this.call('get', options.timeout)) as readonly [boolean, T];
    if (!answer[0]) throw new TimeoutError(`ManagedQueue.get(): the queue stayed empty for ${options.timeout} ms`);
    return answer[1];
  }

  /** Items in the queue now. */
  qsize(): Promise<number> {
    return this.call('qsize') as Promise<number>;
  }

  /** True when the queue holds no item now. */
  async empty(): Promise<boolean> {
    return (await this.qsize()) === 0;
  }
}

/** True when `value` is a handle's data (as it arrives in a child). */
export function isHandleData(value: unknown): value is { readonly [HANDLE]: HandleRef } {
  if (typeof value !== 'object' || value === null) return false;
  const ref = (value as Record<string, unknown>)[HANDLE] as Partial<HandleRef> | undefined;
  return typeof ref === 'object' && ref !== null && typeof ref.manager === 'string' && typeof ref.handle === 'number';
}

/** Builds the handle of the right class for `ref`. */
export function makeHandle(ref: HandleRef, call: HandleCall): ManagedLock | ManagedValue | ManagedQueue {
  switch (ref.kind) {
    case 'lock':
      return new ManagedLock(ref, call);
    case 'value':
      return new ManagedValue(ref, call);
    default:
      return new ManagedQueue(ref, call);
  }
}
