import { BrokenExecutorError, CancelledError, TaskTimeoutError, defineTasks } from '@futures/core';
import { suiteTasks } from '@futures/test-suite';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { DistributedExecutor, InvalidPayloadError, JobNotFoundError, PayloadTooLargeError, TaskNotAllowedError, startWorker } from '../src/index.ts';
import { executorOn, freshQueue, redisUrl, until, workerOn } from './helpers.ts';
import type * as Tasks from './fixtures/tasks.ts';
// Imported here, before any worker of this process imports it by URL, so both see one instance
// (a worker that imports it first gets its own copy under vitest, and these maps would stay empty).
import { release, stopped } from './fixtures/tasks.ts';

const tasksUrl = new URL('./fixtures/tasks.ts', import.meta.url);
const tasks = defineTasks<typeof Tasks>(tasksUrl);

describe('DistributedExecutor', () => {
  it('cancel() takes a job no worker has taken out of Redis, and no worker ever runs it', async () => {
    const queue = freshQueue();
    await using executor = executorOn(queue);
    const future = executor.submit(suiteTasks.square, 4);
    await until(async () => (await executor.queue.getWaitingCount()) === 1, 15_000, 'the job to wait in Redis');
    const id = executor.jobId(future) as string;
    expect(future.state).toBe('pending');
    expect(future.cancel()).toBe(true);
    await expect(future.result()).rejects.toBeInstanceOf(CancelledError);
    await until(async () => (await executor.queue.getJob(id)) === undefined, 15_000, 'the job to be removed');
    await using worker = await workerOn(queue);
    const after = executor.submit(suiteTasks.square, 5);
    expect(await after).toBe(25);
    expect(worker.executor.stats.completed).toBe(1); // only `after` ran
    expect(executor.stats).toMatchObject({ submitted: 2, completed: 1, cancelled: 1 });
  });

  it('a per-call signal stops the running task on its worker; it is not tried again', async () => {
    const queue = freshQueue();
    await using worker = await workerOn(queue);
    await using executor = executorOn(queue, { attempts: 3 });
    const controller = new AbortController();
    const future = executor.submitWith({ signal: controller.signal }, tasks.waitForStop, 'abort-me');
    await until(() => future.running(), 15_000, 'the task to start');
    controller.abort(new Error('enough'));
    await expect(future.result()).rejects.toThrow('enough');
    // The worker stops the task (or, if the request beat the task's start, never starts it).
    const id = executor.jobId(future) as string;
    await until(async () => (await executor.queue.getJobState(id)) === 'failed', 15_000, 'the job to fail');
    const job = await executor.queue.getJob(id);
    expect(job?.failedReason).toBe('Error: enough');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.data).toMatchObject({ stoppable: true }); // the worker ran it with a signal
    expect(worker.executor.stats.running).toBe(0);
  });

  it('a timeout stops the task on the worker too and fails the future with TaskTimeoutError', async () => {
    const queue = freshQueue();
    await using worker = await workerOn(queue);
    await using executor = executorOn(queue);
    const future = executor.submitWith({ timeout: 150 }, tasks.waitForStop, 'time-me');
    const error = await future.exception();
    expect(error).toBeInstanceOf(TaskTimeoutError);
    await until(() => stopped.has('time-me'), 15_000, 'the worker to stop the task');
    expect(worker.executor.stats.running).toBe(0);
  });

  it('retries a failing task with backoff as BullMQ does, and reports the last error when attempts run out', async () => {
    const queue = freshQueue();
    await using _worker = await workerOn(queue);
    await using executor = executorOn(queue, { attempts: 3, backoff: { type: 'fixed', delay: 20 } });
    expect(await executor.submit(tasks.flaky, 'twice', 2)).toBe(3);
    const error = await executor.submit(tasks.flaky, 'thrice', 3).exception();
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('attempt 3 of thrice fails');
    expect((error as Error).stack).toContain('fixtures/tasks.ts');
  });

  it('refuses arguments over maxPayloadBytes before anything reaches Redis, and results over it on the worker', async () => {
    const queue = freshQueue();
    await using _worker = await workerOn(queue, { maxPayloadBytes: 10_000 });
    await using executor = executorOn(queue, { maxPayloadBytes: 10_000 });
    const big = executor.submit(suiteTasks.identity, new Uint8Array(20_000));
    const error = await big.exception();
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ code: 'ERR_PAYLOAD_TOO_LARGE', limit: 10_000 });
    expect((error as Error).message).toMatch(/arguments of task identity take 26\.1 KiB serialized, over the 9\.8 KiB limit/);
    expect(executor.jobId(big)).toBeUndefined();
    expect(await executor.queue.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0, failed: 0 });
    const result = await executor.submit(tasks.bytes, 20_000).exception();
    expect(result).toBeInstanceOf(PayloadTooLargeError);
    expect((result as Error).message).toMatch(/the result of task bytes/);
    expect(await executor.submit(tasks.bytes, 10)).toEqual(new Uint8Array(10).fill(7));
    const unserializable = await executor.submit(tasks.unserializable).exception();
    expect((unserializable as Error).message).toMatch(/could not be serialized/);
  });

  it('a worker runs only allowed modules, after mapping their URLs with resolveModule', async () => {
    const queue = freshQueue();
    const elsewhere = 'file:///srv/deployed/fixtures/tasks.ts';
    await using _worker = await workerOn(queue, {
      resolveModule: (module) => (module === elsewhere ? tasksUrl.href : module),
      allowModules: [new URL('./fixtures/', import.meta.url)],
    });
    await using executor = executorOn(queue);
    const deployed = defineTasks<typeof Tasks>(elsewhere);
    expect(await executor.submit(deployed.flaky, 'mapped', 0)).toBe(1);
    const refused = await executor.submit(suiteTasks.square, 3).exception();
    expect(refused).toBeInstanceOf(TaskNotAllowedError);
    expect((refused as Error).message).toMatch(/does not run tasks from file:.*test-suite.*not in allowModules/);
  });

  it('a worker fails a job that another producer added with data that is not a task, and says so', async () => {
    const queue = freshQueue();
    await using _worker = await workerOn(queue);
    const producer = new Queue(queue, { connection: { host: '127.0.0.1', port: Number(new URL(redisUrl()).port) } });
    try {
      const job = await producer.add('foreign', { hello: 'world' }, { attempts: 3 });
      await until(async () => (await job.getState()) === 'failed', 15_000, 'the foreign job to fail');
      const failed = await producer.getJob(job.id as string);
      expect(failed?.failedReason).toMatch(/is not a @futures task \(its data has keys hello/);
      expect(failed?.attemptsMade).toBe(1); // refused for good, not retried
    } finally {
      await producer.close();
    }
    expect(new InvalidPayloadError('x').code).toBe('ERR_PAYLOAD_INVALID');
  });

  it('a worker on a ThreadPoolExecutor stops a running CPU-bound task by force', async () => {
    const queue = freshQueue();
    await using _worker = await workerOn(queue, { executor: new ThreadPoolExecutor({ maxWorkers: 1 }) });
    await using executor = executorOn(queue);
    expect(await executor.submit(suiteTasks.square, 9)).toBe(81);
    const spinning = executor.submitWith({ timeout: 300 }, suiteTasks.spin, 60_000);
    expect(await spinning.exception()).toBeInstanceOf(TaskTimeoutError);
    // The thread was stopped, not left spinning for a minute: the next task runs at once.
    expect(await executor.submit(suiteTasks.square, 3).result({ timeout: 15_000 })).toBe(9);
  });

  it('attach(jobId) follows a job by id, also after it finished; an unknown id fails with JobNotFoundError', async () => {
    const queue = freshQueue();
    await using _worker = await workerOn(queue);
    await using executor = executorOn(queue);
    const future = executor.submit(suiteTasks.square, 12);
    await until(() => executor.jobId(future) !== undefined, 15_000, 'the job id');
    const id = executor.jobId(future) as string;
    const following = executor.attach<number>(id);
    expect(await future).toBe(144);
    expect(await following).toBe(144);
    await using other = executorOn(queue);
    expect(await other.attach(id)).toBe(144);
    expect(other.jobId(other.attach(id))).toBe(id);
    const failed = executor.submit(suiteTasks.fail, 'TypeError', 'bad');
    await expect(failed.result()).rejects.toThrow('bad');
    const error = await other.attach(executor.jobId(failed) as string).exception();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('bad');
    const missing = await other.attach('no-such-job').exception();
    expect(missing).toBeInstanceOf(JobNotFoundError);
    expect(missing).toMatchObject({ code: 'ERR_JOB_NOT_FOUND', jobId: 'no-such-job' });
    expect(other.stats.submitted).toBe(0); // attached futures are not the executor's tasks
  });

  it('map with chunksize sends each chunk as one job; a failing call fails only its place', async () => {
    const queue = freshQueue();
    await using worker = await workerOn(queue);
    await using executor = executorOn(queue);
    const squares: number[] = [];
    for await (const square of executor.map(suiteTasks.square, Array.from({ length: 100 }, (_, i) => i), { chunksize: 25 })) squares.push(square);
    expect(squares).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
    expect(await executor.queue.getCompletedCount()).toBe(4); // four jobs, not a hundred
    expect(worker.executor.stats.completed).toBe(100);
    const seen: unknown[] = [];
    const failing = executor.starmap(suiteTasks.failIf, [[1, 3], [2, 3], [3, 3], [4, 3]], { chunksize: 4 });
    await expect(
      (async () => {
        for await (const value of failing) seen.push(value);
      })(),
    ).rejects.toThrow(new RangeError('item 3 is bad'));
    expect(seen).toEqual([1, 2]);
  });

  it('a job that vanished from Redis without an event fails with JobNotFoundError at the next check', async () => {
    const queue = freshQueue();
    await using executor = executorOn(queue, { checkInterval: 200 });
    const future = executor.submit(suiteTasks.square, 2);
    await until(async () => (await executor.queue.getWaitingCount()) === 1, 15_000, 'the job to wait in Redis');
    const id = executor.jobId(future) as string;
    // What a restart without persistence does to one job: its keys are gone, no event says so.
    const redis = new Redis(redisUrl());
    try {
      await redis.del(executor.queue.toKey(id));
      await redis.lrem(executor.queue.toKey('wait'), 0, id);
    } finally {
      redis.disconnect();
    }
    const error = await future.exception({ timeout: 15_000 });
    expect(error).toBeInstanceOf(JobNotFoundError);
    expect((error as Error).message).toMatch(/is no longer in Redis/);
  });

  it('close({ force: true }) abandons a running job without waiting for it; another worker runs it once its lock expires', async () => {
    const queue = freshQueue();
    const first = await workerOn(queue, { lockDuration: 500, stalledInterval: 250 });
    await using executor = executorOn(queue);
    const future = executor.submit(tasks.holdFirst, 'forced');
    await until(() => first.executor.stats.running === 1, 15_000, 'the task to start on the worker');
    try {
      // The task ignores its signal and never ends by itself: a close that waited for it would not return.
      await first.close({ force: true });
      expect(first.executor.stats.running).toBe(1);
      await using _second = await workerOn(queue, { lockDuration: 500, stalledInterval: 250 });
      expect(await future.result({ timeout: 15_000 })).toBe(process.pid);
      expect(executor.stats).toMatchObject({ completed: 1, failed: 0 });
    } finally {
      release('forced');
    }
  });

  it('close({ force: true }) tells tasks submitted with a signal to stop; one submitted without runs on, unwatched', async () => {
    const queue = freshQueue();
    const options = { lockDuration: 500, stalledInterval: 250 };
    const first = await workerOn(queue, options);
    await using executor = executorOn(queue);
    const controller = new AbortController();
    const stoppable = executor.submitWith({ signal: controller.signal }, tasks.waitForStop, 'forced-stoppable');
    const plain = executor.submit(tasks.holdFirst, 'forced-plain');
    try {
      // The submitter hears that a job started when BullMQ takes it, a little before the task runs.
      await until(() => first.executor.stats.running === 2, 15_000, 'both tasks to start on the worker');
      const [stoppableJob, plainJob] = await Promise.all([stoppable, plain].map((future) => executor.queue.getJob(executor.jobId(future) as string)));
      expect(stoppableJob?.data).toMatchObject({ stoppable: true });
      expect(plainJob?.data).not.toHaveProperty('stoppable'); // no AbortSignal for it on the worker
      await first.close({ force: true });
      await until(() => stopped.has('forced-stoppable'), 15_000, 'the task with a signal to stop');
      expect(stopped.get('forced-stoppable')).toMatch(/is closing/);
      expect(first.executor.stats.running).toBe(1); // the other one runs on
      // Both jobs were abandoned, not failed: another worker takes them up.
      await using _second = await workerOn(queue, options);
      expect(await plain.result({ timeout: 15_000 })).toBe(process.pid);
      controller.abort(new Error('enough'));
      expect(await stoppable.exception()).toMatchObject({ message: 'enough' });
    } finally {
      release('forced-plain');
    }
  });

  it('while close() waits for its running jobs, their submitters can still stop them', async () => {
    const queue = freshQueue();
    const worker = await workerOn(queue);
    await using executor = executorOn(queue);
    const controller = new AbortController();
    const future = executor.submitWith({ signal: controller.signal }, tasks.waitForStop, 'drain-stop');
    await until(() => future.running() && worker.executor.stats.running === 1, 15_000, 'the task to start on the worker');
    let closed = false;
    const closing = worker.close().then(() => (closed = true));
    controller.abort(new Error('stop while draining'));
    expect(await future.exception()).toMatchObject({ message: 'stop while draining' });
    // The task ends only when told to stop: a worker that no longer heard requests would never close.
    await until(() => closed, 15_000, 'the worker to close');
    await closing;
    expect(stopped.get('drain-stop')).toMatch(/stop while draining/);
    const id = executor.jobId(future) as string;
    await until(async () => (await executor.queue.getJobState(id)) === 'failed', 15_000, 'the job to fail');
    expect((await executor.queue.getJob(id))?.failedReason).toBe('Error: stop while draining');
  });

  it('refuses bad options with errors that name them', async () => {
    const bad: [() => unknown, RegExp][] = [
      [() => new DistributedExecutor({ queue: 'a:b' }), /queue must be a non-empty string without ':'/],
      [() => new DistributedExecutor({ connection: 'http://x' }), /must start with redis:\/\/ or rediss:\/\//],
      [() => new DistributedExecutor({ connection: 'nonsense' }), /is not a URL/],
      [() => new DistributedExecutor({ attempts: 0 }), /attempts/],
      [() => new DistributedExecutor({ backoff: { type: 'linear', delay: 1 } as never }), /backoff must be/],
      [() => new DistributedExecutor({ maxPayloadBytes: -1 }), /maxPayloadBytes/],
      [() => new DistributedExecutor({ bogus: 1 } as never), /bogus/],
      [() => new DistributedExecutor({ connectionTimeout: -5 }), /connectionTimeout/],
      [() => new DistributedExecutor({ keepFinished: 'long' as never }), /keepFinished/],
    ];
    for (const [make, message] of bad) expect(make).toThrow(message);
    await expect(startWorker({ connection: redisUrl(), concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(startWorker({ connection: redisUrl(), allowModules: 'x' as never })).rejects.toThrow(/allowModules must be an array/);
    await expect(startWorker({ connection: redisUrl(), nope: true } as never)).rejects.toThrow(/nope/);
    await using executor = executorOn(freshQueue());
    expect(() => (executor.submit as (task: unknown) => unknown)(() => 1)).toThrow(/cannot run the plain function/);
    expect(() => executor.attach('')).toThrow(/jobId must be a non-empty string/);
    expect(executor).not.toBeInstanceOf(BrokenExecutorError);
  });
});
