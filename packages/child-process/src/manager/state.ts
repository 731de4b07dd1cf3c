/**
 * Parent side: the objects behind a Manager's handles, and the operations children may call.
 * Who holds a lock or waits is an `owner` (a pool child, or the parent itself), so that what a
 * dead child held or waited for can be released.
 */

/** One waiting operation. */
interface Waiter<T> {
  readonly owner: object;
  readonly resolve: (value: T) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** An object behind a handle. */
export interface ManagedState {
  /** Runs operation `op` for `owner`; throws (or rejects) on a bad call. */
  call(op: string, args: readonly unknown[], owner: object): unknown;
  /** `owner` is gone: drop its waits, release what it holds. */
  dropOwner(owner: object): void;
  /** The manager closed: end every wait with `error`. */
  close(error: Error): void;
}


function take<W extends Waiter<never>>(waiters: W[], at = 0): W | undefined {
  const [waiter] = waiters.splice(at, 1);
  if (waiter?.timer !== undefined) clearTimeout(waiter.timer);
  return waiter;
}

/** A lock: one owner at a time, FIFO waiters. */
export class LockState implements ManagedState {
  #owner: object | undefined;
  readonly #waiters: Waiter<boolean>[] = [];
  readonly #rejects = new Map<Waiter<boolean>, (error: Error) => void>();

  call(op: string, args: readonly unknown[], owner: object): unknown {
    switch (op) {
      case 'acquire':
        if (this.#owner === undefined) {
          this.#owner = owner;
          return true;
        }
        return this.#wait(owner, args[0]);
      case 'release':
        if (this.#owner === undefined) throw new Error('ManagedLock.release(): the lock is not locked');
        this.#handOver();
        return undefined;
      case 'locked':
        return this.#owner !== undefined;
      default:
        throw new TypeError(`ManagedLock has no operation ${JSON.stringify(op)}`);
    }
  }

  #wait(owner: object, timeout: unknown): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter<boolean> = { owner, resolve, timer: undefined };
      if (typeof timeout === 'number' && Number.isFinite(timeout)) {
        waiter.timer = setTimeout(() => {
          this.#remove(waiter);
          resolve(false);
        }, Math.max(0, timeout));
      }
      this.#waiters.push(waiter);
      this.#rejects.set(waiter, reject);
    });
  }

  #remove(waiter: Waiter<boolean>): void {
    const at = this.#waiters.indexOf(waiter);
    if (at !== -1) take(this.#waiters, at);
    this.#rejects.delete(waiter);
  }

  /** The next waiter (if any) gets the lock. */
  #handOver(): void {
    const next = take(this.#waiters);
    this.#owner = next?.owner;
    if (next !== undefined) {
      this.#rejects.delete(next);
      next.resolve(true);
    }
  }

  dropOwner(owner: object): void {
    for (const waiter of this.#waiters.filter((w) => w.owner === owner)) this.#remove(waiter);
    if (this.#owner === owner) this.#handOver();
  }

  close(error: Error): void {
    for (const waiter of [...this.#waiters]) {
      const reject = this.#rejects.get(waiter);
      this.#remove(waiter);
      reject?.(error);
    }
  }
}

/** A value with get / set / add. */
export class ValueState implements ManagedState {
  constructor(private value: unknown) {}

  call(op: string, args: readonly unknown[]): unknown {
    switch (op) {
      case 'get':
        return this.value;
      case 'set':
        this.value = args[0];
        return undefined;
      case 'add': {
        const delta = args[0];
        if (typeof this.value === 'number' && typeof delta === 'number') this.value += delta;
        else if (typeof this.value === 'bigint' && typeof delta === 'bigint') this.value += delta;
        else throw new TypeError(`ManagedValue.add(): cannot add a ${typeof delta} to a ${typeof this.value} value`);
        return this.value;
      }
      default:
        throw new TypeError(`ManagedValue has no operation ${JSON.stringify(op)}`);
    }
  }

  dropOwner(): void {}

  close(): void {}
}

/** A FIFO queue, optionally bounded. */
export class QueueState implements ManagedState {
  readonly #items: unknown[] = [];
  readonly #getters: Waiter<readonly [boolean, unknown]>[] = [];
  readonly #putters: (Waiter<boolean> & { readonly item: unknown })[] = [];
  readonly #rejects = new Map<object, (error: Error) => void>();

  constructor(private readonly maxsize: number) {}

  call(op: string, args: readonly unknown[], owner: object): unknown {
    switch (op) {
      case 'put':
        return this.#put(args[0], args[1], owner);
      case 'get':
        return this.#get(args[0], owner);
      case 'qsize':
        return this.#items.length;
      default:
        throw new TypeError(`ManagedQueue has no operation ${JSON.stringify(op)}`);
    }
  }

  #put(item: unknown, timeout: unknown, owner: object): boolean | Promise<boolean> {
    const getter = take(this.#getters);
    if (getter !== undefined) {
      this.#rejects.delete(getter);
      getter.resolve([true, item]);
      return true;
    }
    if (this.#items.length < this.maxsize) {
      this.#items.push(item);
      return true;
    }
    return new Promise<boolean>((resolve, reject) => {
      const putter = { owner, resolve, timer: undefined as ReturnType<typeof setTimeout> | undefined, item };
      if (typeof timeout === 'number' && Number.isFinite(timeout)) {
        putter.timer = setTimeout(() => {
          this.#drop(this.#putters, putter);
          resolve(false);
        }, Math.max(0, timeout));
      }
      this.#putters.push(putter);
      this.#rejects.set(putter, reject);
    });
  }

  #get(timeout: unknown, owner: object): readonly [boolean, unknown] | Promise<readonly [boolean, unknown]> {
    if (this.#items.length > 0) {
      const item = this.#items.shift();
      const putter = take(this.#putters); // room for a waiting put
      if (putter !== undefined) {
        this.#rejects.delete(putter);
        this.#items.push(putter.item);
        putter.resolve(true);
      }
      return [true, item];
    }
    return new Promise((resolve, reject) => {
      const getter: Waiter<readonly [boolean, unknown]> = { owner, resolve, timer: undefined };
      if (typeof timeout === 'number' && Number.isFinite(timeout)) {
        getter.timer = setTimeout(() => {
          this.#drop(this.#getters, getter);
          resolve([false, undefined]);
        }, Math.max(0, timeout));
      }
      this.#getters.push(getter);
      this.#rejects.set(getter, reject);
    });
  }

  #drop<W extends Waiter<never>>(list: W[], waiter: W): void {
    const at = list.indexOf(waiter);
    if (at !== -1) take(list, at);
    this.#rejects.delete(waiter);
  }

  dropOwner(owner: object): void {
    // A dead child's pending get must not swallow an item; its pending put is lost with it.
    for (const getter of this.#getters.filter((w) => w.owner === owner)) this.#drop(this.#getters, getter);
    for (const putter of this.#putters.filter((w) => w.owner === owner)) this.#drop(this.#putters, putter);
  }

  close(error: Error): void {
    for (const waiter of [...this.#getters, ...this.#putters]) this.#rejects.get(waiter)?.(error);
    for (const getter of [...this.#getters]) this.#drop(this.#getters, getter);
    for (const putter of [...this.#putters]) this.#drop(this.#putters, putter);
  }
}

