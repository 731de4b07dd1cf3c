/** The plain-data form of the primitives, and toTransferable / fromTransferable (see threads.test.ts for real workers). */

import { describe, expect, test } from 'vitest';
import {
  BoundedSemaphore,
  Event,
  Lock,
  MAX_TRANSFER_DEPTH,
  Queue,
  SHARED_KEY,
  Semaphore,
  SharedArray,
  Value,
  fromTransferable,
  isSharedData,
  toTransferable,
} from '../../src/shared/index.js';
import { everything } from './samples.js';

describe('plain-data form', () => {
  test('each primitive has one, and structured clone of an instance gives exactly it', () => {
    const primitives = [new Lock(), new Semaphore(3), new BoundedSemaphore(1), new Event(), new Value('i', 1), new SharedArray('B', 2), new Queue()];
    for (const primitive of primitives) {
      const data = primitive.toTransferable() as unknown as Record<string, unknown>;
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(data[SHARED_KEY]).toBe(primitive[SHARED_KEY]);
      expect(data.buffer).toBe(primitive.buffer);
      expect(isSharedData(data)).toBe(true);
      expect(structuredClone(primitive)).toEqual(structuredClone(data));
    }
    expect(new BoundedSemaphore().toTransferable()[SHARED_KEY]).toBe('BoundedSemaphore');
    expect(new Value('i', 0).toTransferable().lock).toEqual({ [SHARED_KEY]: 'Lock', buffer: expect.any(SharedArrayBuffer) });
    expect(new Value('i', 0, { lock: false }).toTransferable().lock).toBeNull();
  });

  test('X.from(data) revives a primitive that shares the same memory', async () => {
    const lock = new Lock();
    const revivedLock = Lock.from(structuredClone(lock));
    await revivedLock.acquire();
    expect(lock.locked()).toBe(true);

    const bounded = Semaphore.from(structuredClone(new BoundedSemaphore(1)));
    expect(bounded).toBeInstanceOf(BoundedSemaphore);
    expect(() => bounded.release()).toThrow('released too many times');
    expect(BoundedSemaphore.from(structuredClone(bounded)).value).toBe(1);

    const counter = new Value('i', 0);
    const twin = Value.from(structuredClone(counter));
    twin.add(2);
    expect(counter.value).toBe(2);
    twin.getLock().acquireSync();
    expect(counter.getLock().locked()).toBe(true);

    const queue = new Queue<number>(3);
    const other = Queue.from<number>(structuredClone(queue));
    expect(other.maxsize).toBe(3);
    await other.put(7);
    expect(await queue.get()).toBe(7);

    const values = new SharedArray('H', [1, 2]);
    SharedArray.from(structuredClone(values)).set(0, 9);
    expect(values.toArray()).toEqual([9, 2]);

    const event = new Event();
    Event.from(event).set();
    expect(event.isSet()).toBe(true);
  });

  test('X.from refuses malformed data with exact messages', () => {
    expect(() => Lock.from(null as never)).toThrow(new TypeError('Lock.from: data must be the plain form of a Lock, got null'));
    expect(() => Lock.from(new Event().toTransferable() as never)).toThrow(
      new TypeError('Lock.from: data["@futures/shared"] must be "Lock", got "Event"'),
    );
    expect(() => Lock.from({ [SHARED_KEY]: 'Lock', buffer: new ArrayBuffer(4) } as never)).toThrow(
      new TypeError('Lock.from: data.buffer must be a SharedArrayBuffer, got an instance of ArrayBuffer'),
    );
    expect(() => Event.from({ [SHARED_KEY]: 'Event', buffer: new SharedArrayBuffer(4) })).toThrow(
      new RangeError('Event.from: data.buffer must be 8 bytes long, got 4'),
    );
    expect(() => BoundedSemaphore.from(new Semaphore().toTransferable())).toThrow(
      new TypeError('BoundedSemaphore.from: data["@futures/shared"] must be "BoundedSemaphore", got "Semaphore"'),
    );
    expect(() => Value.from({ ...new Value('i').toTransferable(), type: 'z' as never })).toThrow(/^Value\.from: type must be a type code/);
  });
});

describe('toTransferable / fromTransferable', () => {
  test('a round trip through structured clone revives every primitive, nested in objects and arrays', async () => {
    const original = everything();
    const sent = structuredClone(toTransferable([original, 'x', 3]));
    const [revived, text, three] = fromTransferable(sent) as [ReturnType<typeof everything>, string, number];
    expect([text, three]).toEqual(['x', 3]);
    expect(revived.lock).toBeInstanceOf(Lock);
    expect(revived.semaphore).toBeInstanceOf(Semaphore);
    expect(revived.semaphore).not.toBeInstanceOf(BoundedSemaphore);
    expect(revived.semaphore.value).toBe(3);
    expect(revived.value).toBeInstanceOf(Value);
    expect(revived.array).toBeInstanceOf(SharedArray);
    expect(revived.nested.list[0]).toBeInstanceOf(BoundedSemaphore);
    expect(revived.nested.list[1]).toBeInstanceOf(Event);
    expect(revived.queue).toBeInstanceOf(Queue);
    expect(revived.plain).toEqual(original.plain);
    revived.value.value = 4;
    expect(original.value.value).toBe(4);
    await revived.queue.put('hello');
    expect(await original.queue.get()).toBe('hello');
  });

  test('values without primitives are returned as they are, not copied', () => {
    const args = [{ a: [1, 2, { b: 3 }] }, new Map(), 'text'];
    expect(toTransferable(args)).toBe(args);
    expect(fromTransferable(args)).toBe(args);
    expect(toTransferable(5)).toBe(5);
    expect(fromTransferable(null)).toBe(null);
  });

  test('only the path to a primitive is copied; the rest is shared; the input is not changed', () => {
    const big = { data: [1, 2, 3] };
    const lock = new Lock();
    const args = [big, { lock }];
    const converted = toTransferable(args) as [typeof big, { lock: unknown }];
    expect(converted).not.toBe(args);
    expect(converted[0]).toBe(big);
    expect(isSharedData(converted[1].lock)).toBe(true);
    expect(converted[1].lock).not.toBeInstanceOf(Lock);
    expect(args[1]).toEqual({ lock });
  });

  test('cycles and shared references survive; depth is bounded', () => {
    const node: { lock: Lock; self?: unknown; again?: unknown } = { lock: new Lock() };
    node.self = node;
    const pair = [node, node];
    const converted = fromTransferable(structuredClone(toTransferable(pair))) as [typeof node, typeof node];
    expect(converted[0]).toBe(converted[1]);
    expect(converted[0].self).toBe(converted[0]);
    expect(converted[0].lock).toBeInstanceOf(Lock);

    let deep: unknown = new Lock();
    for (let level = 0; level < MAX_TRANSFER_DEPTH + 1; level++) deep = [deep];
    let inner = fromTransferable(structuredClone(deep));
    for (let level = 0; level < MAX_TRANSFER_DEPTH + 1; level++) inner = (inner as unknown[])[0];
    expect(inner).not.toBeInstanceOf(Lock); // beyond MAX_TRANSFER_DEPTH: left as plain data
    expect(Lock.from(inner as never)).toBeInstanceOf(Lock); // which X.from still revives
  });
});
