/** Queue on one thread (see threads.test.ts for workers). */

import { describe, expect, test } from 'vitest';
import { Queue, QueueClosedError, QueueEmpty, QueueFull, TaskDoneTooOftenError } from '../../src/shared/index.js';
import { sleep } from './pool.js';

describe('Queue on one thread', () => {
  test('first in, first out; qsize, empty, full', async () => {
    const queue = new Queue<number>(2);
    expect(queue.empty()).toBe(true);
    expect(queue.maxsize).toBe(2);
    await queue.put(1);
    queue.putSync(2);
    expect(queue.qsize()).toBe(2);
    expect(queue.full()).toBe(true);
    expect(await queue.get()).toBe(1);
    expect(queue.getSync()).toBe(2);
    expect(queue.empty()).toBe(true);
    expect(new Queue().full()).toBe(false);
  });

  test('items are structured-clone copies of any shape', async () => {
    const queue = new Queue(0, { capacity: 4096 });
    const items = [
      { nested: { list: [1, 'two', null, undefined] } },
      new Map([['a', new Set([1, 2])]]),
      new Date(0),
      new Uint8Array([1, 2, 3]),
      12n,
      undefined,
      'x'.repeat(1000),
    ];
    for (const item of items) await queue.put(item);
    for (const item of items) expect(await queue.get()).toEqual(item);
  });

  test('the ring buffer wraps around with items of varied sizes', async () => {
    const queue = new Queue<string>(0, { capacity: 64 });
    for (let round = 0; round < 50; round++) {
      const item = 'y'.repeat(round % 37);
      queue.putNowait(item);
      if (round % 3 === 0) queue.putNowait('z');
      expect(queue.getNowait()).toBe(item);
      if (round % 3 === 0) expect(queue.getNowait()).toBe('z');
    }
    expect(queue.empty()).toBe(true);
  });

  test('put on a full queue waits until a get makes room', async () => {
    const queue = new Queue<number>(2);
    await queue.put(1);
    await queue.put(2);
    let done = false;
    const blocked = queue.put(3, { timeout: 2000 }).then(() => (done = true));
    await sleep(30);
    expect(done).toBe(false);
    expect(await queue.get()).toBe(1);
    await blocked;
    expect([queue.getNowait(), queue.getNowait()]).toEqual([2, 3]);
  });

  test('get on an empty queue with a timeout throws QueueEmpty; put on a full one QueueFull', async () => {
    const queue = new Queue(1);
    const started = performance.now();
    const empty = await queue.get({ timeout: 30 }).catch((error: unknown) => error);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(empty).toBeInstanceOf(QueueEmpty);
    expect(empty).toMatchObject({ name: 'QueueEmpty', code: 'ERR_QUEUE_EMPTY', message: 'Queue.get: the queue stayed empty for 30ms' });
    expect(() => queue.getNowait()).toThrow(new QueueEmpty('Queue.getSync: the queue is empty'));
    queue.putNowait('a');
    await expect(queue.put('b', { timeout: 10 })).rejects.toBeInstanceOf(QueueFull);
    expect(() => queue.putNowait('b')).toThrow(QueueFull);
    expect(() => queue.putNowait('b')).toThrow(/^Queue\.putSync: the queue is full \(1 item, maxsize 1; \d+ of 1048576 bytes used, the item needs \d+\)$/);
  });

  test('an item larger than the capacity is refused with a RangeError; so is one that cannot be copied', async () => {
    const queue = new Queue(0, { capacity: 100 });
    const refused = await queue.put('x'.repeat(200)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RangeError);
    expect((refused as Error).message).toMatch(
      /^Queue\.put: the item takes 20\d bytes once serialized, more than this queue can ever hold \(capacity 100 bytes, 4 of them per item\); raise the capacity option$/,
    );
    expect(() => queue.putSync(() => 1)).toThrow(TypeError);
    expect(() => queue.putSync(() => 1)).toThrow(/^Queue\.putSync: the item cannot be copied into shared memory: /);
    expect(queue.empty()).toBe(true);
  });

  test('an aborted get takes nothing', async () => {
    const queue = new Queue<string>();
    const controller = new AbortController();
    const aborted = queue.get({ signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await queue.put('kept');
    expect(await queue.get({ timeout: 1000 })).toBe('kept');
  });

  test('close(): put throws, get drains then throws, async iteration ends', async () => {
    const queue = new Queue<number>();
    const waiting = queue.get({ timeout: 2000 }).catch((error: unknown) => error);
    queue.close();
    expect(await waiting).toBeInstanceOf(QueueClosedError);
    expect(queue.closed).toBe(true);
    const reopened = new Queue<number>();
    await reopened.put(1);
    await reopened.put(2);
    reopened.close();
    await expect(reopened.put(3)).rejects.toMatchObject({ code: 'ERR_QUEUE_CLOSED', message: 'Queue.put: the queue is closed' });
    const seen: number[] = [];
    for await (const item of reopened) seen.push(item);
    expect(seen).toEqual([1, 2]);
    expect(() => reopened.getSync()).toThrow(new QueueClosedError('Queue.getSync: the queue is closed and empty'));
  });

  test('arguments are checked with exact messages', async () => {
    expect(() => new Queue(-1)).toThrow(new RangeError('maxsize must be >= 0, got -1'));
    expect(() => new Queue(1.5)).toThrow(new TypeError('maxsize must be an integer, got 1.5'));
    expect(() => new Queue(0, { capacity: 4 })).toThrow(new RangeError('capacity must be >= 8, got 4'));
    expect(() => new Queue(0, { capcity: 64 } as never)).toThrow(new TypeError('Queue: unknown option "capcity"; known options are capacity'));
    expect(new Queue(Infinity).maxsize).toBe(0);
    expect(new Queue(0, { capacity: 64 }).capacity).toBe(64);
    await expect(new Queue().get({ timeout: -1 })).rejects.toThrow(new RangeError('timeout must be >= 0 milliseconds, got -1'));
    expect(() => new Queue().putSync(1, { signal: undefined } as never)).toThrow(
      new TypeError('Queue.putSync: unknown option "signal"; known options are timeout'),
    );
  });
});

describe('Queue.taskDone / join', () => {
  test('counts items put and not yet done; join resolves once all are done', async () => {
    const queue = new Queue<string>();
    expect(await queue.join({ timeout: 0 })).toBe(true); // nothing put: nothing to wait for
    await queue.put('a');
    queue.putSync('b');
    expect(queue.unfinishedTasks()).toBe(2);
    await queue.get();
    expect(queue.unfinishedTasks()).toBe(2); // getting is not being done
    const joined = queue.join();
    queue.taskDone();
    expect(queue.joinSync({ timeout: 0 })).toBe(false);
    queue.taskDone();
    expect(await joined).toBe(true);
    expect(queue.joinSync()).toBe(true);
  });

  test('refuses taskDone() called more times than items were put', () => {
    const queue = new Queue();
    queue.putNowait(1);
    queue.taskDone();
    expect(() => queue.taskDone()).toThrow(TaskDoneTooOftenError);
    expect(() => queue.taskDone()).toThrow('Queue.taskDone: called more times than items were put');
    expect(queue.unfinishedTasks()).toBe(0);
  });

  test('join honours timeout and signal, and checks its options', async () => {
    const queue = new Queue();
    await queue.put(1);
    expect(await queue.join({ timeout: 20 })).toBe(false);
    const controller = new AbortController();
    const joining = queue.join({ signal: controller.signal });
    controller.abort(new Error('stop waiting'));
    await expect(joining).rejects.toThrow('stop waiting');
    await expect(queue.join({ timeout: -1 })).rejects.toThrow(RangeError);
    expect(() => queue.joinSync({ timeout: 1, signal: undefined } as never)).toThrow(/unknown option "signal"/);
  });

  test('a copy revived from the plain form shares the count', async () => {
    const queue = new Queue();
    await queue.put('x');
    const copy = Queue.from(structuredClone(queue.toTransferable()));
    expect(copy.unfinishedTasks()).toBe(1);
    copy.taskDone();
    expect(await queue.join({ timeout: 0 })).toBe(true);
  });
});

describe('Queue: async and sync calls on one thread', () => {
  test('putNowait right after an async get() is not blocked by the get (it holds no lock across an await)', async () => {
    const queue = new Queue<number>();
    const getting = queue.get();
    queue.putNowait(1);
    expect(await getting).toBe(1);
    const getting2 = queue.get();
    await queue.put(2);
    expect(await getting2).toBe(2);
  });
});
