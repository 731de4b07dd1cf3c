/**
 * `Manager`: Python's `multiprocessing.Manager()` for process pools. Processes share no memory,
 * so a lock, a value or a queue shared by the children lives in the parent, and the children
 * use it through their IPC channel (one round trip per operation).
 */
import { randomUUID } from 'node:crypto';
import { limitOption } from '@futures/core';
import { ManagedLock, ManagedQueue, ManagedValue, type HandleCall, type HandleRef } from './handles.js';
import { callManaged, registerManager, unregisterManager } from './registry.js';
import { LockState, QueueState, ValueState, type ManagedState } from './state.js';

/** Who holds a lock or waits when the parent itself calls a handle. */
const PARENT: object = Object.freeze({ owner: 'parent process' });

/**
 * Makes locks, values and queues that tasks in any `ProcessPoolExecutor` or `ClusterExecutor`
 * child can use: pass them to a task as arguments. The manager holds no handle of its own (it
 * never keeps the parent alive); `close()` (or `using`) ends it and fails pending waits.
 *
 * @example
 * using manager = new Manager();
 * const counter = manager.Value(0);
 * const lock = manager.Lock();
 * await Promise.all(Array.from({ length: 100 }, () => executor.submit(tasks.increment, counter, lock)));
 * await counter.get(); // 100
 */
export class Manager implements Disposable {
  /** Identifies this manager in the handles it gives out. */
  readonly id: string = randomUUID();
  readonly #objects = new Map<number, ManagedState>();
  #next = 1;
  #closed = false;
  readonly #call: HandleCall = (ref, op, args) => callManaged(ref.manager, ref.handle, op, args, PARENT);

  constructor() {
    registerManager(this.id, this.#objects);
  }

  /** A lock shared by every child (and the parent). */
  Lock(): ManagedLock {
    return new ManagedLock(this.#add('lock', new LockState()), this.#call);
  }

  /** A value shared by every child, starting at `initial` (any structured-clone value). */
  Value<T>(initial: T): ManagedValue<T> {
    return new ManagedValue<T>(this.#add('value', new ValueState(initial)), this.#call);
  }

  /** A FIFO queue; with `maxsize`, `put` waits for room. */
  Queue<T>(options: { readonly maxsize?: number | undefined } = {}): ManagedQueue<T> {
    const maxsize = limitOption('maxsize', options.maxsize, Infinity);
    return new ManagedQueue<T>(this.#add('queue', new QueueState(maxsize)), this.#call);
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Ends the manager: pending waits reject, and its handles stop working. Calling it again is harmless. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    unregisterManager(this.id);
    const error = new Error('the Manager was closed');
    for (const object of this.#objects.values()) object.close(error);
    this.#objects.clear();
  }

  /** `using manager = new Manager()` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  #add(kind: HandleRef['kind'], state: ManagedState): HandleRef {
    if (this.#closed) throw new Error('the Manager was closed');
    const handle = this.#next++;
    this.#objects.set(handle, state);
    return Object.freeze({ manager: this.id, handle, kind });
  }
}
