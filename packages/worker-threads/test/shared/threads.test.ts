/**
 * The primitives across real worker threads: one pool of 4 workers (each loads the TypeScript
 * sources through tsx) serves every test here, so the suite starts workers once.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BoundedSemaphore, Event, Lock, Queue, Semaphore, Value } from '../../src/shared/index.js';
import { startPool, until, type TestPool } from './pool.js';
import { everything } from './samples.js';

let pool: TestPool;
beforeAll(async () => {
  pool = await startPool(4);
});
afterAll(async () => {
  await pool.close();
});

describe('Value across worker threads', () => {
  test('100 locked read-modify-write increments spread over 4 workers give exactly 100', async () => {
    const counter = new Value('i', 0);
    // Each increment reads, waits 1ms, then writes: without the lock, updates would be lost.
    const tasks = Array.from({ length: 100 }, (_, index) => pool.run('incrementLocked', counter, 1, index % 2 ? 'sync' : 'async'));
    await Promise.all(tasks);
    expect(counter.value).toBe(100);
    expect(counter.getLock().locked()).toBe(false);
  });

  test('4 workers x 1000 atomic add(1) give exactly 4000', async () => {
    const counter = new Value('int32', 0, { lock: false });
    await Promise.all([0, 1, 2, 3].map((index) => pool.runOn(index, 'addMany', counter, 1000)));
    expect(counter.value).toBe(4000);
  });
});

describe('Lock across worker threads', () => {
  test('an async acquire on the main thread leaves the event loop free while a worker holds the lock', async () => {
    const lock = new Lock();
    const held = new Event();
    const go = new Event();
    const task = pool.run('holdLockUntil', lock, held, go);
    expect(await held.wait({ timeout: 5000 })).toBe(true);
    let timerFired = false;
    // The worker releases only after this timer runs: a blocked event loop would never get here.
    setTimeout(() => {
      timerFired = true;
      go.set();
    }, 20);
    expect(lock.locked()).toBe(true);
    expect(await lock.acquire({ timeout: 5000 })).toBe(true);
    expect(timerFired).toBe(true);
    expect(await task).toBe(true);
    lock.release();
  });
});

describe('Semaphore across worker threads', () => {
  test('Semaphore(2) never lets more than 2 workers in at once', async () => {
    const slots = new Semaphore(2);
    const holders = new Value('i', 0);
    const most = new Value('i', 0);
    await Promise.all(Array.from({ length: 12 }, () => pool.run('holdSlot', slots, holders, most, 15)));
    expect(most.value).toBe(2);
    expect(holders.value).toBe(0);
    expect(slots.value).toBe(2);
  });

  test('a release in a worker wakes an async acquire on the main thread', async () => {
    const slots = new BoundedSemaphore(1);
    await slots.acquire();
    const task = pool.run('releaseAfter', slots, 20);
    expect(await slots.acquire({ timeout: 5000 })).toBe(true);
    await task;
    expect(slots.value).toBe(0);
  });
});

describe('Event across worker threads', () => {
  test('set() on the main thread wakes every waiting worker', async () => {
    const event = new Event();
    const ready = new Value('i', 0);
    const waits = [0, 1, 2, 3].map((index) => pool.runOn(index, 'waitForEvent', event, ready, index % 2 ? 'sync' : 'async', 5000));
    await until(() => ready.value === 4, 5000, 'four workers waiting');
    expect(event.isSet()).toBe(false);
    event.set();
    expect(await Promise.all(waits)).toEqual([true, true, true, true]);
  });

  test('set() in a worker wakes an async wait on the main thread', async () => {
    const event = new Event();
    const task = pool.run('setAfter', event, 20);
    expect(await event.wait({ timeout: 5000 })).toBe(true);
    await task;
  });
});

describe('Queue across worker threads', () => {
  test('a producer worker and a consumer main thread: order preserved through a small ring', async () => {
    const queue = new Queue<{ i: number; text: string }>(8, { capacity: 256 });
    const producing = pool.run('produce', queue, 300, 40);
    const received: number[] = [];
    for (let i = 0; i < 300; i++) {
      const item = await queue.get({ timeout: 5000 });
      expect(item.text).toBe('x'.repeat((i * 7) % 41));
      received.push(item.i);
    }
    expect(await producing).toBe(300);
    expect(received).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  test('the main thread produces, a worker consumes: order preserved', async () => {
    const queue = new Queue<number>(4);
    const consuming = pool.run('consume', queue, 200);
    for (let i = 0; i < 200; i++) await queue.put(i, { timeout: 5000 });
    expect(await consuming).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  test("a worker's blocking putSync on a full queue waits until the main thread gets", async () => {
    const queue = new Queue<string>(1);
    await queue.put('first');
    const done = new Event();
    const task = pool.run('putThenSignal', queue, 'second', done);
    expect(await done.wait({ timeout: 50 })).toBe(false); // still blocked on the full queue
    expect(await queue.get()).toBe('first');
    expect(await done.wait({ timeout: 5000 })).toBe(true);
    expect(await task).toBe(true);
    expect(await queue.get({ timeout: 0 })).toBe('second');
  });

  test('join() waits until a worker has marked every item done with taskDone() (queue.Queue / JoinableQueue)', async () => {
    const queue = new Queue<number | null>();
    for (let i = 0; i < 10; i++) await queue.put(i);
    expect(queue.unfinishedTasks()).toBe(10);
    expect(await queue.join({ timeout: 0 })).toBe(false);
    const worker = pool.run('consumeMarkingDone', queue, 2);
    expect(await queue.join({ timeout: 5000 })).toBe(true);
    expect(queue.unfinishedTasks()).toBe(0);
    expect(queue.qsize()).toBe(0);
    await queue.put(null); // the sentinel: the worker returns
    expect(await worker).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await pool.run('joinWithin', queue, 20)).toBe(false); // the sentinel was put, never marked done
    queue.taskDone();
    expect(await pool.run('joinWithin', queue, 0)).toBe(true);
  });

  test("a worker's getSync on an empty queue with a timeout throws QueueEmpty", async () => {
    await expect(pool.run('getWithin', new Queue(), 20)).rejects.toMatchObject({
      name: 'QueueEmpty',
      code: 'ERR_QUEUE_EMPTY',
      message: 'Queue.getSync: the queue stayed empty for 20ms',
    });
  });
});

describe('crossing to real worker threads', () => {
  test('the worker sees working primitives, and its writes are seen by the main thread', async () => {
    const all = everything();
    expect(await pool.run('classesOf', { ...all, nested: all.nested.list[0] })).toEqual({
      lock: 'Lock',
      semaphore: 'Semaphore',
      value: 'Value',
      array: 'SharedArray',
      nested: 'BoundedSemaphore',
      queue: 'Queue',
      plain: 'object',
    });
    await pool.run('touchAll', all);
    expect(all.lock.locked()).toBe(true);
    expect(all.value.value).toBe(2.5);
    expect(all.array.toArray()).toEqual([1n, 2n, 42n]);
    expect(all.nested.list[0].value).toBe(1);
    expect(all.nested.list[1].isSet()).toBe(true);
    expect(await all.queue.get({ timeout: 1000 })).toBe('from the worker');
  });

  test('primitives returned by a worker come back revived', async () => {
    const all = everything();
    const back = (await pool.run('echo', all)) as typeof all;
    expect(back).not.toBe(all);
    expect(back.nested.list[0]).toBeInstanceOf(BoundedSemaphore);
    expect([back.lock, back.semaphore, back.value, back.nested.list[1], back.queue].map((primitive) => primitive.constructor.name)).toEqual([
      'Lock',
      'Semaphore',
      'Value',
      'Event',
      'Queue',
    ]);
    back.array.set(0, 5n);
    expect(all.array.get(0)).toBe(5n);
  });
});
