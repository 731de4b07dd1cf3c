/**
 * `futures worker`, spawned for real (from the TypeScript sources through tsx) against a real
 * Redis (a throwaway redis-server, or FUTURES_REDIS_URL): tasks submitted by a
 * DistributedExecutor in this process run in the worker; SIGTERM finishes the running job
 * first; a second one quits at once and the job goes to another worker; --json; threads;
 * --allow; usage errors; a lost Redis.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { DistributedExecutor, TaskNotAllowedError } from '@futures/bullmq';
import { startRedisServer, type RedisServer } from '@futures/bullmq/redis-server';
import { defineTasks, type Future } from '@futures/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TaskError } from './fixtures/worker-tasks.ts';
import { runMain, startFutures, type RunningCli } from './run-cli.ts';

const tasksUrl = new URL('./fixtures/worker-tasks.ts', import.meta.url);
const tasks = defineTasks<typeof import('./fixtures/worker-tasks.ts')>(tasksUrl);
const format = defineTasks<typeof import('../src/format.ts')>(new URL('../src/format.ts', import.meta.url));

/** The start line, once the worker takes jobs. */
const STARTED = /taking jobs of queue \S+ on redis:\/\/\S+ \(backend \w+.*\); Ctrl-C to stop\n/;

let redis: RedisServer | undefined;
let redisUrl: string;
beforeAll(async () => {
  if (process.env.FUTURES_REDIS_URL) redisUrl = process.env.FUTURES_REDIS_URL;
  else {
    redis = await startRedisServer();
    redisUrl = redis.url;
  }
});
afterAll(async () => {
  await redis?.stop();
});

/** What each test started, stopped after it whatever happened. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const freshQueue = (): string => `cli-${randomBytes(4).toString('hex')}`;

/** `futures worker --redis <url> --queue <queue> ...args`, stopped (SIGKILL) after the test if still running. */
async function worker(queue: string, args: readonly string[] = [], url = redisUrl): Promise<RunningCli> {
  const cli = startFutures(['worker', '--redis', url, '--queue', queue, ...args]);
  cleanups.push(async () => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  });
  await cli.waitForStderr(STARTED);
  return cli;
}

/** A DistributedExecutor on the queue, shut down after the test. */
function executorOn(queue: string, url = redisUrl, attempts = 1): DistributedExecutor {
  const executor = new DistributedExecutor({ connection: url, queue, attempts });
  cleanups.push(() => executor.shutdown({ cancelFutures: true }));
  return executor;
}

/** Resolves once the future's job was taken by a worker. */
async function untilRunning(future: Future<unknown>): Promise<void> {
  for (let i = 0; !future.running() && !future.done(); i++) {
    if (i > 1_000) throw new Error('the job was never taken');
    await delay(10);
  }
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('futures worker', () => {
  it('runs the tasks of its queue, prints a start line and a line per job; the task’s error comes back as itself', async () => {
    const queue = freshQueue();
    const cli = await worker(queue, ['-c', '4']);
    expect(cli.stderr()).toMatch(new RegExp(`^futures worker: taking jobs of queue ${queue} on ${redisUrl.replace(/[.:/]/g, '\\$&')} \\(backend async, concurrency 4, worker [^)]+:${cli.child.pid}\\); Ctrl-C to stop\\n`));
    const executor = executorOn(queue);
    const squares = [1, 2, 3, 4, 5].map((x) => executor.submit(tasks.square, x));
    expect(await Promise.all(squares)).toEqual([1, 4, 9, 16, 25]);
    expect(await executor.submit(tasks.where)).toEqual({ pid: cli.child.pid, threadId: 0 });
    const failed = executor.submit(tasks.fail, 'no luck');
    const error = await failed.exception();
    expect(error).toBeInstanceOf(TaskError);
    expect((error as Error).message).toBe('no luck');
    await cli.waitForStderr(/FAILED fail/);
    expect(cli.stderr()).toMatch(new RegExp(`^done square \\(job ${executor.jobId(squares[0] as Future<number>)}\\) in \\d+ ms$`, 'm'));
    expect(cli.stderr()).toMatch(new RegExp(`^FAILED fail \\(job ${executor.jobId(failed)}\\) after \\d+ ms: no luck$`, 'm'));
    expect(cli.stdout()).toBe('');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/futures worker: stopping: no job is running .*\nfutures worker: stopped: 6 jobs done, 1 failed in [\d.]+ m?s\n$/);
  });

  it('SIGTERM mid-task: takes no new job, finishes the running one (its result reaches the submitter), then exits 130', async () => {
    const queue = freshQueue();
    const cli = await worker(queue, ['-c', '1']);
    const executor = executorOn(queue);
    const running = executor.submit(tasks.sleep, 1_500);
    const waiting = executor.submit(tasks.square, 12); // concurrency 1: waits in Redis behind it
    await untilRunning(running);
    cli.child.kill('SIGTERM');
    let settledAt = 0;
    void running.then(() => (settledAt = performance.now()));
    const result = await cli.exited;
    const exitedAt = performance.now();
    expect(result.code).toBe(130);
    expect(await running).toEqual({ pid: cli.child.pid, ms: 1_500 });
    expect(settledAt).toBeGreaterThan(0);
    expect(settledAt).toBeLessThan(exitedAt);
    expect(waiting.running() || waiting.done()).toBe(false); // never taken: still waits for a worker
    expect(result.stderr).toContain('futures worker: stopping: finishing 1 running job (Ctrl-C again to quit at once');
    expect(result.stderr).toMatch(/^done sleep \(job \S+\) in 1\.\d s$/m);
    expect(result.stderr).toMatch(/stopped: 1 job done, 0 failed in /);

    // The next worker takes the job that waited.
    await worker(queue);
    expect(await waiting).toBe(144);
  });

  it('a second signal quits at once; the abandoned job goes to another worker once its lock expires', async () => {
    const queue = freshQueue();
    const first = await worker(queue, ['--lock-duration', '1000', '--stalled-interval', '500']);
    const executor = executorOn(queue);
    // The task never ends on the first worker: only a worker that quits without waiting for it exits.
    const future = executor.submit(tasks.hangIn, first.child.pid!);
    await untilRunning(future);
    first.child.kill('SIGTERM');
    await first.waitForStderr(/stopping: finishing 1 running job/);
    first.child.kill('SIGTERM');
    const result = await first.exited;
    expect(result.code).toBe(130);
    expect(future.done()).toBe(false);
    const second = await worker(queue, ['--stalled-interval', '500']);
    expect(await future).toEqual({ pid: second.child.pid });
  });

  it('--json prints one JSON line per finished job on stdout', async () => {
    const queue = freshQueue();
    const cli = await worker(queue, ['--json']);
    const executor = executorOn(queue, redisUrl, 2); // a failed task is tried twice
    const ok = executor.submit(tasks.square, 9);
    const failed = executor.submit(tasks.fail, 'bad input');
    expect(await ok).toBe(81);
    expect(await failed.exception()).toBeInstanceOf(TaskError);
    cli.child.kill('SIGTERM');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines.find((line) => line.id === executor.jobId(ok))).toEqual({ id: executor.jobId(ok), task: 'square', module: tasksUrl.href, ok: true, ms: expect.any(Number), attempt: 1 });
    const failure = { id: executor.jobId(failed), task: 'fail', module: tasksUrl.href, ok: false, ms: expect.any(Number), error: 'bad input' };
    expect(lines.filter((line) => line.id === executor.jobId(failed))).toEqual([
      { ...failure, attempt: 1, retry: true },
      { ...failure, attempt: 2, retry: false },
    ]);
    // The human lines are left out, but failures still go to stderr.
    expect(result.stderr).not.toMatch(/^done /m);
    expect(result.stderr).toMatch(/^FAILED fail \(job \S+\) after \d+ ms: bad input \(attempt 1 of 2, will be retried\)\nFAILED fail \(job \S+\) after \d+ ms: bad input \(attempt 2 of 2\)$/m);
    expect(result.stderr).toContain('stopped: 1 job done, 1 failed (and 1 failed attempt tried again) in ');
  });

  it('--backend threads --workers 2 runs the tasks in worker threads, two at once by default', async () => {
    const queue = freshQueue();
    const cli = await worker(queue, ['--backend', 'threads', '--workers', '2', '--quiet']);
    expect(cli.stderr()).toContain('(backend threads with 2 threads, concurrency 2, ');
    const executor = executorOn(queue);
    const places = await Promise.all([1, 2, 3, 4].map(() => executor.submit(tasks.where)));
    for (const place of places) {
      expect(place.pid).toBe(cli.child.pid);
      expect(place.threadId).toBeGreaterThan(0);
    }
    cli.child.kill('SIGTERM');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(/^done /m); // --quiet
    expect(result.stderr).toContain('stopped: 4 jobs done, 0 failed');
  });

  it('--backend processes runs the tasks in child processes of the worker', async () => {
    const queue = freshQueue();
    const cli = await worker(queue, ['--backend', 'processes', '--workers', '1', '--quiet']);
    expect(cli.stderr()).toContain('(backend processes with 1 processes, concurrency 1, ');
    const executor = executorOn(queue);
    const places = await Promise.all([1, 2].map(() => executor.submit(tasks.where)));
    for (const place of places) {
      expect(place.pid).not.toBe(cli.child.pid);
      expect(place.pid).toBe(places[0]?.pid);
    }
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(130);
  });

  it('--allow: modules elsewhere are refused with TaskNotAllowedError', async () => {
    const queue = freshQueue();
    await worker(queue, ['--allow', new URL('./fixtures/', import.meta.url).pathname, '--quiet']);
    const executor = executorOn(queue);
    expect(await executor.submit(tasks.square, 3)).toBe(9);
    const refused = await executor.submit(format.formatBytes, 1500).exception();
    expect(refused).toBeInstanceOf(TaskNotAllowedError);
    expect((refused as Error).message).toMatch(/does not run tasks from file:\/\/.*\/src\/format\.ts: it is not in allowModules/);
  });

  it('bad usage exits 2 with a message and a pointer to --help', async () => {
    const spawned = await startFutures(['worker', '--backend', 'fibers']).exited;
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toBe('futures worker: --backend must be async, threads, processes, got "fibers"\nTry: futures worker --help\n');
    const cases: [string[], string][] = [
      [['--concurrency', '0'], '--concurrency expects a whole number >= 1, got "0"'],
      [['-c', 'many'], '--concurrency expects a whole number >= 1, got "many"'],
      [['--workers', '2'], '--workers sets the pool size of --backend threads or processes (with async, use --concurrency)'],
      [['--redis', 'http://127.0.0.1:6379'], '--redis expects a redis:// or rediss:// URL, got "http://127.0.0.1:6379"'],
      [['--redis', 'localhost'], '--redis expects a URL like redis://127.0.0.1:6379, got "localhost"'],
      [['--lock-duration', '1.5'], '--lock-duration expects milliseconds (a whole number > 0), got "1.5"'],
      [['--queue', 'a:b'], 'queue must be a non-empty string without \':\', got "a:b"'],
      [['--verbose'], "Unknown option '--verbose'"],
      [['tasks.js'], 'unexpected argument "tasks.js": futures worker takes options only'],
    ];
    for (const [args, message] of cases) {
      const result = await runMain(['worker', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stderr, args.join(' ')).toContain('Try: futures worker --help');
    }
    const help = await runMain(['worker', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: futures worker \[options\]/);
  });

  it('Redis lost: exits 1 with RedisUnavailableError’s message after --connection-timeout', async () => {
    const own = await startRedisServer();
    cleanups.push(() => own.stop());
    const cli = await worker(freshQueue(), ['--connection-timeout', '1000'], own.url);
    await own.kill('SIGKILL');
    const result = await Promise.race([cli.exited, delay(8_000, undefined)]);
    expect(result, `still running 8 s after Redis died; stderr:\n${cli.stderr()}`).toBeDefined();
    expect(result?.code).toBe(1);
    expect(result?.stderr).toMatch(/futures worker: worker \S+ of queue \S+: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 has not answered for 1000 ms \(connectionTimeout\)/);
  });

  it('no Redis at the start: exits 1 after --connection-timeout', async () => {
    const port = await closedPort();
    const cli = startFutures(['worker', '--redis', `redis://127.0.0.1:${port}`, '--connection-timeout', '1000']);
    cleanups.push(async () => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await cli.exited;
    });
    const result = await Promise.race([cli.exited, delay(8_000, undefined)]);
    expect(result, `still running 8 s after the start; stderr:\n${cli.stderr()}`).toBeDefined();
    expect(result?.code).toBe(1);
    expect(result?.stderr).toMatch(/futures worker: could not start: .*has not answered for 1000 ms/);
  });
});
