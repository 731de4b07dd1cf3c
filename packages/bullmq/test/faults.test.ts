import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BrokenExecutorError, defineTasks, type Future } from '@futures/core';
import { suiteTasks } from '@futures/test-suite';
import { afterEach, describe, expect, it } from 'vitest';
import { DistributedExecutor, RedisUnavailableError, startWorker } from '../src/index.ts';
import { startRedisServer } from '../src/redis-server.ts';
import { executorOn, freshQueue, redisUrl, until, workerOn } from './helpers.ts';
import type * as Tasks from './fixtures/tasks.ts';

const tasks = defineTasks<typeof Tasks>(new URL('./fixtures/tasks.ts', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A Node process running a TypeScript fixture from sources (tsx, the @futures/source condition), its stdout read as JSON lines. */
interface Child {
  readonly process: ChildProcess;
  readonly lines: Record<string, unknown>[];
  /** Resolves with the first line that has `key`. */
  line(key: string, ms?: number): Promise<Record<string, unknown>>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function runFixture(name: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@futures/source', fixture(name), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      // not a line for the test
    }
  });
  return {
    process: child,
    lines,
    async line(key, ms = 15_000) {
      await until(() => lines.some((line) => key in line) || child.exitCode !== null, ms, `a "${key}" line from ${name}`);
      const found = lines.find((line) => key in line);
      if (found === undefined) throw new Error(`${name} exited (code ${child.exitCode}) without a "${key}" line`);
      return found;
    },
  };
}

describe('faults', () => {
  it('a worker killed mid-task (SIGKILL): another worker takes the job up again once its lock expires, and the future settles once', { timeout: 40_000 }, async () => {
    const queue = freshQueue('kill');
    const workers = [runFixture('worker-process.ts', [redisUrl(), queue]), runFixture('worker-process.ts', [redisUrl(), queue])];
    await Promise.all(workers.map((worker) => worker.line('ready')));
    await using executor = executorOn(queue);
    const future = executor.submit(tasks.sleepPid, 2_000);
    const settled: string[] = [];
    future.addDoneCallback((done) => settled.push(done.state));
    await until(() => future.running(), 10_000, 'the job to start');
    await until(() => workers.some((worker) => worker.lines.some((line) => 'active' in line)), 15_000, 'a worker to report the job');
    const [doomed, survivor] = workers[0]?.lines.some((line) => 'active' in line) ? workers : [...workers].reverse();
    if (doomed === undefined || survivor === undefined) throw new Error('two workers expected');
    const doomedPid = doomed.process.pid;
    const survivorPid = survivor.process.pid;
    expect(await doomed.line('active')).toEqual({ active: executor.jobId(future) });
    doomed.process.kill('SIGKILL');
    // The survivor finds the job stalled (lock 1 s, checked every 0.5 s) and runs it from the start.
    expect(await future.result({ timeout: 20_000 })).toBe(survivorPid);
    expect(survivorPid).not.toBe(doomedPid);
    expect(await survivor.line('completed')).toEqual({ completed: executor.jobId(future) });
    await new Promise((resolve) => setTimeout(resolve, 300)); // any late duplicate event would land here
    expect(settled).toEqual(['finished']);
    expect(executor.stats).toMatchObject({ submitted: 1, completed: 1, failed: 0 });
  });

  it('a job whose worker dies more often than maxStalledCount fails with WorkerCrashedError', { timeout: 40_000 }, async () => {
    const queue = freshQueue('stall');
    const first = runFixture('worker-process.ts', [redisUrl(), queue]);
    await first.line('ready');
    await using executor = executorOn(queue);
    const future = executor.submit(tasks.sleepPid, 30_000);
    await until(() => future.running(), 10_000, 'the job to start');
    first.process.kill('SIGKILL');
    // maxStalledCount 1: the first stall puts it back; the second worker dies too; the third finds it stalled twice.
    const second = runFixture('worker-process.ts', [redisUrl(), queue]);
    await second.line('active');
    second.process.kill('SIGKILL');
    const third = runFixture('worker-process.ts', [redisUrl(), queue]);
    await third.line('ready');
    const error = await future.exception({ timeout: 20_000 });
    expect(error).toMatchObject({ name: 'WorkerCrashedError', code: 'ERR_WORKER_CRASHED' });
    expect((error as Error).message).toMatch(/its worker stopped .* more often than the queue allows/);
  });

  it('a submitting process that died: a new one reattaches to its jobs by id and gets their results', { timeout: 30_000 }, async () => {
    const queue = freshQueue('reattach');
    const submitter = runFixture('submit-and-exit.ts', [redisUrl(), queue, '3']);
    await until(() => submitter.process.exitCode !== null, 15_000, 'the submitter to exit');
    expect(submitter.process.exitCode).toBe(0);
    const ids = submitter.lines[0] as unknown as string[];
    expect(ids).toHaveLength(3);
    // Only now does a worker start: the jobs waited in Redis with nobody listening for them.
    await using worker = await workerOn(queue);
    await using executor = executorOn(queue);
    const attached: Future<number>[] = ids.map((id) => executor.attach<number>(id));
    expect(await Promise.all(attached)).toEqual([process.pid, process.pid, process.pid]);
    expect(worker.executor.stats.completed).toBe(3);
  });

  it('a lost Redis fails the futures in flight with RedisUnavailableError within connectionTimeout, and submit then throws it', { timeout: 30_000 }, async () => {
    await using server = await startRedisServer();
    const queue = freshQueue('lost');
    const worker = await startWorker({ connection: server.url, queue, connectionTimeout: 1_000 });
    const executor = new DistributedExecutor({ connection: server.url, queue, connectionTimeout: 1_000 });
    try {
      expect(await executor.submit(suiteTasks.square, 6)).toBe(36);
      const inFlight = executor.submit(tasks.sleepPid, 20_000);
      await until(() => inFlight.running(), 10_000, 'the task to start');
      await server.kill('SIGKILL');
      const error = await inFlight.exception({ timeout: 10_000 });
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect(error).toBeInstanceOf(BrokenExecutorError);
      expect(error).toMatchObject({ code: 'ERR_EXECUTOR_BROKEN', redisCode: 'ECONNREFUSED' });
      expect((error as Error).message).toMatch(/has not answered for 1000 ms \(connectionTimeout\).*reattach to them with attach\(jobId\)/);
      expect(() => executor.submit(suiteTasks.square, 1)).toThrow(RedisUnavailableError);
      expect(executor.isBroken).toBe(true);
      // The worker gives up too, after its own connectionTimeout: closed rejects with the typed error.
      await expect(worker.closed).rejects.toBeInstanceOf(RedisUnavailableError);
    } finally {
      await executor.shutdown();
      await worker.close({ force: true });
    }
  });

  it('a Redis that is not there at all: the first task fails with RedisUnavailableError, not a hang', { timeout: 20_000 }, async () => {
    const server = await startRedisServer();
    const url = server.url;
    await server.stop(); // a port nobody listens on
    const executor = new DistributedExecutor({ connection: url, queue: freshQueue('none'), connectionTimeout: 500 });
    const error = await executor.submit(suiteTasks.square, 2).exception({ timeout: 10_000 });
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toContain(url.replace('redis://', 'redis://').replace(/\/?$/, ''));
    await executor.shutdown();
    await expect(startWorker({ connection: url, queue: 'x', connectionTimeout: 500 })).rejects.toBeInstanceOf(Error);
  });
});
